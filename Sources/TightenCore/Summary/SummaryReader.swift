/// Reads a usage summary (`UsageSummary` describes the format) into a part
/// to merge, checking everything a merge relies on: the catalogue and
/// filters it was made with, ids in range, rows in order, and its end.
struct SummaryReader {
  /// What a summary holds.
  struct Summary {
    var part: UsagePart
    var files: SummaryFiles
    var invalid: Int
    /// The header line as written (the cache reads its key there).
    var header: PolicyValue
  }

  private let reader: GzipReader
  private let filter: TrailFilter
  private var path: String { reader.path }
  private var part = UsagePart.empty()
  private var files = SummaryFiles()
  private var invalid = 0
  private var headerValue = PolicyValue.null
  private var lineNumber = 0
  private var expectedRows = 0
  private var expectedStrings = 0
  private var contextRank: [Int] = []
  /// Each string id's rank in the byte order of the table (equal strings share one).
  private var stringRank: [Int] = []
  private let arena = ByteArena(capacity: 1024)

  /// Whether binary blocks are read (`UsageSummary.BinaryBlock`): the cache's rollups.
  private let binary: Bool

  /// Reads the summary `reader` holds, as a run with `filter` would use it.
  /// - Parameter binary: Whether it may hold binary blocks (a cache's rollup; no other summary may).
  static func read(_ reader: GzipReader, filter: TrailFilter, binary: Bool = false) throws(InputError) -> Summary {
    var r = SummaryReader(reader: reader, filter: filter, binary: binary)
    try r.readLines()
    return Summary(part: r.part, files: r.files, invalid: r.invalid, header: r.headerValue)
  }

  private init(reader: GzipReader, filter: TrailFilter, binary: Bool) {
    self.reader = reader
    self.filter = filter
    self.binary = binary
  }

  private enum Kind: String {
    case header = "tightenSummary"
    case paths, strings, contexts, principals, unmapped, dataEventSources, rows, end
    case binaryStrings, binaryRows
  }

  private mutating func readLines() throws(InputError) {
    var lines = LineReader(reader)
    var ended = false
    while let line = try lines.next() {
      lineNumber += 1
      if line.count == 0 { continue }
      if ended { throw fail("data after the end line") }
      var bulk: Kind? = nil
      do throws(ScanFailure) {
        var c = JSONCursor(base: line.baseAddress!, start: 0, end: line.count, depthLimit: 8)
        let kind = try lineKind(&c, line)
        if kind == .strings || kind == .rows {
          try kind == .strings ? strings(&c) : rows(&c)
          try c.expect(ASCII.closeBrace, "'}'")
          c.skipWhitespace()
          if !c.atEnd { throw c.malformed("more after the line's object") }
        }
        bulk = kind
      } catch {
        switch error {
        case .incomplete: throw fail("the line ends too early")
        case .malformed(let offset, let reason): throw fail("byte \(offset): \(reason)")
        }
      }
      switch bulk {
      case .strings?, .rows?: continue
      case .binaryStrings?, .binaryRows?: try block(bulk!, line, &lines)
      case .end?:
        try end(line)
        ended = true
      case let kind?: try value(kind, line)
      case nil: continue
      }
    }
    if !ended { throw InputError(path: path, kind: .truncated, reason: "the usage summary ends before its end line") }
  }

  /// The line's kind: the name of its object's first member.
  private func lineKind(_ c: inout JSONCursor, _ line: UnsafeBufferPointer<UInt8>) throws(ScanFailure) -> Kind {
    try c.expect(ASCII.openBrace, "'{'")
    guard try c.peekSignificant() == ASCII.quote else { throw c.malformed("expected a member name") }
    let name = try c.string()
    try c.expect(ASCII.colon, "':'")
    let text = String(
      decoding: UnsafeBufferPointer(rebasing: line[name.start..<name.start + name.count]), as: UTF8.self)
    guard let kind = Kind(rawValue: text), lineNumber > 1 || kind == .header,
      binary || (kind != .binaryStrings && kind != .binaryRows)
    else {
      throw c.malformed(lineNumber == 1 ? "not a usage summary" : "unknown line kind '\(text)'", at: name.start)
    }
    return kind
  }

