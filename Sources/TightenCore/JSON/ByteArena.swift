/// Growable storage for strings whose escapes had to be decoded, reset per record.
final class ByteArena {
  private var storage: GrowableBytes
  private(set) var count = 0

  init(capacity: Int = 4096) {
    storage = GrowableBytes(capacity: capacity)
  }

  @inline(__always) var base: UnsafeMutablePointer<UInt8> { storage.base }
  @inline(__always) var capacity: Int { storage.capacity }

  func reset() { count = 0 }

  /// Counts `n` more bytes, written straight into the reserved room past `count`.
  func advance(_ n: Int) {
    precondition(count + n <= capacity, "wrote past the reserved room")
    count += n
  }

  /// Makes room for `extra` more bytes.
  @inline(__always) func reserve(_ extra: Int) {
    storage.reserve(count + extra, keeping: count)
  }

  func append(_ bytes: UnsafePointer<UInt8>, count n: Int) {
    reserve(n)
    (base + count).update(from: bytes, count: n)
    count += n
  }

  @inline(__always) func append(_ byte: UInt8) {
    if count == capacity { reserve(1) }
    base[count] = byte
    count += 1
  }

  func appendUTF8(_ scalar: UInt32) {
    reserve(4)
    switch scalar {
    case 0..<0x80:
      append(UInt8(scalar))
    case 0x80..<0x800:
      append(UInt8(0xC0 | (scalar >> 6)))
      append(UInt8(0x80 | (scalar & 0x3F)))
    case 0x800..<0x10000:
      append(UInt8(0xE0 | (scalar >> 12)))
      append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      append(UInt8(0x80 | (scalar & 0x3F)))
    default:
      append(UInt8(0xF0 | (scalar >> 18)))
      append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
      append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      append(UInt8(0x80 | (scalar & 0x3F)))
    }
  }
}
