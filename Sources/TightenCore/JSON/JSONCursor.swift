#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Named bytes of the JSON grammar.
enum ASCII {
  static let quote: UInt8 = 0x22  // "
  static let backslash: UInt8 = 0x5C
  static let slash: UInt8 = 0x2F
  static let comma: UInt8 = 0x2C
  static let colon: UInt8 = 0x3A
  static let openBrace: UInt8 = 0x7B
  static let closeBrace: UInt8 = 0x7D
  static let openBracket: UInt8 = 0x5B
  static let closeBracket: UInt8 = 0x5D
  static let space: UInt8 = 0x20
  static let tab: UInt8 = 0x09
  static let newline: UInt8 = 0x0A
  static let carriageReturn: UInt8 = 0x0D
  static let minus: UInt8 = 0x2D
  static let zero: UInt8 = 0x30
  static let nine: UInt8 = 0x39
  static let t: UInt8 = 0x74
  static let f: UInt8 = 0x66
  static let n: UInt8 = 0x6E
  static let u: UInt8 = 0x75
}

/// Why a scan of the bytes in hand stopped.
enum ScanFailure: Error, Equatable {
  /// The value goes on past the bytes in hand: read more and try again.
  case incomplete
  /// The bytes are not JSON; `offset` is an index into the scanned buffer.
  case malformed(offset: Int, reason: String)
}

/// Where a scanned string or value lies.
///
/// `location` says which buffer `start` indexes: the record's bytes, the
/// arena of decoded strings, or none when the field was absent or `null`.
public struct Field: Equatable, Sendable {
  enum Location: UInt8, Sendable { case absent, record, arena }
  var start: Int
  var count: Int
  var location: Location

  static let absent = Field(start: 0, count: 0, location: .absent)
  public var isPresent: Bool { location != .absent }
}

/// Growable storage for strings whose escapes had to be decoded, reset per record.
final class ByteArena {
  private(set) var base: UnsafeMutablePointer<UInt8>
  private(set) var capacity: Int
  private(set) var count = 0

  init(capacity: Int = 4096) {
    self.capacity = capacity
    self.base = .allocate(capacity: capacity)
  }

  deinit { base.deallocate() }

  func reset() { count = 0 }