  private func fail(_ reason: String, kind: InputError.Kind = .malformed) -> InputError {
    InputError(path: path, kind: kind, reason: "usage summary line \(lineNumber): \(reason)")
  }

  // MARK: - Small lines, read as values

  private mutating func value(_ kind: Kind, _ line: UnsafeBufferPointer<UInt8>) throws(InputError) {
    let text = String(decoding: line, as: UTF8.self)
    let value: PolicyValue
    do { value = try PolicyValue.parseJSON(text, path: path) } catch { throw fail(error.reason) }
    switch kind {
    case .header: try header(value)
    case .paths: files.paths = try list(value["paths"], "paths") { $0.string }
    case .contexts:
      part.contexts += try list(value["contexts"], "contexts") { c in
        guard case .array(let f) = c, f.count == 8, case let s = f[0..<7].compactMap(\.string), s.count == 7
        else { return nil }
        let mfa: Bool?
        switch f[7] {
        case .bool(let b): mfa = b
        case .null: mfa = nil
        default: return nil
        }
        return CallContext(
          principal: s[0], sessionArn: s[1], principalAccount: s[2], region: s[3], sourceIP: s[4], invokedBy: s[5],
          passedToService: s[6], mfa: mfa)
      }
      contextRank = RowOrder.contextRanks(part.contexts)
    case .principals:
      for (arn, n) in try list(value["principals"], "principals", pair) { part.counts.principals[arn, default: 0] += n }
    case .unmapped:
      for u in try list(
        value["unmapped"], "unmapped",
        { u -> (UnmappedCall, Int)? in
          guard case .array(let f) = u, f.count == 4, let s = f[0].string, let n = f[1].string, let r = f[2].string,
            let count = Self.count(f[3])
          else { return nil }
          return (UnmappedCall(eventSource: s, eventName: n, reason: r), count)
        })
      {
        part.counts.unmapped[u.0, default: 0] += u.1
      }
    case .dataEventSources:
      part.counts.dataEventSources.formUnion(try list(value["dataEventSources"], "dataEventSources") { $0.string })
    default: break
    }
  }

  private mutating func header(_ h: PolicyValue) throws(InputError) {
    headerValue = h
    guard let format = h["tightenSummary"].flatMap(Self.count) else { throw fail("no format version") }
    guard format == UsageSummary.formatVersion else {
      throw fail(
        "written in summary format \(format); this tighten reads format \(UsageSummary.formatVersion)",
        kind: .incompatible)
    }
    let catalog = h["catalog"]?.string ?? "?"
    let tool = h["tighten"]?.string ?? "?"
    guard catalog == UsageSummary.catalogVersion, tool == TightenVersion.tool else {
      throw fail(
        "written by tighten \(tool) with IAM catalogue \(catalog); this is tighten \(TightenVersion.tool) with "
          + "\(UsageSummary.catalogVersion): summarise the trails again with this version",
        kind: .incompatible)
    }
    guard let made = Self.filter(h["filter"]) else { throw fail("the filter is not as the format says") }
    guard made == filter else {
      throw fail(
        "made with \(UsageSummary.describe(made)); this run has \(UsageSummary.describe(filter)): "
          + "summarise with the same filters",
        kind: .incompatible)
    }
    guard let f = h["files"], let read = f["read"].flatMap(Self.count), let events = h["events"],
      let total = events["total"].flatMap(Self.count), let counted = events["counted"].flatMap(Self.count),
      let invalid = events["invalid"].flatMap(Self.count), let size = h["size"],
      let strings = size["strings"].flatMap(Self.count), let rows = size["rows"].flatMap(Self.count)
    else { throw fail("the header lacks files, events or size") }
    files.read = read
    for reason in SkipReason.allCases {
      if let n = f["skipped"]?[reason.rawValue].flatMap(Self.count), n > 0 { files.skipped[reason] = n }
    }
    files.failed = try list(f["failed"], "failed", Self.inputError)
    files.warnings = try list(f["warnings"], "warnings", Self.inputError)
    part.counts.total = total
    part.counts.counted = counted
    for reason in Exclusion.allCases {
      if let n = events["excluded"]?[reason.rawValue].flatMap(Self.count), n > 0 { part.counts.excluded[reason] = n }
    }
    self.invalid = invalid
    expectedStrings = strings
    expectedRows = rows
    // Room for strings of 96 bytes on average at once: growing by doubling
    // would copy the table and touch twice its memory; room reserved and
    // never written costs no memory.
    part.names = Interner(expected: min(strings, 1 << 22), bytes: min(strings, 1 << 22) * 96)
    part.rows.reserveCapacity(min(rows, 1 << 22))
  }

