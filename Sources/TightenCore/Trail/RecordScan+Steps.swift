/// The steps of a scan, one per `ScanMode`. Each reads from the cursor over
/// the bytes in hand and moves `start` past what it has finished with.
extension RecordScan {
  /// Between top-level values: a records array, an object (a record, a
  /// wrapper or a records container), or the end of the input. Returns false
  /// when the input is done.
  @inline(__always)
  mutating func stepTop(_ c: inout JSONCursor, _ onRecord: OnRecord) throws(ScanFailure) -> Bool {
    let stepStart = start
    c.skipWhitespace()
    if c.atEnd {
      start = c.pos
      return !eof
    }
    let b = c.base[c.pos]
    if b == ASCII.openBracket {
      c.pos += 1
      values += 1
      start = c.pos
      mode = .array(needComma: false, inObject: false)
    } else if b == ASCII.openBrace {
      let item = try parser.parseItem(&c)
      values += 1
      if case .container(let arrayStart) = item {
        start = arrayStart + 1
        mode = .array(needComma: false, inObject: true)
      } else {
        try deliver(item, at: stepStart, onRecord)
        start = c.pos
      }
    } else {
      throw ScanFailure.malformed(
        offset: c.pos, reason: "expected '{' or '[' (CloudTrail JSON), found \(describe(b))")
    }
    return true
  }

  /// Inside a records array: the separator and the next record, or the end of the array.
  @inline(__always)
  mutating func stepArray(_ c: inout JSONCursor, _ onRecord: OnRecord) throws(ScanFailure) {
    guard case .array(let needComma, let inObject) = mode else { preconditionFailure("not in a records array") }
    let b = try c.peekSignificant()
    if b == ASCII.closeBracket {
      c.pos += 1
      start = c.pos
      mode = inObject ? .afterArray(needComma: true) : .top
      return
    }
    if needComma {
      guard b == ASCII.comma else {
        throw ScanFailure.malformed(
          offset: c.pos, reason: "expected ',' or ']' between records, found \(describe(b))")
      }
      c.pos += 1
      start = c.pos
      mode = .array(needComma: false, inObject: inObject)
      _ = try c.peekSignificant()
    }
    let elementStart = c.pos
    let item = try parser.parseItem(&c)
    if case .container = item {
      // A records container inside an array: read it whole, in place.
      c.pos = elementStart
      try c.skipValue()
      try deliverNested(elementStart..<c.pos, onRecord)
    } else {
      try deliver(item, at: elementStart, onRecord)
    }
    start = c.pos
    mode = .array(needComma: true, inObject: inObject)
  }

  /// In a top-level object after its records array: skips one other member,
  /// or ends the object.
  @inline(__always)
  mutating func stepAfterArray(_ c: inout JSONCursor) throws(ScanFailure) {
    guard case .afterArray(let needComma) = mode else { preconditionFailure("not after a records array") }
    var b = try c.peekSignificant()
    if b == ASCII.closeBrace {
      c.pos += 1
      start = c.pos
      mode = .top
      return
    }
    if needComma {
      guard b == ASCII.comma else {
        throw ScanFailure.malformed(
          offset: c.pos, reason: "expected ',' or '}' after the records, found \(describe(b))")
      }
      c.pos += 1
      b = try c.peekSignificant()
    }
    guard b == ASCII.quote else {
      throw ScanFailure.malformed(offset: c.pos, reason: "expected a member name, found \(describe(b))")
    }
    _ = try c.string()
    try c.expect(ASCII.colon, "':'")
    try c.skipValue()
    start = c.pos
    mode = .afterArray(needComma: true)
  }
}
