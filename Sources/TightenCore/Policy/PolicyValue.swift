/// A JSON or YAML value as policy files hold it, members in their written order.
public indirect enum PolicyValue: Sendable, Equatable {
  case string(String)
  case number(String)
  case bool(Bool)
  case null
  case array([PolicyValue])
  case object([(String, PolicyValue)])

  public static func == (a: PolicyValue, b: PolicyValue) -> Bool {
    switch (a, b) {
    case (.string(let x), .string(let y)), (.number(let x), .number(let y)): x == y
    case (.bool(let x), .bool(let y)): x == y
    case (.null, .null): true
    case (.array(let x), .array(let y)): x == y
    case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: false
    }
  }

  public subscript(key: String) -> PolicyValue? {
    if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
    return nil
  }

  public var members: [(String, PolicyValue)]? {
    if case .object(let m) = self { return m }
    return nil
  }

  public var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// A scalar as condition values see it: strings as they are, numbers and booleans as text.
  public var scalarText: String? {
    switch self {
    case .string(let s), .number(let s): s
    case .bool(let b): b ? "true" : "false"
    default: nil
    }
  }

  var isArray: Bool {
    if case .array = self { return true }
    return false
  }

  public var kind: String {
    switch self {
    case .string: "a string"
    case .number: "a number"
    case .bool: "a boolean"
    case .null: "null"
    case .array: "an array"
    case .object: "an object"
    }
  }

  // MARK: - JSON

  /// Parses JSON text; errors name the line and column.
  public static func parseJSON(_ text: String, path: String) throws(PolicyError) -> PolicyValue {
    var bytes = Array(text.utf8)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    return try bytes.withUnsafeBufferPointer { buffer throws(PolicyError) -> PolicyValue in
      guard let base = buffer.baseAddress, !buffer.isEmpty else {
        throw PolicyError(path: path, place: "", reason: "the file is empty")
      }
      var c = JSONCursor(base: base, start: 0, end: buffer.count, depthLimit: 256)
      let arena = ByteArena(capacity: 256)
      do throws(ScanFailure) {
        let value = try parse(&c, arena, depth: 0)
        c.skipWhitespace()
        if !c.atEnd { throw c.malformed("unexpected \(describe(base[c.pos])) after the JSON value") }
        return value
      } catch {
        let (offset, reason): (Int, String)
        switch error {
        case .incomplete: (offset, reason) = (buffer.count, "the JSON ends too early")
        case .malformed(let o, let r): (offset, reason) = (o, r)
        }
        var line = 1
        var column = 1
        for i in 0..<min(offset, buffer.count) {
          if base[i] == ASCII.newline {
            line += 1
            column = 1
          } else {
            column += 1
          }
        }
        throw PolicyError(path: path, place: "line \(line), column \(column)", reason: "invalid JSON: \(reason)")
      }
    }
  }

  private static func parse(_ c: inout JSONCursor, _ arena: ByteArena, depth: Int) throws(ScanFailure) -> PolicyValue {
    guard depth < 256 else { throw c.malformed("nested deeper than 256 levels") }
    let b = try c.peekSignificant()
    switch b {
    case ASCII.quote:
      return .string(try string(&c, arena))
    case ASCII.openBrace:
      c.pos += 1
      var members: [(String, PolicyValue)] = []
      var keys = Set<[UInt8]>()
      var first = true
      while let key = try c.nextMember(&first) {
        let name = try text(c, key, arena)
        // IAM rejects a policy with a key twice; readers differ on which one wins (jq: the last).
        guard keys.insert(Array(name.utf8)).inserted else {
          throw c.malformed("duplicate key \"\(name)\"", at: key.start - 1)
        }
        members.append((name, try parse(&c, arena, depth: depth + 1)))
      }
      return .object(members)
    case ASCII.openBracket:
      c.pos += 1
      var items: [PolicyValue] = []
      var first = true
      while try c.nextElement(&first) { items.append(try parse(&c, arena, depth: depth + 1)) }
      return .array(items)
    default:
      let start = try c.skipValue()
      let text = String(decoding: UnsafeBufferPointer(start: c.base + start, count: c.pos - start), as: UTF8.self)
      switch text {
      case "true": return .bool(true)
      case "false": return .bool(false)
      case "null": return .null
      default:
        guard isJSONNumber(text.utf8) else { throw c.malformed("invalid value '\(text)'", at: start) }
        return .number(text)
      }
    }
  }

  /// JSON's number grammar (RFC 8259, section 6): `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
  static func isJSONNumber(_ text: String.UTF8View) -> Bool {
    var i = text.startIndex
    func digits() -> Int {
      var n = 0
      while i < text.endIndex, (0x30...0x39).contains(text[i]) {
        i = text.index(after: i)
        n += 1
      }
      return n
    }
    func take(_ byte: UInt8) -> Bool {
      guard i < text.endIndex, text[i] == byte else { return false }
      i = text.index(after: i)
      return true
    }
    _ = take(0x2D)
    if take(0x30) {
      if i < text.endIndex, (0x30...0x39).contains(text[i]) { return false }
    } else if digits() == 0 {
      return false
    }
    if take(0x2E) && digits() == 0 { return false }
    if take(0x65) || take(0x45) {
      if !take(0x2B) { _ = take(0x2D) }
      if digits() == 0 { return false }
    }
    return i == text.endIndex
  }

  private static func string(_ c: inout JSONCursor, _ arena: ByteArena) throws(ScanFailure) -> String {
    try text(c, try c.string(), arena)
  }

  private static func text(
    _ c: JSONCursor, _ s: (start: Int, count: Int, hasEscape: Bool), _ arena: ByteArena
  ) throws(ScanFailure) -> String {
    if !s.hasEscape {
      return String(decoding: UnsafeBufferPointer(start: c.base + s.start, count: s.count), as: UTF8.self)
    }
    arena.reset()
    let f = try decodeEscapes(c.base, start: s.start, count: s.count, into: arena)
    return String(decoding: UnsafeBufferPointer(start: arena.base + f.start, count: f.count), as: UTF8.self)
  }
}