  private static func filter(_ v: PolicyValue?) -> TrailFilter? {
    guard let v else { return nil }
    let texts = { (key: String) -> [String]? in
      guard case .array(let items) = v[key] else { return nil }
      let strings = items.compactMap(\.string)
      return strings.count == items.count ? strings : nil
    }
    let time = { (key: String) -> Int64?? in
      switch v[key] {
      case .null: return .some(nil)
      case .string(let s): return Timestamp.parse(s).map { .some($0) }
      default: return nil
      }
    }
    guard let principals = texts("principals"), let regions = texts("regions"), let accounts = texts("accounts"),
      let since = time("since"), let until = time("until")
    else { return nil }
    return TrailFilter(principals: principals, since: since, until: until, regions: regions, accounts: accounts)
  }

  private static func inputError(_ v: PolicyValue) -> InputError? {
    guard let path = v["path"]?.string, let kind = v["kind"]?.string.flatMap(InputError.Kind.init(rawValue:)),
      let reason = v["reason"]?.string
    else { return nil }
    return InputError(path: path, kind: kind, offset: v["offset"].flatMap(count), reason: reason)
  }

  private func pair(_ v: PolicyValue) -> (String, Int)? {
    guard case .array(let f) = v, f.count == 2, let s = f[0].string, let n = Self.count(f[1]) else { return nil }
    return (s, n)
  }

  /// A non-negative integer of a header value (the cache reads its key with it too).
  static func count(_ v: PolicyValue) -> Int? {
    guard case .number(let text) = v, let n = Int(text), n >= 0 else { return nil }
    return n
  }

  private func list<T>(_ v: PolicyValue?, _ what: String, _ item: (PolicyValue) -> T?) throws(InputError) -> [T] {
    guard case .array(let items) = v else { throw fail("\(what) is not a list") }
    var out: [T] = []
    out.reserveCapacity(items.count)
    for (i, x) in items.enumerated() {
      guard let t = item(x) else { throw fail("\(what) item \(i) is not as the format says") }
      out.append(t)
    }
    return out
  }

  // MARK: - Bulk lines, read byte by byte

  /// `["…", …]`: the next ids of the string table. They are not looked up:
  /// rows are compared and merged by their strings' bytes, so a repeated
  /// string changes nothing (rows still have to be in strict order).
  private mutating func strings(_ c: inout JSONCursor) throws(ScanFailure) {
    try c.expect(ASCII.openBracket, "'['")
    var first = true
    while try c.nextElement(&first) {
      guard try c.peekSignificant() == ASCII.quote else { throw c.malformed("expected a string") }
      let s = try c.string()
      if s.hasEscape {
        arena.reset()
        let field = try decodeEscapes(c.base, start: s.start, count: s.count, into: arena)
        part.names.append(arena.base + field.start, field.count)
      } else {
        part.names.append(c.base + s.start, s.count)
      }
    }
  }

