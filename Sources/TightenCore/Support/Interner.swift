/// Gives each distinct byte string a small number, without making a `String`
/// for every lookup: the hot path hashes the bytes where they lie.
///
///     let id = interner.intern(bytes)   // 0, 1, 2, … in order of first sight
///     interner.string(id)               // the String, made once
///
/// One per worker; not thread-safe.
final class Interner {
  private var storage: GrowableBytes
  private var storageCount = 0
  private var offsets: [Int] = []
  private var lengths: [Int32] = []
  private var hashes: [UInt64] = []
  private var slots: [Int32]  // -1 empty, else id
  private var mask: Int

  init() {
    storage = GrowableBytes(capacity: 1 << 16)
    slots = Array(repeating: -1, count: 1024)
    mask = 1023
  }

  var count: Int { offsets.count }

  @inline(__always)
  static func hash(_ p: UnsafePointer<UInt8>?, _ n: Int) -> UInt64 {
    // FNV-1a, 8 bytes at a time where it can.
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    guard let p else { return h }
    var i = 0
    while i + 8 <= n {
      let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
      h = (h ^ word) &* 0x0000_0100_0000_01B3
      h ^= h >> 29
      i += 8
    }
    while i < n {
      h = (h ^ UInt64(p[i])) &* 0x0000_0100_0000_01B3
      i += 1
    }
    return h ^ (h >> 32)
  }

  func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
    intern(bytes.baseAddress, bytes.count)
  }

  func intern(_ string: String) -> Int32 {
    var s = string
    return s.withUTF8 { intern($0) }
  }

  func intern(_ p: UnsafePointer<UInt8>?, _ n: Int) -> Int32 {
    let h = Self.hash(p, n)
    var slot = Int(truncatingIfNeeded: h) & mask
    while true {
      let id = slots[slot]
      if id < 0 { break }
      let i = Int(id)
      if hashes[i] == h && Int(lengths[i]) == n
        && (n == 0 || Platform.compare(storage.base + offsets[i], p!, count: n) == 0)
      {
        return id
      }
      slot = (slot + 1) & mask
    }
    // New entry.
    storage.reserve(storageCount + n, keeping: storageCount)
    if n > 0 { (storage.base + storageCount).update(from: p!, count: n) }
    let id = Int32(offsets.count)
    offsets.append(storageCount)
    lengths.append(Int32(n))
    hashes.append(h)
    storageCount += n
    slots[slot] = id
    if offsets.count * 2 > slots.count { grow() }
    return id
  }

  private func grow() {
    let size = slots.count * 2
    slots = Array(repeating: -1, count: size)
    mask = size - 1
    for (i, h) in hashes.enumerated() {
      var slot = Int(truncatingIfNeeded: h) & mask
      while slots[slot] >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(i)
    }
  }

  /// Byte order of two ids' strings.
  func less(_ a: Int32, _ b: Int32) -> Bool {
    compareBytes(bytes(a), bytes(b)) < 0
  }

  func bytes(_ id: Int32) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: storage.base + offsets[Int(id)], count: Int(lengths[Int(id)]))
  }

  /// The string of an id. Reading never changes the table, so a finished
  /// table can be read from several threads.
  func string(_ id: Int32) -> String {
    String(decoding: bytes(id), as: UTF8.self)
  }
}

/// -1, 0 or 1 as `a` sorts before, with, or after `b`, byte by byte.
@inline(__always)
func compareBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
  let n = min(a.count, b.count)
  if n > 0 {
    let c = Platform.compare(a.baseAddress!, b.baseAddress!, count: n)
    if c != 0 { return c < 0 ? -1 : 1 }
  }
  return a.count < b.count ? -1 : a.count > b.count ? 1 : 0
}
