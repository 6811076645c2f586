/// Which calls count: the flags every command shares.
public struct TrailFilter: Sendable, Equatable {
  /// `--principal`: role or user ARNs or names, or assumed-role session ARNs.
  public var principals: [String]
  public var since: Int64?
  public var until: Int64?
  public var regions: [String]
  public var accounts: [String]

  public init(
    principals: [String] = [], since: Int64? = nil, until: Int64? = nil, regions: [String] = [],
    accounts: [String] = []
  ) {
    self.principals = principals
    self.since = since
    self.until = until
    self.regions = regions
    self.accounts = accounts
  }

  /// Whether `--principal` selects the caller.
  ///
  /// A role ARN matches the role's assumed-role sessions through the session
  /// issuer, which keeps the role's path (the session ARN drops it); a role
  /// ARN written without its path still matches, as role names are unique in
  /// an account. An `assumed-role/ROLE/SESSION` ARN matches that session, and
  /// `assumed-role/ROLE` every session of the role.
  public func matchesPrincipal(_ caller: Caller) -> Bool {
    if principals.isEmpty { return true }
    return principals.contains { Self.matches($0, caller) }
  }

  /// Whether `pattern` selects the principal of a report's `principals` (a role's or user's ARN).
  static func matches(_ pattern: String, principalArn arn: String) -> Bool {
    let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard parts.count == 6 else { return pattern == arn }
    let account = String(parts[4])
    let name = parts[5].split(separator: "/").last.map(String.init)
    let caller: Caller
    if parts[5].hasPrefix("role/") {
      caller = Caller(arn: arn, account: account, roleName: name)
    } else if parts[5].hasPrefix("user/") {
      caller = Caller(arn: arn, account: account, userName: name, isUser: true)
    } else {
      caller = Caller(arn: arn, account: account)
    }
    if matches(pattern, caller) { return true }
    // A session ARN names its role: the report holds the role.
    guard let parsed = ARN(pattern), parsed.resource.hasPrefix("assumed-role/") else { return false }
    let pieces = parsed.resource.split(separator: "/")
    return pieces.count >= 2 && caller.roleName == String(pieces[1]) && caller.account == parsed.account
  }

  static func matches(_ pattern: String, _ caller: Caller) -> Bool {
    guard pattern.hasPrefix("arn:") else {
      // A bare name: a role (by its issuer) or a user.
      return caller.roleName == pattern || (caller.isUser && caller.userName == pattern)
    }
    if pattern == caller.arn || pattern == caller.sessionArn { return true }
    guard let parsed = ARN(pattern) else { return false }
    let account = parsed.account
    let resource = parsed.resource
    if resource.hasPrefix("assumed-role/") {
      guard let session = caller.sessionArn else { return false }
      let pieces = resource.split(separator: "/", omittingEmptySubsequences: false)
      if pieces.count == 2 { return session.hasPrefix(pattern + "/") }
      return session == pattern
    }
    if resource.hasPrefix("role/") {
      let name = resource.split(separator: "/").last.map(String.init)
      return caller.account == account && caller.roleName != nil && caller.roleName == name
    }
    if resource.hasPrefix("user/") {
      let name = resource.split(separator: "/").last.map(String.init)
      return caller.isUser && caller.account == account && caller.userName == name
    }
    return false
  }
}

/// Who made a call, as the filter and the reports see it.
public struct Caller: Sendable, Hashable {
  /// The principal that holds the policies: the role (issuer ARN, with its
  /// path) for assumed-role sessions, else the identity's own ARN.
  public var arn: String
  /// The assumed-role session ARN, for sessions.
  public var sessionArn: String?
  public var account: String
  public var roleName: String?
  public var userName: String?
  public var isUser: Bool

  public init(
    arn: String, sessionArn: String? = nil, account: String, roleName: String? = nil, userName: String? = nil,
    isUser: Bool = false
  ) {
    self.arn = arn
    self.sessionArn = sessionArn
    self.account = account
    self.roleName = roleName
    self.userName = userName
    self.isUser = isUser
  }
}
