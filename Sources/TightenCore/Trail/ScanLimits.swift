/// Limits that keep one hostile file from taking the whole run down.
public struct ScanLimits: Sendable, Equatable {
  /// Deepest nesting accepted inside a record.
  public var depthLimit: Int
  /// Largest single record (or other top-level value); larger ones are skipped
  /// and counted without being held in memory.
  public var maxValueBytes: Int
  /// How much is asked of the reader at a time.
  public var readSize: Int

  public init(depthLimit: Int = 512, maxValueBytes: Int = 16 << 20, readSize: Int = 256 << 10) {
    self.depthLimit = depthLimit
    self.maxValueBytes = maxValueBytes
    self.readSize = readSize
  }
}
