/// One CloudTrail record as the scanner hands it over: the fields the
/// analysis needs, read in place from the decompressed bytes.
///
/// A view is valid only inside the callback that receives it; copy out what
/// you keep (`string(_:)`, or intern the `bytes(_:)`).
public struct EventView: ~Copyable {
  let base: UnsafePointer<UInt8>
  let arena: ByteArena
  let record: RawRecord

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

  public var eventSource: Field { record.eventSource }
  public var eventName: Field { record.eventName }
  /// `eventTime`, or the `@timestamp` a log pipeline put in its place.
  public var eventTime: Field { record.eventTime.isPresent ? record.eventTime : record.timestamp }
  public var awsRegion: Field { record.awsRegion }
  public var errorCode: Field { record.errorCode }
  public var errorMessage: Field { record.errorMessage }
  public var eventType: Field { record.eventType }
  public var eventCategory: Field { record.eventCategory }
  public var recipientAccountId: Field { record.recipientAccountId }
  public var sourceIPAddress: Field { record.sourceIPAddress }
  public var readOnly: Bool? { record.readOnly }
  public var managementEvent: Bool? { record.managementEvent }
  /// The raw JSON of `requestParameters` (absent when null).
  public var requestParameters: Field { record.requestParameters }
  /// The raw JSON of `responseElements` (absent when null).
  public var responseElements: Field { record.responseElements }
  /// The raw JSON of `additionalEventData` (absent when null).
  public var additionalEventData: Field { record.additionalEventData }

  public var identityType: Field { record.identityType }
  public var identityArn: Field { record.identityArn }
  public var identityAccountId: Field { record.identityAccountId }
  public var identityUserName: Field { record.identityUserName }
  public var identityPrincipalId: Field { record.identityPrincipalId }
  public var invokedBy: Field { record.invokedBy }
  public var issuerType: Field { record.issuerType }
  public var issuerArn: Field { record.issuerArn }
  public var issuerUserName: Field { record.issuerUserName }
  public var issuerAccountId: Field { record.issuerAccountId }
  public var mfaAuthenticated: Bool? { record.mfaAuthenticated }
  public var resources: [ResourceRef] { record.resources }
}