  /// `[[action, resource, context, count, denied, first, last], …]`, in order.
  private mutating func rows(_ c: inout JSONCursor) throws(ScanFailure) {
    if let missing = stringsMissing { throw c.malformed(missing) }
    rankStrings()
    try c.expect(ASCII.openBracket, "'['")
    var first = true
    let names = part.names
    while try c.nextElement(&first) {
      try c.expect(ASCII.openBracket, "'['")
      let action = try Self.integer(&c, below: names.count)
      try c.expect(ASCII.comma, "','")
      let resource = try Self.integer(&c, below: names.count)
      try c.expect(ASCII.comma, "','")
      let context = try Self.integer(&c, below: part.contexts.count)
      try c.expect(ASCII.comma, "','")
      let count = try Self.integer(&c)
      try c.expect(ASCII.comma, "','")
      let denied = try Self.integer(&c)
      try c.expect(ASCII.comma, "','")
      let firstSeen = try Self.time(&c)
      try c.expect(ASCII.comma, "','")
      let lastSeen = try Self.time(&c)
      try c.expect(ASCII.closeBracket, "']'")
      let row = Accumulator.Row(
        action: Int32(action), resource: Int32(resource), context: Int32(context),
        stats: UsageStats(count: count, denied: denied, firstSeen: firstSeen, lastSeen: lastSeen))
      guard follows(row) else { throw c.malformed("rows out of order") }
      part.rows.append(row)
    }
  }

  /// Whether `row` comes after the rows read so far, in their order.
  @inline(__always)
  private func follows(_ row: Accumulator.Row) -> Bool {
    guard let last = part.rows.last else { return true }
    let before = (stringRank[Int(last.action)], stringRank[Int(last.resource)], contextRank[Int(last.context)])
    return before < (stringRank[Int(row.action)], stringRank[Int(row.resource)], contextRank[Int(row.context)])
  }

  /// Why rows cannot be read yet: the string table is not whole. nil when it is.
  private var stringsMissing: String? {
    part.names.count == expectedStrings
      ? nil : "rows before the whole string table (\(part.names.count) of \(expectedStrings) strings)"
  }

  /// The string table's byte order, worked out once before the first rows.
  private mutating func rankStrings() {
    if part.byBytes.isEmpty && part.names.count > 0 {
      (part.byBytes, stringRank) = RowOrder.byteOrder(Array(0..<Int32(part.names.count)), names: part.names)
    }
  }

  // MARK: - Binary blocks (the cache's rollups)

