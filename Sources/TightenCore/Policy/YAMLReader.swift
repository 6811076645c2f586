import CYAML

extension PolicyValue {
  /// Bounds on what a YAML document may expand to: a template of a few hundred
  /// bytes can otherwise alias itself into billions of values ("billion laughs").
  public struct YAMLLimits: Sendable {
    /// Values (scalars, sequences and mappings) after expansion.
    public var values = 1_000_000
    /// Uses of an alias after expansion.
    public var aliases = 10_000
    /// Bytes of scalar text after expansion.
    public var bytes = 16 << 20
    /// Levels of nesting after expansion, as for JSON.
    public var depth = 256
    public init() {}
  }

  /// Parses YAML (CloudFormation templates), turning short-form tags into
  /// their long form: `!Sub "x"` → `{"Fn::Sub": "x"}`, `!Ref X` → `{"Ref": "X"}`,
  /// `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}`. Aliases expand within `limits`;
  /// mapping keys are strings, each once per mapping. Time is linear in the
  /// text and in what the aliases expand to.
  public static func parseYAML(_ text: String, path: String, limits: YAMLLimits = .init()) throws(PolicyError)
    -> PolicyValue
  {
    try Array(text.utf8).withUnsafeBufferPointer { bytes throws(PolicyError) -> PolicyValue in
      try YAMLReader.read(bytes, path: path, limits: limits)
    }
  }
}

/// Builds `PolicyValue`s from libyaml's events, one document, without
/// recursion: every bound is checked as the events arrive, so no input makes
/// the reader work more than its limits allow.
struct YAMLReader {
  /// What a finished value (or the part of the document read so far) has cost.
  struct Cost {
    var values = 0
    var aliases = 0
    var bytes = 0
  }

  /// A sequence or mapping still open.
  private struct Frame {
    var isMapping: Bool
    var tag: String?
    var anchor: String?
    /// The document's cost when the collection opened: its own cost is the difference at its end.
    var costAtStart: Cost
    /// Levels below this collection, after alias expansion.
    var height = 0
    var items: [PolicyValue] = []
    var members: [(String, PolicyValue)] = []
    var keys: Set<String> = []
    /// The member name read, waiting for its value.
    var key: String?
  }

  /// A value an anchor names: what an alias to it inserts, and what that costs.
  private struct Anchored {
    var value: PolicyValue
    var cost: Cost
    var height: Int
    /// The scalar's text as written, when the value is a scalar (for use as a key).
    var keyText: String?
  }

  private let path: String
  private let limits: PolicyValue.YAMLLimits
  private var cost = Cost()
  private var stack: [Frame] = []
  private var anchors: [String: Anchored] = [:]
  private var root: PolicyValue?
  private var documents = 0

  private init(path: String, limits: PolicyValue.YAMLLimits) {
    self.path = path
    self.limits = limits
  }

  static func read(_ bytes: UnsafeBufferPointer<UInt8>, path: String, limits: PolicyValue.YAMLLimits)
    throws(PolicyError) -> PolicyValue
  {
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else {
      throw PolicyError(path: path, place: "", reason: "cannot start the YAML parser (out of memory)")
    }
    defer { yaml_parser_delete(&parser) }
    yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
    var reader = YAMLReader(path: path, limits: limits)
    var event = yaml_event_t()
    while true {
      guard yaml_parser_parse(&parser, &event) == 1 else { throw reader.syntaxError(parser) }
      defer { yaml_event_delete(&event) }
      if event.type == YAML_STREAM_END_EVENT { break }
      try reader.take(event)
    }
    guard let root = reader.root else { throw PolicyError(path: path, place: "", reason: "the file is empty") }
    return root
  }

  // MARK: - Events

  private mutating func take(_ event: yaml_event_t) throws(PolicyError) {
    let line = event.start_mark.line + 1
    switch event.type {
    case YAML_DOCUMENT_START_EVENT:
      documents += 1
      if documents > 1 { throw error(line, "a second YAML document; a template or policy is one document") }
    case YAML_SCALAR_EVENT:
      let s = event.data.scalar
      let text = Self.string(s.value, count: s.length)
      let value = Self.scalar(text, tag: Self.optionalString(s.tag), plain: s.style == YAML_PLAIN_SCALAR_STYLE)
      let own = Cost(values: 1, aliases: 0, bytes: text.utf8.count)
      if let anchor = Self.optionalString(s.anchor) {
        anchors[anchor] = Anchored(value: value, cost: own, height: 0, keyText: text)
      }
      if stack.last.map({ $0.isMapping && $0.key == nil }) == true {
        try setKey(text, line: line)
        return
      }
      try charge(own, line: line)
      try attach(value, height: 0, line: line)
    case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
      let isMapping = event.type == YAML_MAPPING_START_EVENT
      if stack.last.map({ $0.isMapping && $0.key == nil }) == true {
        throw error(line, "a mapping key that is a \(isMapping ? "mapping" : "sequence"); keys are strings")
      }
      if stack.count >= limits.depth { throw error(line, "nested deeper than \(limits.depth) levels") }
      try charge(Cost(values: 1), line: line)
      let tag = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
      let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
      var start = cost
      start.values -= 1
      stack.append(
        Frame(
          isMapping: isMapping, tag: Self.optionalString(tag), anchor: Self.optionalString(anchor), costAtStart: start))
    case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
      let frame = stack.removeLast()
      let value = Self.shortForm(frame.tag, frame.isMapping ? .object(frame.members) : .array(frame.items))
      let height = frame.height + 1
      if let anchor = frame.anchor {
        let own = Cost(
          values: cost.values - frame.costAtStart.values, aliases: cost.aliases - frame.costAtStart.aliases,
          bytes: cost.bytes - frame.costAtStart.bytes)
        anchors[anchor] = Anchored(value: value, cost: own, height: height, keyText: nil)
      }
      try attach(value, height: height, line: line)
    case YAML_ALIAS_EVENT:
      let name = Self.string(event.data.alias.anchor)
      guard let anchored = anchors[name] else { throw error(line, "the alias *\(name) names no anchor before it") }
      if stack.last.map({ $0.isMapping && $0.key == nil }) == true {
        guard let text = anchored.keyText else { throw error(line, "a mapping key *\(name) that is not a string") }
        try setKey(text, line: line)
        return
      }
      var used = anchored.cost
      used.aliases += 1
      try charge(used, line: line)
      try attach(anchored.value, height: anchored.height, line: line)
    default:
      break
    }
  }

