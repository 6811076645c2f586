/// Where a scanned string or value lies.
///
/// `location` says which buffer `start` indexes: the record's bytes, the
/// arena of decoded strings, or none when the field was absent or `null`.
public struct Field: Equatable, Sendable {
  enum Location: UInt8, Sendable { case absent, record, arena }
  var start: Int
  var count: Int
  var location: Location

  static let absent = Field(start: 0, count: 0, location: .absent)
  public var isPresent: Bool { location != .absent }
}
