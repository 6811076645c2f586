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
      let (scalar, next) = try unicodeEscape(base, at: i, stop: stop)
      i = next
      arena.appendUTF8(scalar)
    default:
      throw .malformed(offset: i - 2, reason: "invalid escape \\\(Character(Unicode.Scalar(e)))")
    }
  }
  return Field(start: out, count: arena.count - out, location: .arena)
}

/// The scalar of the `XXXX` at `i` of a `\uXXXX` escape, joined with the low
/// surrogate's `\uXXXX` that follows a high one, and the index after what
/// was read. A lone surrogate is U+FFFD.
private func unicodeEscape(
  _ base: UnsafePointer<UInt8>, at i: Int, stop: Int
) throws(ScanFailure) -> (scalar: UInt32, next: Int) {
  var i = i
  var scalar = try hexQuad(base, at: i, stop: stop)
  i += 4
  if (0xD800..<0xDC00).contains(scalar) {
    if i + 6 <= stop, base[i] == ASCII.backslash, base[i + 1] == ASCII.u {
      let low = try hexQuad(base, at: i + 2, stop: stop)
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
  return (scalar, i)
}

/// Four hex digits at `at`, before `stop`.
private func hexQuad(_ base: UnsafePointer<UInt8>, at: Int, stop: Int) throws(ScanFailure) -> UInt32 {
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