  /// Adds what a value costs to the document's total, within the limits.
  private mutating func charge(_ more: Cost, line: Int) throws(PolicyError) {
    cost.values += more.values
    cost.aliases += more.aliases
    cost.bytes += more.bytes
    let exceeded: String? =
      if cost.values > limits.values { "\(limits.values) values" } else if cost.aliases > limits.aliases {
        "\(limits.aliases) alias uses"
      } else if cost.bytes > limits.bytes { "\(limits.bytes >> 20) MiB of text" } else { nil }
    if let exceeded {
      throw PolicyError(path: path, place: "", reason: "YAML aliases expand to more than \(exceeded); refused")
    }
  }

  private mutating func setKey(_ text: String, line: Int) throws(PolicyError) {
    let top = stack.count - 1
    guard stack[top].keys.insert(text).inserted else { throw error(line, "duplicate key \"\(text)\"") }
    stack[top].key = text
  }

  /// Puts a finished value into the open collection, or makes it the document's root.
  private mutating func attach(_ value: PolicyValue, height: Int, line: Int) throws(PolicyError) {
    guard !stack.isEmpty else {
      root = value
      return
    }
    if stack.count + height > limits.depth { throw error(line, "nested deeper than \(limits.depth) levels") }
    let top = stack.count - 1
    stack[top].height = max(stack[top].height, height)
    if stack[top].isMapping {
      stack[top].members.append((stack[top].key ?? "", value))
      stack[top].key = nil
    } else {
      stack[top].items.append(value)
    }
  }

  // MARK: - Values

  private static let strTag = "tag:yaml.org,2002:str"
  private static let nulls: Set<String> = ["null", "Null", "NULL", "~", ""]

  /// A scalar as YAML's core schema reads it, where a template can tell: quoted
  /// or `!!str` text is a string; plain `null`, booleans (YAML 1.1's `yes`/`no`/`on`/`off`
  /// too, as CloudFormation reads them) and numbers are what they say.
  private static func scalar(_ text: String, tag: String?, plain: Bool) -> PolicyValue {
    if let tag {
      if tag == strTag || tag == "!" { return .string(text) }
      if tag.hasPrefix("!") { return shortForm(tag, .string(text)) }
    }
    guard plain else { return .string(text) }
    if nulls.contains(text) { return .null }
    switch text.lowercased() {
    case "true", "yes", "on": return .bool(true)
    case "false", "no", "off": return .bool(false)
    default: break
    }
    // Swift's own parsers: YAML 1.1 readers also take sexagesimal numbers (`1:30:00`).
    if Int(text) != nil || Double(text) != nil { return .number(text) }
    return .string(text)
  }

  /// `!Ref X` → `{"Ref": "X"}`, `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}`, `!Sub x` → `{"Fn::Sub": x}`.
  private static func shortForm(_ tag: String?, _ value: PolicyValue) -> PolicyValue {
    guard let tag, tag.hasPrefix("!"), tag.count > 1, !tag.hasPrefix("!!") else { return value }
    let name = String(tag.dropFirst())
    switch name {
    case "Ref", "Condition":
      return .object([(name, value)])
    case "GetAtt":
      if case .string(let s) = value, let dot = s.firstIndex(of: ".") {
        return .object([
          ("Fn::GetAtt", .array([.string(String(s[..<dot])), .string(String(s[s.index(after: dot)...]))]))
        ])
      }
      return .object([("Fn::GetAtt", value)])
    default:
      return .object([("Fn::\(name)", value)])
    }
  }

  // MARK: - libyaml's strings and errors

  private static func string(_ p: UnsafeMutablePointer<yaml_char_t>?, count: Int) -> String {
    guard let p else { return "" }
    return String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
  }

  private static func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String {
    guard let p else { return "" }
    return String(cString: p)
  }

  private static func optionalString(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    p.map { String(cString: $0) }
  }

  private func error(_ line: Int, _ reason: String) -> PolicyError {
    PolicyError(path: path, place: "line \(line)", reason: "invalid YAML: \(reason)")
  }

  private func syntaxError(_ parser: yaml_parser_t) -> PolicyError {
    let problem = parser.problem.map { String(cString: $0) } ?? "unreadable YAML"
    let context = parser.context.map { String(cString: $0) + ", " } ?? ""
    let mark = parser.problem_mark
    return PolicyError(
      path: path, place: "line \(mark.line + 1), column \(mark.column + 1)",
      reason: "invalid YAML: \(context)\(problem)")
  }
}
