/// IAM's wildcard matching: `*` any run of characters, `?` exactly one.
enum Glob {
  /// Whether `pattern` matches `text` (bytes; case folded first when asked).
  static func matches(_ pattern: String, _ text: String, ignoringCase: Bool = false) -> Bool {
    var p = ignoringCase ? pattern.lowercased() : pattern
    var t = ignoringCase ? text.lowercased() : text
    return p.withUTF8 { p in t.withUTF8 { t in match(p, t, literalText: true) } }
  }

  /// Whether every string `observed` stands for is matched by `pattern`:
  /// `arn:aws:ec2:*:*:vpc/*` covers `arn:aws:ec2:us-east-1:1:vpc/*`, but
  /// `arn:aws:s3:::b/k*` does not cover `arn:aws:s3:::b/*`.
  ///
  /// Both sides are in IAM's resource syntax: `${*}`, `${?}` and `${$}` are the
  /// characters themselves (an observed S3 key `a*b` is `a${*}b`), matched
  /// only by themselves, `?` or `*`.
  static func covers(_ pattern: String, _ observed: String) -> Bool {
    var p = pattern
    var o = observed
    let plain = p.withUTF8 { p in
      o.withUTF8 { o in
        // `$` starts an escape; without one (the usual case) the bytes are matched as they are.
        hasByte(0x24, p) || hasByte(0x24, o)
          ? nil : match(p, o, literalText: !hasByte(0x2A, o) && !hasByte(0x3F, o))
      }
    }
    if let plain { return plain }
    return coversPrepared(literals(pattern), literals(observed))
  }

  /// `covers` for strings whose escapes `literals` has already turned into
  /// markers (each string prepared once, not once per comparison).
  static func coversPrepared(_ pattern: String, _ observed: String) -> Bool {
    var o = observed
    return o.withUTF8 { coversPrepared(pattern, Observed($0)) }
  }