  /// A binary block: its line (`{"binaryRows":N,"bytes":B}`), its B bytes and the newline after them.
  private mutating func block(_ kind: Kind, _ line: UnsafeBufferPointer<UInt8>, _ lines: inout LineReader)
    throws(InputError)
  {
    let value: PolicyValue
    do { value = try PolicyValue.parseJSON(String(decoding: line, as: UTF8.self), path: path) } catch {
      throw fail(error.reason)
    }
    guard let items = value[kind.rawValue].flatMap(Self.count), let size = value["bytes"].flatMap(Self.count),
      size <= LineReader.maxLine
    else { throw fail("a binary block without its count and size") }
    let bytes = try lines.take(size + 1)
    guard bytes[size] == ASCII.newline else { throw fail("a binary block of another size than its line says") }
    let body = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[..<size])
    if kind == .binaryStrings {
      try binaryStrings(items, body)
    } else {
      try binaryRows(items, body)
    }
  }

  private mutating func binaryStrings(_ items: Int, _ body: UnsafeRawBufferPointer) throws(InputError) {
    guard part.names.count + items <= expectedStrings, body.count >= 4 * items else {
      throw fail("more strings than the header says, or than the block holds")
    }
    part.names.reserve(more: items, bytes: body.count - 4 * items)
    var at = 0
    for _ in 0..<items {
      guard at + 4 <= body.count else { throw fail("a binary block ends inside a string") }
      let length = Int(UInt32(littleEndian: body.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
      at += 4
      guard length <= body.count - at else { throw fail("a binary block ends inside a string") }
      part.names.append(body.baseAddress!.assumingMemoryBound(to: UInt8.self) + at, length)
      at += length
    }
    guard at == body.count else { throw fail("a binary block of another size than its line says") }
  }

  private mutating func binaryRows(_ items: Int, _ body: UnsafeRawBufferPointer) throws(InputError) {
    if let missing = stringsMissing { throw fail(missing) }
    rankStrings()
    let size = UsageSummary.BinaryBlock.rowSize
    guard body.count == items * size else { throw fail("a binary block of another size than its line says") }
    let (strings, contexts) = (UInt32(part.names.count), UInt32(part.contexts.count))
    let limit: Int64 = 1_000_000_000_000_000_000  // what a row's text could hold: 18 digits
    func time(_ at: Int) -> Int64?? {
      let t = Int64(littleEndian: body.loadUnaligned(fromByteOffset: at, as: Int64.self))
      if t == UsageSummary.BinaryBlock.noTime { return .some(nil) }
      return t > -limit && t < limit ? .some(t) : nil
    }
    part.rows.reserveCapacity(part.rows.count + items)
    for i in 0..<items {
      let at = i * size
      let action = UInt32(littleEndian: body.loadUnaligned(fromByteOffset: at, as: UInt32.self))
      let resource = UInt32(littleEndian: body.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self))
      let context = UInt32(littleEndian: body.loadUnaligned(fromByteOffset: at + 8, as: UInt32.self))
      let count = Int64(littleEndian: body.loadUnaligned(fromByteOffset: at + 12, as: Int64.self))
      let denied = Int64(littleEndian: body.loadUnaligned(fromByteOffset: at + 20, as: Int64.self))
      guard action < strings, resource < strings, context < contexts, count >= 0, count < limit, denied >= 0,
        denied < limit, let firstSeen = time(at + 28), let lastSeen = time(at + 36)
      else { throw fail("binary row \(i + 1) is out of range") }
      let row = Accumulator.Row(
        action: Int32(action), resource: Int32(resource), context: Int32(context),
        stats: UsageStats(count: Int(count), denied: Int(denied), firstSeen: firstSeen, lastSeen: lastSeen))
      guard follows(row) else { throw fail("binary row \(i + 1): rows out of order") }
      part.rows.append(row)
    }
  }

  private mutating func end(_ line: UnsafeBufferPointer<UInt8>) throws(InputError) {
    let value: PolicyValue
    do { value = try PolicyValue.parseJSON(String(decoding: line, as: UTF8.self), path: path) } catch {
      throw fail(error.reason)
    }
    guard let rows = value["end"]?["rows"].flatMap(Self.count), rows == expectedRows, rows == part.rows.count else {
      throw fail(
        "the end line says \(value["end"]?["rows"]?.scalarText ?? "?") rows; the header \(expectedRows), read \(part.rows.count)"
      )
    }
  }

  /// A non-negative integer, below `limit` when given.
  private static func integer(_ c: inout JSONCursor, below limit: Int = .max) throws(ScanFailure) -> Int {
    let start = c.pos
    var n = 0
    // The first eight bytes at once, when there are eight: the ids, counts and times of rows.
    if c.end - c.pos >= 8 {
      let word = UInt64(littleEndian: UnsafeRawPointer(c.base + c.pos).loadUnaligned(as: UInt64.self))
      let count = DigitWord.leadingDigits(word)
      if count > 0 {
        n = DigitWord.value(word, digits: count)
        c.pos += count
      }
    }
    // Up to 18 digits cannot overflow; a longer number is too large.
    let stop = min(c.end, start + 18)
    while c.pos < stop, case let digit = c.base[c.pos] &- ASCII.zero, digit < 10 {
      n = n &* 10 &+ Int(digit)
      c.pos += 1
    }
    if c.pos == stop && c.pos < c.end && c.base[c.pos] &- ASCII.zero < 10 {
      throw c.malformed("number too large", at: start)
    }
    guard c.pos > start else { throw c.malformed("expected a non-negative integer") }
    guard n < limit else { throw c.malformed("\(n) is out of range (below \(limit))", at: start) }
    return n
  }

  /// Epoch seconds (negative allowed) or `null`.
  private static func time(_ c: inout JSONCursor) throws(ScanFailure) -> Int64? {
    if try c.consumeNull() { return nil }
    var negative = false
    if c.pos < c.end && c.base[c.pos] == ASCII.minus {
      negative = true
      c.pos += 1
    }
    let n = Int64(try integer(&c))
    return negative ? -n : n
  }
}

