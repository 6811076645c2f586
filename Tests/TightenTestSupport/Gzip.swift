import TightenCore

/// Writes gzip, for tests that need compressed input of a known shape.
public enum TestGzip {
  /// One gzip member holding `bytes`.
  public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
    GzipWriter.compress(bytes, level: level)
  }

  public static func compress(_ text: String, level: Int32 = 6) -> [UInt8] {
    compress(Array(text.utf8), level: level)
  }
}
