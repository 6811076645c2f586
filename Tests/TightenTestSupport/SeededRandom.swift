/// A repeatable source of random numbers for property tests (xorshift64):
/// the same seed gives the same cases on every machine and every run.
public struct SeededRandom {
  private var state: UInt64

  public init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

  /// A number in `0..<n`.
  public mutating func next(_ n: Int) -> Int {
    state ^= state << 13
    state ^= state >> 7
    state ^= state << 17
    return Int(state % UInt64(n))
  }
}
