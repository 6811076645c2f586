/// Policy variables in resources: `${aws:username}`, `${aws:PrincipalAccount}`,
/// and the escapes `${*}`, `${?}`, `${$}`.
enum Variables {
  enum Substituted: Equatable {
    case text(String)
    /// A variable the request does not hold: the pattern matches nothing.
    case absent
    case unknown
  }

  /// Whether `pattern` holds a `${` (a byte scan: this runs for every resource of every call).
  static func hasVariable(_ pattern: String) -> Bool {
    var previous: UInt8 = 0
    for byte in pattern.utf8 {
      if previous == UInt8(ascii: "$") && byte == UInt8(ascii: "{") { return true }
      previous = byte
    }
    return false
  }

  static func substitute(_ pattern: String, _ facts: CallFacts, enabled: Bool) -> Substituted {
    guard enabled, hasVariable(pattern) else { return .text(pattern) }
    var stopped = Substituted.unknown
    let resolved = Placeholders.replace(in: pattern) { name in
      switch name {
      case "*": return "\u{1}"  // a literal * (restored below, matched literally)
      case "?": return "\u{2}"
      case "$": return "$"
      default:
        switch Conditions.value(name, facts, at: facts.firstSeen) {
        case .values(let v) where v.count == 1: return v[0]
        case .absent: stopped = .absent
        default: stopped = .unknown
        }
        return nil
      }
    }
    guard let out = resolved else { return stopped }
    // `\u{1}` and `\u{2}` are a literal `*` and `?`: `Glob` matches them as themselves.
    return .text(out)
  }
}
