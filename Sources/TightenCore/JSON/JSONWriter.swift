/// Writes JSON text in a fixed order, so two runs give the same bytes.
///
/// Objects are written as given (the order of the CLI contract, not sorted),
/// small objects on one line and arrays of them one element per line.
public struct JSONWriter {
  public private(set) var text = ""

  public init() {}

  public static func quote(_ s: String) -> String {
    if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { return "\"" + s + "\"" }
    var out = "\""
    out.reserveCapacity(s.utf8.count + 2)
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      case let c where c.value < 0x20:
        let hex = String(c.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    out += "\""
    return out
  }

  public mutating func raw(_ s: String) { text += s }

  /// An array of one-line objects, one per line: `[\n    {…},\n    {…}\n  ]`.
  public static func rows<T>(_ items: [T], into out: inout String, _ render: (T, inout String) -> Void) {
    if items.isEmpty {
      out += "[]"
      return
    }
    out += "[\n"
    for (i, item) in items.enumerated() {
      out += "    "
      render(item, &out)
      out += i == items.count - 1 ? "\n" : ",\n"
    }
    out += "  ]"
  }
}

/// A JSON value for small, ordered objects in reports.
public indirect enum JSONValue: Equatable, Sendable {
  case string(String)
  case int(Int)
  case bool(Bool)
  case null
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (a: JSONValue, b: JSONValue) -> Bool { a.compact == b.compact }

  /// On one line: `{"a": 1, "b": [2, 3]}`.
  public var compact: String {
    switch self {
    case .string(let s): return JSONWriter.quote(s)
    case .int(let n): return String(n)
    case .bool(let b): return b ? "true" : "false"
    case .null: return "null"
    case .array(let items): return "[" + items.map(\.compact).joined(separator: ", ") + "]"
    case .object(let members):
      return "{" + members.map { JSONWriter.quote($0.0) + ": " + $0.1.compact }.joined(separator: ", ") + "}"
    }
  }

  /// Objects and arrays of objects broken over lines; leaf objects on one line.
  public func pretty(indent: String = "") -> String {
    let inner = indent + "  "
    switch self {
    case .object(let members) where members.contains(where: { $0.1.isStructured }):
      let lines = members.map { inner + JSONWriter.quote($0.0) + ": " + $0.1.pretty(indent: inner) }
      return "{\n" + lines.joined(separator: ",\n") + "\n" + indent + "}"
    case .array(let items) where items.contains(where: { $0.isContainer }):
      let lines = items.map { inner + $0.pretty(indent: inner) }
      return "[\n" + lines.joined(separator: ",\n") + "\n" + indent + "]"
    default:
      return compact
    }
  }

  /// Every object and array broken over lines, two spaces a level (policy documents).
  public func indented(indent: String = "") -> String {
    let inner = indent + "  "
    switch self {
    case .object(let members) where !members.isEmpty:
      let lines = members.map { inner + JSONWriter.quote($0.0) + ": " + $0.1.indented(indent: inner) }
      return "{\n" + lines.joined(separator: ",\n") + "\n" + indent + "}"
    case .array(let items) where !items.isEmpty:
      let lines = items.map { inner + $0.indented(indent: inner) }
      return "[\n" + lines.joined(separator: ",\n") + "\n" + indent + "]"
    default:
      return compact
    }
  }

  var isContainer: Bool {
    switch self {
    case .array, .object: true
    default: false
    }
  }

  /// An array of containers, or an object holding one: worth breaking over lines.
  var isStructured: Bool {
    switch self {
    case .array(let items): items.contains { $0.isContainer }
    case .object(let members): members.contains { $0.1.isStructured }
    default: false
    }
  }
}
