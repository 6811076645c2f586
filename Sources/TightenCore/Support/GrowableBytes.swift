/// One allocation of bytes that doubles when it must grow: the one growth
/// rule of the package's byte buffers (the arena of decoded strings, the
/// record scanner's window, the interner's storage).
///
///     var bytes = GrowableBytes(capacity: 16)
///     bytes.reserve(40, keeping: 10)   // capacity 64; the first 10 bytes moved along
///
/// The owner keeps its own count of bytes in use and says how many to keep.
struct GrowableBytes: ~Copyable {
  private(set) var base: UnsafeMutablePointer<UInt8>
  private(set) var capacity: Int

  init(capacity: Int) {
    self.capacity = max(capacity, 1)
    self.base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  /// The capacity after growing from `current` to hold `needed` bytes:
  /// doubled at least once, and until it is enough.
  static func grownCapacity(_ current: Int, toHold needed: Int) -> Int {
    var capacity = max(current, 1) * 2
    while capacity < needed { capacity *= 2 }
    return capacity
  }

  /// Makes room for `needed` bytes in all; the first `count` bytes stay as they are.
  @inline(__always)
  mutating func reserve(_ needed: Int, keeping count: Int) {
    if needed > capacity { grow(toHold: needed, keeping: count) }
  }

  private mutating func grow(toHold needed: Int, keeping count: Int) {
    let newCapacity = Self.grownCapacity(capacity, toHold: needed)
    let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    if count > 0 { fresh.update(from: base, count: count) }
    base.deallocate()
    base = fresh
    capacity = newCapacity
  }
}
