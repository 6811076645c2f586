/// Output written as bytes and handed on in large pieces, so a report of a
/// million rows never sits whole in memory.
public final class ByteSink {
  private var buffer = Bytes()
  private let flushAt: Int
  private let write: (UnsafeBufferPointer<UInt8>) -> Void

  /// Bytes in storage that only grows, written without Array's checks.
  struct Bytes {
    var base = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 16)
    var capacity = 1 << 16
    var count = 0
    var isEmpty: Bool { count == 0 }

    @inline(__always) mutating func reserve(_ extra: Int) {
      guard count + extra > capacity else { return }
      var size = capacity * 2
      while size < count + extra { size *= 2 }
      let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
      fresh.update(from: base, count: count)
      base.deallocate()
      base = fresh
      capacity = size
    }

    @inline(__always) mutating func append(_ byte: UInt8) {
      reserve(1)
      base[count] = byte
      count += 1
    }

    @inline(__always) mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
      guard let source = bytes.baseAddress, bytes.count > 0 else { return }
      reserve(bytes.count)
      (base + count).update(from: source, count: bytes.count)
      count += bytes.count
    }

    mutating func append<S: Sequence>(contentsOf bytes: S) where S.Element == UInt8 {
      for b in bytes { append(b) }
    }

    mutating func removeAll(keepingCapacity: Bool) { count = 0 }
  }

  /// - Parameter write: Receives each piece, in order.
  public init(flushAt: Int = 1 << 20, write: @escaping (UnsafeBufferPointer<UInt8>) -> Void) {
    self.flushAt = flushAt
    self.write = write
    buffer.reserve(flushAt + 4096)
  }

  deinit { buffer.base.deallocate() }

  /// Collects everything into a string (tests, small outputs).
  public static func collect(_ body: (ByteSink) -> Void) -> String {
    var out: [UInt8] = []
    let sink = ByteSink { out.append(contentsOf: $0) }
    body(sink)
    sink.flush()
    return String(decoding: out, as: UTF8.self)
  }

  public func flush() {
    if !buffer.isEmpty {
      write(UnsafeBufferPointer(start: buffer.base, count: buffer.count))
      buffer.removeAll(keepingCapacity: true)
    }
  }

  @inline(__always) private func maybeFlush() {
    if buffer.count >= flushAt { flush() }
  }

  public func append(_ text: String) {
    var text = text
    text.withUTF8 { buffer.append(contentsOf: $0) }
    maybeFlush()
  }

  public func append(_ text: StaticString) {
    buffer.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  public func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    buffer.append(contentsOf: bytes)
    maybeFlush()
  }

  public func append(_ n: Int) {
    if n == 0 {
      buffer.append(0x30)
      return
    }
    if n < 0 { buffer.append(0x2D) }
    var v = n.magnitude
    var divisor: UInt = 1
    while divisor <= v / 10 { divisor *= 10 }
    while divisor > 0 {
      buffer.append(UInt8(v / divisor) + 0x30)
      v %= divisor
      divisor /= 10
    }
  }

  /// A JSON string of the bytes, escaped where JSON needs it.
  public func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>) {
    buffer.append(0x22)
    var needsEscape = false
    for b in bytes where b < 0x20 || b == 0x22 || b == 0x5C {
      needsEscape = true
      break
    }
    if needsEscape {
      var quoted = JSONWriter.quote(String(decoding: bytes, as: UTF8.self))
      quoted.withUTF8 { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: $0.dropFirst().dropLast())) }
    } else {
      buffer.append(contentsOf: bytes)
    }
    buffer.append(0x22)
    maybeFlush()
  }

  public func appendQuoted(_ text: String) {
    var text = text
    text.withUTF8 { appendQuoted($0) }
  }

  /// `"2023-07-10T12:40:00Z"` (with the quotes), or `null`.
  public func appendTimestamp(_ seconds: Int64?) {
    guard let seconds else {
      append("null" as StaticString)
      return
    }
    let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    let rest = Int(seconds - Int64(days) * 86_400)
    let (y, m, d) = Timestamp.civilFromDays(days)
    func two(_ v: Int) {
      buffer.append(UInt8(v / 10) + 0x30)
      buffer.append(UInt8(v % 10) + 0x30)
    }
    buffer.append(0x22)
    two(y / 100)
    two(y % 100)
    buffer.append(0x2D)
    two(m)
    buffer.append(0x2D)
    two(d)
    buffer.append(0x54)
    two(rest / 3600)
    buffer.append(0x3A)
    two(rest / 60 % 60)
    buffer.append(0x3A)
    two(rest % 60)
    buffer.append(0x5A)
    buffer.append(0x22)
  }
}
