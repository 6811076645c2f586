/// Bounds on what one input may decompress to, so that a decompression bomb
/// fails with an error instead of exhausting memory or disk time.
public struct DecompressionLimits: Sendable, Equatable {
  /// Largest decompressed size of one file, in bytes.
  public var maxOutputBytes: Int
  /// Largest ratio of decompressed to compressed bytes.
  public var maxRatio: Int
  /// The ratio is only checked once this much has been produced, so that tiny
  /// files with a high but harmless ratio pass.
  public var ratioGraceBytes: Int

  public init(maxOutputBytes: Int = 4 << 30, maxRatio: Int = 1000, ratioGraceBytes: Int = 1 << 20) {
    self.maxOutputBytes = maxOutputBytes
    self.maxRatio = maxRatio
    self.ratioGraceBytes = ratioGraceBytes
  }
}