  /// A prepared observed string's bytes, with whether it holds wildcards of its own (worked out once, for
  /// all the patterns it is matched with).
  struct Observed {
    let bytes: UnsafeBufferPointer<UInt8>
    /// No `*` or `?`: every byte is matched literally.
    let literal: Bool

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
      self.bytes = bytes
      literal = !hasByte(UInt8(ascii: "*"), bytes) && !hasByte(UInt8(ascii: "?"), bytes)
    }
  }

  /// `coversPrepared` for an observed string already prepared.
  static func coversPrepared(_ pattern: String, _ observed: Observed) -> Bool {
    let fast = pattern.utf8.withContiguousStorageIfAvailable {
      match($0, observed.bytes, literalText: observed.literal)
    }
    if let fast { return fast }
    var p = pattern
    return p.withUTF8 { match($0, observed.bytes, literalText: observed.literal) }
  }

  /// Whether `bytes` holds `byte` (`memchr`).
  @inline(__always) static func hasByte(_ byte: UInt8, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return false }
    return Platform.findByte(byte, in: base, count: bytes.count) != nil
  }

  /// `${*}` → `\u{1}`, `${?}` → `\u{2}`, `${$}` → `$`: escaped characters as
  /// bytes no wildcard test confuses with `*` or `?` (the markers `Variables`
  /// also uses).
  static func literals(_ text: String) -> String {
    guard text.containsByte(0x24), text.contains("${") else { return text }
    return Placeholders.replace(in: text) { name in
      switch name {
      case "*": "\u{1}"
      case "?": "\u{2}"
      case "$": "$"
      default: "${" + name + "}"
      }
    } ?? text
  }

  /// A request value for wildcard matching: its own `*` and `?` as the
  /// markers `literals` gives `${*}` and `${?}`, so that only those escapes
  /// (or a wildcard) match them.
  static func marked(_ text: String) -> String {
    guard text.containsByte(0x2A) || text.containsByte(0x3F) else { return text }
    return String(text.map { $0 == "*" ? "\u{1}" : $0 == "?" ? "\u{2}" : $0 })
  }

  /// The characters the markers stand for (`marked`'s inverse).
  static func unmarked(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 == 1 || $0 == 2 }) else { return text }
    return String(text.map { $0 == "\u{1}" ? "*" : $0 == "\u{2}" ? "?" : $0 })
  }

  /// Iterative wildcard matching with one backtrack point: linear for most
  /// pairs, at most pattern × text steps, and no allocation. When the text
  /// has wildcards of its own (a pattern the trail's data produced), a text
  /// `*` is matched only by a pattern `*`, and a text `?` by a pattern `?` or `*`.
  private static func match(
    _ p: UnsafeBufferPointer<UInt8>, _ t: UnsafeBufferPointer<UInt8>, literalText: Bool
  ) -> Bool {
    @inline(__always) func one(_ pc: UInt8, _ tc: UInt8) -> Bool {
      if literalText { return pc == 0x3F || pc == tc }
      if tc == 0x2A { return false }  // only a pattern * covers a text *
      return pc == 0x3F ? true : pc == tc && tc != 0x3F
    }
    var (pi, ti) = (0, 0)
    // The pattern's literal start, eight bytes at a time: equal words, none of whose pattern bytes is a
    // wildcard, advance both sides as the loop below would, byte by byte.
    if let pb = p.baseAddress, let tb = t.baseAddress {
      @inline(__always) func hasZeroByte(_ x: UInt64) -> Bool {
        (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
      }
      while pi + 8 <= p.count && pi + 8 <= t.count {
        let word = UnsafeRawPointer(pb + pi).loadUnaligned(as: UInt64.self)
        guard word == UnsafeRawPointer(tb + pi).loadUnaligned(as: UInt64.self),
          !hasZeroByte(word ^ 0x2A2A_2A2A_2A2A_2A2A), !hasZeroByte(word ^ 0x3F3F_3F3F_3F3F_3F3F)
        else { break }
        pi += 8
      }
      ti = pi
    }
    // A `?` is one character (IAM: "any single character"): a scalar's UTF-8 bytes, its lead byte and the
    // continuation bytes after it; a `*` moves on by whole scalars. ASCII text never looks further.
    @inline(__always) func nextScalar(_ i: Int) -> Int {
      var i = i + 1
      while i < t.count && t[i] & 0xC0 == 0x80 { i += 1 }
      return i
    }
    var star = -1
    var mark = 0
    while ti < t.count {
      if pi < p.count && p[pi] != 0x2A && one(p[pi], t[ti]) {
        ti = p[pi] == 0x3F && t[ti] >= 0xC0 ? nextScalar(ti) : ti + 1
        pi += 1
      } else if pi < p.count && p[pi] == 0x2A {
        if pi == p.count - 1 { return true }  // a final * takes whatever is left
        star = pi
        mark = ti
        pi += 1
      } else if star >= 0 {
        pi = star + 1
        mark = t[mark] >= 0xC0 ? nextScalar(mark) : mark + 1
        ti = mark
      } else {
        return false
      }
    }
    while pi < p.count && p[pi] == 0x2A { pi += 1 }
    return pi == p.count
  }
}

extension String {
  /// Whether the text's UTF-8 holds `byte`: `memchr` where the bytes lie
  /// together (native strings), else a byte loop.
  func containsByte(_ byte: UInt8) -> Bool {
    utf8.withContiguousStorageIfAvailable { bytes in
      bytes.baseAddress.map { Platform.findByte(byte, in: $0, count: bytes.count) != nil } ?? false
    } ?? utf8.contains(byte)
  }
}

extension String {
  /// Whether the text sorts before `other` by UTF-8 bytes (`memcmp` where
  /// both lie together; the same order as comparing `utf8` views).
  func bytesPrecede(_ other: String) -> Bool {
    let fast = utf8.withContiguousStorageIfAvailable { a in
      other.utf8.withContiguousStorageIfAvailable { b in compareBytes(a, b) < 0 }
    }
    return (fast ?? nil) ?? utf8.lexicographicallyPrecedes(other.utf8)
  }
}
