/// The request context of a simulated request: the keys the user gave
/// (`--context KEY=VALUE`, a JSON line's `context`), and those the principal's
/// ARN settles. As in IAM's policy simulator, a key not given is absent.
public struct GivenContext: Sendable, Equatable {
  /// Values by lower-cased key (keys are case-insensitive).
  public private(set) var values: [String: [String]]

  public init(_ pairs: [(key: String, values: [String])] = [], principal: String? = nil) {
    values = [:]
    for (key, given) in pairs {
      values[key.lowercased(), default: []] += given
    }
    guard let principal, !principal.isEmpty else { return }
    // The principal settles these unless the user gave them.
    func settle(_ key: String, _ value: String?) {
      guard let value, values[key.lowercased()] == nil else { return }
      values[key.lowercased()] = [value]
    }
    settle("aws:PrincipalArn", PrincipalKeys.principalArn(of: principal))
    settle("aws:PrincipalAccount", PrincipalKeys.account(of: principal))
    settle("aws:PrincipalType", PrincipalKeys.type(of: principal))
    settle("aws:username", PrincipalKeys.userName(of: principal))
  }

  func value(_ key: String) -> KeyValue {
    values[key.lowercased()].map { .values($0) } ?? .absent
  }

  /// Whether the request holds the key.
  public func has(_ key: String) -> Bool { values[key.lowercased()] != nil }
}
