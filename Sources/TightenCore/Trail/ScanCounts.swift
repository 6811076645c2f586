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

  /// Records used although a field had to be read leniently or left out
  /// (`RawRecord.recoveredReason`); the first is named in `warnings` with the count.
  public var recovered = 0
  private var recoveredWarning: Int? = nil

  public init() {}

  /// Counts a record used with a field read leniently; one warning names the first and the count.
  mutating func noteRecovered(_ error: InputError) {
    recovered += 1
    if let at = recoveredWarning {
      warnings[at].reason = firstRecoveredReason + "; \(recovered) records of this file read so leniently"
    } else {
      recoveredWarning = warnings.count
      firstRecoveredReason = error.reason
      warnings.append(error)
    }
  }
  private var firstRecoveredReason = ""

  /// Counts a record (or value) skipped as unusable, keeping the first one's error.
  mutating func note(_ error: InputError) {
    invalid += 1
    if firstInvalid == nil { firstInvalid = error }
  }
}
