/// What a scan of one file found, also when it stopped on an error.
public struct ScanCounts: Sendable, Equatable {
  /// Records handed to the callback.
  public var records = 0
  /// Records (or values in a records array) skipped as unusable.
  public var invalid = 0
  /// The first of those, with its place and reason.
  public var firstInvalid: InputError? = nil
  /// Decompressed bytes read.
  public var bytes = 0
  /// Problems that lost nothing read, such as data after the gzip stream
  /// (`.trailingData`): the file counts as read, and is named with each one.
  public var warnings: [InputError] = []

  public init() {}

  /// Counts a record (or value) skipped as unusable, keeping the first one's error.
  mutating func note(_ error: InputError) {
    invalid += 1
    if firstInvalid == nil { firstInvalid = error }
  }
}