  func reserve(_ extra: Int) {
    guard count + extra > capacity else { return }
    var newCapacity = capacity * 2
    while newCapacity < count + extra { newCapacity *= 2 }
    let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    fresh.update(from: base, count: count)
    base.deallocate()
    base = fresh
    capacity = newCapacity
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

/// A forward-only reader over bytes in memory, in the manner of
/// swift-foundation's `JSONScanner`: `peek`, `skipWhitespace`, strings and
/// values skipped without building anything.
///
/// It never reads past `end`. When a value runs past `end` it throws
/// `.incomplete`, and the caller reads more and starts the value again.
struct JSONCursor {
  let base: UnsafePointer<UInt8>
  let end: Int
  var pos: Int
  /// Values may nest this deep; deeper ones are skipped but flagged.
  let depthLimit: Int
  /// Set by `skipValue` when a value nested deeper than `depthLimit`.
  var tooDeep = false

  init(base: UnsafePointer<UInt8>, start: Int, end: Int, depthLimit: Int) {
    self.base = base
    self.pos = start
    self.end = end
    self.depthLimit = depthLimit
  }

  @inline(__always) var atEnd: Bool { pos >= end }

  @inline(__always) mutating func skipWhitespace() {
    while pos < end {
      let c = base[pos]
      if c == ASCII.space || c == ASCII.newline || c == ASCII.carriageReturn || c == ASCII.tab {
        pos += 1
      } else {
        return
      }
    }
  }

  /// The next byte after white space, or `.incomplete` when there is none.
  @inline(__always) mutating func peekSignificant() throws(ScanFailure) -> UInt8 {
    skipWhitespace()
    guard pos < end else { throw .incomplete }
    return base[pos]
  }

  @inline(__always) mutating func expect(_ byte: UInt8, _ what: StaticString) throws(ScanFailure) {
    let c = try peekSignificant()
    guard c == byte else { throw malformed("expected \(what), found \(describe(c))") }
    pos += 1
  }

  func malformed(_ reason: String, at offset: Int? = nil) -> ScanFailure {
    .malformed(offset: offset ?? pos, reason: reason)
  }

  /// Reads a string at `pos` (which must be a quote) and returns its content's
  /// place, without decoding escapes; `hasEscape` says whether any are there.
  @inline(__always) mutating func string(
    detectEscapes: Bool = true
  ) throws(ScanFailure) -> (start: Int, count: Int, hasEscape: Bool) {
    let start = pos + 1
    var i = start
    var escaped = false
    // Most strings are short (member names, ids): look at a few bytes before calling memchr.
    let quick = min(end, start + 24)
    while i < quick {
      let b = base[i]
      if b == ASCII.quote {
        pos = i + 1
        return (start, i - start, escaped)
      }
      if b == ASCII.backslash {
        escaped = true
        i += 2  // the escaped byte cannot end the string
        continue
      }
      i += 1
    }
    if i > end { throw .incomplete }
    while true {
      guard i < end, let found = memchr(base + i, Int32(ASCII.quote), end - i) else { throw .incomplete }
      let q = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
      // A quote ends the string unless an odd run of backslashes precedes it.
      var k = q - 1
      var run = 0
      while k >= start && base[k] == ASCII.backslash {
        run += 1
        k -= 1
      }
      if run > 0 { escaped = true }
      if run & 1 == 0 {
        if detectEscapes, !escaped, memchr(base + start, Int32(ASCII.backslash), q - start) != nil {
          escaped = true
        }
        pos = q + 1
        return (start, q - start, escaped)
      }
      i = q + 1
    }
  }

  /// Skips one value of any kind and returns where it started.
  ///
  /// Containers are skipped with a depth counter, not recursion, so nesting
  /// costs no stack; nesting past `depthLimit` sets `tooDeep`.
  @discardableResult
  mutating func skipValue() throws(ScanFailure) -> Int {
    let c = try peekSignificant()
    let start = pos
    switch c {
    case ASCII.quote:
      _ = try string(detectEscapes: false)
    case ASCII.openBrace, ASCII.openBracket:
      try skipContainer()
    case ASCII.minus, ASCII.zero...ASCII.nine, ASCII.t, ASCII.f, ASCII.n:
      try skipScalar()
    default:
      throw malformed("expected a value, found \(describe(c))")
    }
    return start
  }

  private mutating func skipContainer() throws(ScanFailure) {
    var depth = 0
    var i = pos
    while i < end {
      let c = base[i]
      switch c {
      case ASCII.quote:
        pos = i
        _ = try string(detectEscapes: false)
        i = pos
        continue
      case ASCII.openBrace, ASCII.openBracket:
        depth += 1
        if depth > depthLimit { tooDeep = true }
      case ASCII.closeBrace, ASCII.closeBracket:
        depth -= 1
        if depth == 0 {
          pos = i + 1
          return
        }
      default:
        break
      }
      i += 1
    }
    throw .incomplete
  }

  /// Numbers, `true`, `false`, `null`: up to the next delimiter.
  private mutating func skipScalar() throws(ScanFailure) {
    let start = pos
    var i = pos
    while i < end {
      switch base[i] {
      case ASCII.comma, ASCII.closeBrace, ASCII.closeBracket, ASCII.space, ASCII.newline,
        ASCII.carriageReturn, ASCII.tab:
        try validateScalar(start, i)
        pos = i
        return
      default:
        i += 1
      }
    }
    throw .incomplete
  }

  @inline(__always)
  private func validateScalar(_ start: Int, _ stop: Int) throws(ScanFailure) {
    let first = base[start]
    if first == ASCII.t || first == ASCII.f || first == ASCII.n {
      let p = base + start
      let n = stop - start
      if !(same(p, n, "true") || same(p, n, "false") || same(p, n, "null")) {
        throw malformed("invalid literal", at: start)
      }
    }
  }

  /// Steps to the next member of an object whose `{` is consumed: reads the
  /// separator, the member name and its colon. Returns nil at the closing `}`.
  @inline(__always)
  mutating func nextMember(_ first: inout Bool) throws(ScanFailure) -> (start: Int, count: Int, hasEscape: Bool)? {
    var b = try peekSignificant()
    if b == ASCII.closeBrace {
      pos += 1
      return nil
    }
    if !first {
      guard b == ASCII.comma else { throw malformed("expected ',' or '}' after a member, found \(describe(b))") }
      pos += 1
      b = try peekSignificant()
    }
    first = false
    guard b == ASCII.quote else { throw malformed("expected a member name, found \(describe(b))") }
    let key = try string()
    try expect(ASCII.colon, "':'")
    return key
  }

  /// Steps to the next element of an array whose `[` is consumed. Returns false at the closing `]`.
  @inline(__always)
  mutating func nextElement(_ first: inout Bool) throws(ScanFailure) -> Bool {
    let b = try peekSignificant()
    if b == ASCII.closeBracket {
      pos += 1
      return false
    }
    if !first {
      guard b == ASCII.comma else { throw malformed("expected ',' or ']' between elements, found \(describe(b))") }
      pos += 1
      _ = try peekSignificant()
    }
    first = false
    return true
  }

  /// `true` when the next value is the literal `null` (which is then consumed).
  mutating func consumeNull() throws(ScanFailure) -> Bool {
    guard try peekSignificant() == ASCII.n else { return false }
    try skipScalar()
    return true
  }

  /// Reads `true` or `false`; nil (and nothing consumed) for any other value.
  mutating func boolean() throws(ScanFailure) -> Bool? {
    let c = try peekSignificant()
    guard c == ASCII.t || c == ASCII.f else { return nil }
    try skipScalar()
    return c == ASCII.t
  }
}

/// A byte as a reader would want it in an error message.
func describe(_ c: UInt8) -> String {
  switch c {
  case 0x20...0x7E: "'\(Character(Unicode.Scalar(c)))'"
  default: "byte 0x\(String(c, radix: 16, uppercase: true))"
  }
}

/// Decodes a JSON string's escapes into the arena and returns the decoded place.
///
/// `\uXXXX` escapes become UTF-8, surrogate pairs are joined, and a lone
/// surrogate becomes U+FFFD as JSON parsers conventionally do.
func decodeEscapes(
  _ base: UnsafePointer<UInt8>, start: Int, count: Int, into arena: ByteArena
) throws(ScanFailure) -> Field {
  let out = arena.count
  arena.reserve(count)
  var i = start
  let stop = start + count
  func hex(_ at: Int) throws(ScanFailure) -> UInt32 {
    guard at + 4 <= stop else { throw .malformed(offset: at, reason: "incomplete \\u escape") }
    var v: UInt32 = 0
    for k in at..<(at + 4) {
      let c = base[k]
      let d: UInt32
      switch c {
      case 0x30...0x39: d = UInt32(c - 0x30)
      case 0x41...0x46: d = UInt32(c - 0x41 + 10)
      case 0x61...0x66: d = UInt32(c - 0x61 + 10)
      default: throw .malformed(offset: k, reason: "invalid hex digit in \\u escape")
      }
      v = v << 4 | d
    }
    return v
  }
  while i < stop {
    let c = base[i]
    if c != ASCII.backslash {
      arena.append(c)
      i += 1
      continue
    }
    guard i + 1 < stop else { throw .malformed(offset: i, reason: "unfinished escape") }
    let e = base[i + 1]
    i += 2
    switch e {
    case ASCII.quote, ASCII.backslash, ASCII.slash: arena.append(e)
    case 0x62: arena.append(0x08)  // \b
    case 0x66: arena.append(0x0C)  // \f
    case 0x6E: arena.append(0x0A)  // \n
    case 0x72: arena.append(0x0D)  // \r
    case 0x74: arena.append(0x09)  // \t
    case ASCII.u:
      var scalar = try hex(i)
      i += 4
      if (0xD800..<0xDC00).contains(scalar) {
        if i + 6 <= stop, base[i] == ASCII.backslash, base[i + 1] == ASCII.u {
          let low = try hex(i + 2)
          if (0xDC00..<0xE000).contains(low) {
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            i += 6
          } else {
            scalar = 0xFFFD
          }
        } else {
          scalar = 0xFFFD
        }
      } else if (0xDC00..<0xE000).contains(scalar) {
        scalar = 0xFFFD
      }
      arena.appendUTF8(scalar)
    default:
      throw .malformed(offset: i - 2, reason: "invalid escape \\\(Character(Unicode.Scalar(e)))")
    }
  }
  return Field(start: out, count: arena.count - out, location: .arena)
}
