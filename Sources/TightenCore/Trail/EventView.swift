/// One CloudTrail record as the scanner hands it over: the fields the
/// analysis needs, read in place from the decompressed bytes.
///
/// A view is valid only inside the callback that receives it; copy out what
/// you keep (`string(_:)`, or intern the `bytes(_:)`).
public struct EventView: ~Copyable {
  let base: UnsafePointer<UInt8>
  let arena: ByteArena
  /// The parser's record, read in place: a view lives only inside the
  /// callback, while the parser leaves the record alone, so it is not copied.
  let record: UnsafePointer<RawRecord>

  /// The bytes of a field (empty when it is absent).
  @inline(__always)
  public func bytes(_ field: Field) -> UnsafeBufferPointer<UInt8> {
    Self.bytes(field, base: base, arena: arena)
  }

  /// The bytes of a field of the record at `base`, whose decoded strings are in `arena`.
  @inline(__always)
  static func bytes(_ field: Field, base: UnsafePointer<UInt8>, arena: ByteArena) -> UnsafeBufferPointer<UInt8> {
    switch field.location {
    case .absent: UnsafeBufferPointer(start: nil, count: 0)
    case .record: UnsafeBufferPointer(start: base + field.start, count: field.count)
    case .arena: UnsafeBufferPointer(start: arena.base + field.start, count: field.count)
    }
  }

  /// A field as a Swift string, nil when it is absent.
  public func string(_ field: Field) -> String? {
    guard field.isPresent else { return nil }
    return String(decoding: bytes(field), as: UTF8.self)
  }

  public var eventSource: Field { record.pointee.eventSource }
  public var eventName: Field { record.pointee.eventName }
  /// `eventTime`, or the `@timestamp` a log pipeline put in its place.
  public var eventTime: Field {
    record.pointee.eventTime.isPresent ? record.pointee.eventTime : record.pointee.timestamp
  }
  public var awsRegion: Field { record.pointee.awsRegion }
  public var errorCode: Field { record.pointee.errorCode }
  public var errorMessage: Field { record.pointee.errorMessage }
  public var eventType: Field { record.pointee.eventType }
  public var eventCategory: Field { record.pointee.eventCategory }
  public var recipientAccountId: Field { record.pointee.recipientAccountId }
  public var sourceIPAddress: Field { record.pointee.sourceIPAddress }
  public var readOnly: Bool? { record.pointee.readOnly }
  public var managementEvent: Bool? { record.pointee.managementEvent }
  /// The raw JSON of `requestParameters` (absent when null).
  public var requestParameters: Field { record.pointee.requestParameters }
  /// The raw JSON of `responseElements` (absent when null).
  public var responseElements: Field { record.pointee.responseElements }
  /// The raw JSON of `additionalEventData` (absent when null).
  public var additionalEventData: Field { record.pointee.additionalEventData }

  public var identityType: Field { record.pointee.identityType }
  public var identityArn: Field { record.pointee.identityArn }
  public var identityAccountId: Field { record.pointee.identityAccountId }
  public var identityUserName: Field { record.pointee.identityUserName }
  public var identityPrincipalId: Field { record.pointee.identityPrincipalId }
  public var invokedBy: Field { record.pointee.invokedBy }
  public var issuerType: Field { record.pointee.issuerType }
  public var issuerArn: Field { record.pointee.issuerArn }
  public var issuerUserName: Field { record.pointee.issuerUserName }
  public var issuerAccountId: Field { record.pointee.issuerAccountId }
  public var mfaAuthenticated: Bool? { record.pointee.mfaAuthenticated }
  public var resources: [ResourceRef] { record.pointee.resources }
}
