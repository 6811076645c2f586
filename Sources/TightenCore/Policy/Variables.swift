/// Policy variables in `Resource`/`NotResource` and in condition values:
/// `${aws:username}`, `${aws:PrincipalTag/team, 'platform'}` (a default for
/// an absent key), and the escapes `${*}`, `${?}`, `${$}`.
enum Variables {
  enum Substituted: Equatable {
    case text(String)
    /// A variable the request does not hold (and no default): the value matches nothing.
    case absent
    case unknown
  }

  /// Whether `pattern` holds a `${` (a byte scan: this runs for every resource of every call).
  static func hasVariable(_ pattern: String) -> Bool {
    guard pattern.containsByte(UInt8(ascii: "$")) else { return false }
    var previous: UInt8 = 0
    for byte in pattern.utf8 {
      if previous == UInt8(ascii: "$") && byte == UInt8(ascii: "{") { return true }
      previous = byte
    }
    return false
  }

  /// A placeholder's key and default: `aws:PrincipalTag/team, 'platform'` → (`aws:PrincipalTag/team`, `platform`).
  static func parse(_ name: String) -> (key: String, fallback: String?) {
    guard let comma = name.firstIndex(of: ",") else { return (name.trimmingSpaces, nil) }
    let key = String(name[..<comma]).trimmingSpaces
    let rest = String(name[name.index(after: comma)...]).trimmingSpaces
    guard rest.count >= 2, rest.hasPrefix("'"), rest.hasSuffix("'") else { return (key, nil) }
    return (key, String(rest.dropFirst().dropLast()))
  }

  /// A `Resource`/`NotResource` pattern: "You can use a policy variable in
  /// the Resource element, but only in the resource portion of the ARN. This
  /// portion of the ARN appears after the fifth colon" (IAM User Guide, "IAM
  /// policy elements: Variables and tags"). A variable before it stays as
  /// written, and matches no resource.
  static func substitute(_ pattern: String, _ facts: CallFacts, enabled: Bool) -> Substituted {
    guard enabled, hasVariable(pattern) else { return .text(pattern) }
    return substitute(pattern, facts, at: facts.firstSeen, enabled: true, from: resourcePart(of: pattern))
  }

  /// Where the resource part of an ARN pattern starts: after its fifth colon outside `${…}` (the start for any other text).
  static func resourcePart(of pattern: String) -> Int {
    var colons = 0
    var inside = false
    var previous: UInt8 = 0
    for (i, byte) in pattern.utf8.enumerated() {
      if inside {
        if byte == UInt8(ascii: "}") { inside = false }
      } else if previous == UInt8(ascii: "$") && byte == UInt8(ascii: "{") {
        inside = true
      } else if byte == UInt8(ascii: ":") {
        colons += 1
        if colons == 5 { return pattern.hasPrefix("arn:") ? i + 1 : 0 }
      }
      previous = byte
    }
    return 0
  }

  /// `pattern` with its variables from byte offset `from` on replaced (escapes everywhere).
  static func substitute(_ pattern: String, _ facts: CallFacts, at time: Int64?, enabled: Bool, from: Int = 0)
    -> Substituted
  {
    guard enabled, hasVariable(pattern) else { return .text(pattern) }
    if from > 0 {
      let split = pattern.utf8.index(pattern.startIndex, offsetBy: from)
      let head = Glob.literals(String(pattern[..<split]))
      switch substitute(String(pattern[split...]), facts, at: time, enabled: true) {
      case .text(let tail): return .text(head + tail)
      case let other: return other
      }
    }
    var stopped = Substituted.unknown
    let resolved = Placeholders.replace(in: pattern) { name in
      switch name {
      case "*": return "\u{1}"  // a literal * (matched literally)
      case "?": return "\u{2}"
      case "$": return "$"
      default:
        let (key, fallback) = parse(name)
        switch Conditions.value(key, facts, at: time) {
        case .values(let v) where v.count == 1: return v[0]
        case .values(let v) where v.isEmpty:
          if let fallback { return fallback }
          stopped = .absent
        case .values:
          // A multivalued key cannot stand in a policy variable.
          stopped = .absent
        case .absent:
          if let fallback { return fallback }
          stopped = .absent
        case .unknown:
          stopped = .unknown
        }
        return nil
      }
    }
    guard let out = resolved else { return stopped }
    // `\u{1}` and `\u{2}` are a literal `*` and `?`: `Glob` matches them as themselves.
    return .text(out)
  }
}

extension String {
  /// Without leading and trailing spaces.
  var trimmingSpaces: String {
    String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
  }
}
