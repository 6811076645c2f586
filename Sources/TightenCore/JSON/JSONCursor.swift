import CScan

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
  ///
  /// The next quote or backslash is found sixteen bytes at a time
  /// (`tighten_find_quote_or_backslash`); a backslash escapes the byte after
  /// it, so the first quote no backslash escapes ends the string.
  @inline(__always) mutating func string() throws(ScanFailure) -> (start: Int, count: Int, hasEscape: Bool) {
    let start = pos + 1
    var i = start
    var escaped = false
    while true {
      i += tighten_find_quote_or_backslash(base + i, end - i)
      guard i < end else { throw .incomplete }
      if base[i] == ASCII.quote {
        pos = i + 1
        return (start, i - start, escaped)
      }
      escaped = true
      i += 2  // the escaped byte cannot end the string
      if i > end { throw .incomplete }
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
      _ = try string()
    case ASCII.openBrace, ASCII.openBracket:
      try skipContainer()
    case ASCII.minus, ASCII.zero...ASCII.nine, ASCII.t, ASCII.f, ASCII.n:
      try skipScalar()
    default:
      throw malformed("expected a value, found \(describe(c))")
    }
    return start
  }

  /// The container at `pos`, skipped 64 bytes at a time (`tighten_skip_container`, in C).
  private mutating func skipContainer() throws(ScanFailure) {
    var deep: Int32 = 0
    let after = tighten_skip_container(base, pos, end, depthLimit, &deep)
    if deep != 0 { tooDeep = true }
    guard after >= 0 else { throw .incomplete }
    pos = after
  }

  /// Numbers, `true`, `false`, `null`: up to the next delimiter.
  ///
  /// A literal followed by a delimiter (`true,`, `null}`: every literal
  /// CloudTrail writes) is taken whole: the byte-by-byte loop would stop at
  /// the same delimiter and find the same literal.
  private mutating func skipScalar() throws(ScanFailure) {
    let literal = literalCount(at: pos)
    if literal > 0 && pos &+ literal < end && Self.isDelimiter(base[pos &+ literal]) {
      pos &+= literal
      return
    }
    let start = pos
    var i = pos
    while i < end {
      if Self.isDelimiter(base[i]) {
        try validateScalar(start, i)
        pos = i
        return
      }
      i += 1
    }
    throw .incomplete
  }

  @inline(__always)
  private static func isDelimiter(_ b: UInt8) -> Bool {
    switch b {
    case ASCII.comma, ASCII.closeBrace, ASCII.closeBracket, ASCII.space, ASCII.newline, ASCII.carriageReturn,
      ASCII.tab:
      true
    default: false
    }
  }

  /// The length of the literal `true`, `false` or `null` whose bytes start at
  /// `i` (the bytes after it not looked at), else 0.
  @inline(__always)
  private func literalCount(at i: Int) -> Int {
    let word: UInt32
    switch base[i] {
    case ASCII.t, ASCII.n:
      guard i &+ 4 <= end else { return 0 }
      word = UInt32(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt32.self))
      return word == Self.trueWord || word == Self.nullWord ? 4 : 0
    case ASCII.f:
      guard i &+ 5 <= end else { return 0 }
      word = UInt32(littleEndian: UnsafeRawPointer(base + (i &+ 1)).loadUnaligned(as: UInt32.self))
      return word == Self.alseWord ? 5 : 0
    default:
      return 0
    }
  }

  /// `true`, `null` and the `alse` of `false` as their bytes load into a word, little-endian.
  private static let trueWord: UInt32 = 0x6575_7274
  private static let nullWord: UInt32 = 0x6C6C_756E
  private static let alseWord: UInt32 = 0x6573_6C61

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
  ///
  /// Compact JSON, as CloudTrail writes it (`,"name":` or `}`, no white
  /// space, no escape in the name), is read in one step; anything else the
  /// general way.
  @inline(__always)
  mutating func nextMember(_ first: inout Bool) throws(ScanFailure) -> (start: Int, count: Int, hasEscape: Bool)? {
    let open = first ? pos : pos &+ 1
    if open < end && base[open] == ASCII.quote && (first || base[pos] == ASCII.comma) {
      let start = open &+ 1
      let close = start &+ tighten_find_quote_or_backslash(base + start, end &- start)
      if close &+ 1 < end && base[close] == ASCII.quote && base[close &+ 1] == ASCII.colon {
        first = false
        pos = close &+ 2
        return (start, close &- start, false)
      }
    } else if pos < end && base[pos] == ASCII.closeBrace {
      pos &+= 1
      return nil
    }
    return try member(&first)
  }

  /// `nextMember` the general way: white space anywhere, escapes, errors.
  private mutating func member(_ first: inout Bool) throws(ScanFailure) -> (start: Int, count: Int, hasEscape: Bool)? {
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