/// The lines of a stream, one at a time, each valid until the next call.
struct LineReader: ~Copyable {
  private let reader: GzipReader
  private var buffer = GrowableBytes(capacity: 1 << 18)
  private var start = 0
  private var scanned = 0
  private var end = 0
  private var eof = false
  /// The longest line read: a summary's lines are bounded by its 4,096-item chunks.
  static let maxLine = 256 << 20

  init(_ reader: GzipReader) { self.reader = reader }

  /// The next `count` bytes whatever they hold (a binary block), valid until the next call.
  mutating func take(_ count: Int) throws(InputError) -> UnsafeBufferPointer<UInt8> {
    while end - start < count && !eof { try readMore(toHold: count) }
    guard end - start >= count else {
      throw InputError(path: reader.path, kind: .truncated, reason: "the usage summary ends inside a binary block")
    }
    let bytes = UnsafeBufferPointer(start: UnsafePointer(buffer.base + start), count: count)
    start += count
    scanned = start
    return bytes
  }

  mutating func next() throws(InputError) -> UnsafeBufferPointer<UInt8>? {
    while true {
      let base = UnsafePointer(buffer.base)
      if scanned < end, let newline = Platform.findByte(ASCII.newline, in: base + scanned, count: end - scanned) {
        let line = UnsafeBufferPointer(start: base + start, count: newline - (base + start))
        start = newline - base + 1
        scanned = start
        return line
      }
      scanned = end
      if eof {
        guard start < end else { return nil }
        let line = UnsafeBufferPointer(start: buffer.base + start, count: end - start)
        start = end
        scanned = end
        return line
      }
      guard end - start < Self.maxLine else {
        throw InputError(path: reader.path, kind: .tooLarge, reason: "a line longer than \(Self.maxLine) bytes")
      }
      try readMore(toHold: 0)
    }
  }

  /// Moves the unread bytes to the buffer's start, makes room for at least
  /// `count` of them and reads more after them (`eof` when there are none).
  private mutating func readMore(toHold count: Int) throws(InputError) {
    if start > 0 {
      if end > start { buffer.base.update(from: buffer.base + start, count: end - start) }
      end -= start
      scanned -= start
      start = 0
    }
    buffer.reserve(max(count, end + (1 << 18)), keeping: end)
    let n = try reader.read(
      into: UnsafeMutableRawBufferPointer(start: buffer.base + end, count: buffer.capacity - end))
    end += n
    if n == 0 { eof = true }
  }
}

/// Decimal digits read eight bytes at a time (in the manner of simdjson's
/// `parse_eight_digits_unrolled`): a word holds the next eight bytes of the
/// text, the first in its lowest byte.
enum DigitWord {
  /// How many of the word's bytes, from the first, are ASCII digits (0 to 8).
  @inline(__always)
  static func leadingDigits(_ word: UInt64) -> Int {
    // A byte is a digit when its high nibble is 3, and still is with 6 added (0x30…0x39). A carry out of
    // a byte (0xFA and up) only reaches bytes after it, past the first byte that is not a digit.
    let high = (word & 0xF0F0_F0F0_F0F0_F0F0) ^ 0x3030_3030_3030_3030
    let raised = ((word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) ^ 0x3030_3030_3030_3030
    let notDigit = high | raised
    return notDigit == 0 ? 8 : notDigit.trailingZeroBitCount / 8
  }

  /// The value of the word's first `digits` bytes (1 to 8, all digits).
  @inline(__always)
  static func value(_ word: UInt64, digits: Int) -> Int {
    // The digits moved to the top, zeros ahead of them, then pairs, fours and eights combined.
    var v = (word &- 0x3030_3030_3030_3030) << (8 * UInt64(8 - digits))
    v = (v &* 10) &+ (v >> 8)
    v = ((v & 0x00FF_00FF_00FF_00FF) &* 6_553_601) >> 16
    v = ((v & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) >> 32
    return Int(v)
  }
}
