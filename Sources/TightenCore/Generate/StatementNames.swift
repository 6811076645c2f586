/// Statement names (Sids) and action lists as `generate` writes them.
extension Generator {
  /// `Table`, `Function`, `Bucket`… from the resources' type, `All` for `*`.
  func kind(of resources: [String], service: String) -> String {
    guard let first = resources.first, first != "*" else { return "All" }
    return split(first).map { Self.camel($0.type) } ?? ""
  }

  func uniqueSid(_ base: String, _ used: inout Set<String>) -> String {
    var sid = base.isEmpty ? "Statement" : base
    var n = 2
    while used.contains(sid) {
      sid = base + String(n)
      n += 1
    }
    used.insert(sid)
    return sid
  }

  /// `cognito-idp` → `CognitoIdp`: Sids hold letters and digits only.
  static func camel(_ text: String) -> String {
    text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
      .joined()
  }

  static func collapseReadActions(_ actions: [String]) -> [String] {
    var out: [String] = []
    var byVerb: [String: [String]] = [:]
    for action in actions {
      let name = action.split(separator: ":").last.map(String.init) ?? ""
      let verb = ["Describe", "List", "Get"].first { name.hasPrefix($0) }
      if let verb {
        byVerb[ActionName.service(of: action) + ":" + verb, default: []].append(action)
      } else {
        out.append(action)
      }
    }
    for (verb, members) in byVerb { out += members.count >= 3 ? [verb + "*"] : members }
    return out.sorted()
  }
}
