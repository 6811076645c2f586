import CScan

/// Output written as bytes and handed on in large pieces, so a report of a
/// million rows never sits whole in memory.
public final class ByteSink {
  private let buffer = ByteArena(capacity: 1 << 16)
  private let flushAt: Int
  private let write: (UnsafeBufferPointer<UInt8>) -> Void

  /// - Parameter write: Receives each piece, in order.
  public init(flushAt: Int = 1 << 20, write: @escaping (UnsafeBufferPointer<UInt8>) -> Void) {
    self.flushAt = flushAt
    self.write = write
    buffer.reserve(flushAt + 4096)
  }

  /// Collects everything into a string (tests, small outputs).
  public static func collect(_ body: (ByteSink) -> Void) -> String {
    var out: [UInt8] = []
    let sink = ByteSink { out.append(contentsOf: $0) }
    body(sink)
    sink.flush()
    return String(decoding: out, as: UTF8.self)
  }

  /// A sink that keeps all it is given, for `drain`: one thread's piece
  /// of a report made on several.
  init(holding capacity: Int) {
    flushAt = .max
    write = { _ in }
    buffer.reserve(capacity)
  }

  /// Appends all this sink holds to `other`, and empties this one.
  func drain(into other: ByteSink) {
    let piece = UnsafeBufferPointer(start: buffer.base, count: buffer.count)
    if piece.count >= other.flushAt {
      // A piece as large as `other` hands on is handed on as it is, after what `other` holds: not copied.
      other.flush()
      other.write(piece)
    } else {
      other.append(piece)
    }
    buffer.reset()
  }

  /// Lets `body` write up to `capacity` bytes straight into the buffer; it
  /// returns how many it wrote.
  func writeDirectly(reserving capacity: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
    buffer.reserve(capacity)
    buffer.advance(body(buffer.base + buffer.count))
    maybeFlush()
  }

  public func flush() {
    if buffer.count > 0 {
      write(UnsafeBufferPointer(start: buffer.base, count: buffer.count))
      buffer.reset()
    }
  }

  @inline(__always) private func maybeFlush() {
    if buffer.count >= flushAt { flush() }
  }

  public func append(_ text: String) {
    var text = text
    text.withUTF8 { append($0) }
  }

  public func append(_ text: StaticString) {
    buffer.append(text.utf8Start, count: text.utf8CodeUnitCount)
  }

  public func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    if let base = bytes.baseAddress { buffer.append(base, count: bytes.count) }
    maybeFlush()
  }

  public func append(_ n: Int) {
    // Digits from the last, divided by the constant ten (a multiply), into the buffer's room; then moved
    // to the front of that room. Dividing by a power of ten found at run time cost some 200 instructions
    // for a time in epoch seconds.
    buffer.reserve(21)
    let room = buffer.base + buffer.count
    var v = n.magnitude
    var end = 21
    repeat {
      end -= 1
      room[end] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
      v /= 10
    } while v > 0
    if n < 0 {
      end -= 1
      room[end] = 0x2D
    }
    UnsafeMutableRawPointer(room).copyMemory(from: room + end, byteCount: 21 - end)  // memmove: they may overlap
    buffer.advance(21 - end)
  }

  /// A JSON string of the bytes, escaped where JSON needs it.
  public func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>) {
    buffer.append(0x22)
    if let base = bytes.baseAddress, tighten_json_needs_escape(base, bytes.count) != 0 {
      var quoted = JSONWriter.quote(String(decoding: bytes, as: UTF8.self))
      quoted.withUTF8 { buffer.append($0.baseAddress! + 1, count: $0.count - 2) }
    } else if let base = bytes.baseAddress {
      buffer.append(base, count: bytes.count)
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
    // Reports list many times of few days: the date part is made once per day.
    let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    if day != dateDay || date.isEmpty {
      date = Array(Timestamp.format(day * 86_400).utf8.dropLast(9))  // "2026-11-20T"
      dateDay = day
    }
    let rest = Int(seconds - day * 86_400)
    let (hour, minute, second) = (rest / 3600, rest / 60 % 60, rest % 60)
    buffer.append(0x22)
    date.withUnsafeBufferPointer { buffer.append($0.baseAddress!, count: $0.count) }
    appendTwoDigits(hour)
    buffer.append(0x3A)
    appendTwoDigits(minute)
    buffer.append(0x3A)
    appendTwoDigits(second)
    buffer.append(0x5A)
    buffer.append(0x22)
  }

  @inline(__always) private func appendTwoDigits(_ v: Int) {
    buffer.append(UInt8(v / 10) + 0x30)
    buffer.append(UInt8(v % 10) + 0x30)
  }

  /// The date part of the last timestamp appended, and its day.
  private var date: [UInt8] = []
  private var dateDay: Int64 = 0
}
