/// An IAM permission: an action on a resource (`"*"` when none applies).
public struct Permission: Hashable, Comparable, Sendable, CustomStringConvertible {
  public var action: String
  public var resource: String

  public init(action: String, resource: String) {
    self.action = action
    self.resource = resource
  }

  public static func < (a: Permission, b: Permission) -> Bool {
    a.action != b.action ? a.action < b.action : a.resource < b.resource
  }

  public var description: String { "\(action) on \(resource)" }
}

/// The request context of a call: what a policy condition can be evaluated on.
public struct CallContext: Hashable, Sendable {
  /// The principal's ARN (the role for sessions).
  public var principal: String
  public var sessionArn: String
  public var principalAccount: String
  public var region: String
  public var sourceIP: String
  /// The service that made the call for the principal (`cloudformation.amazonaws.com`), or "".
  public var invokedBy: String
  /// For an implied `iam:PassRole`: the service the role was passed to, else "".
  public var passedToService: String
  /// `mfaAuthenticated` of the session: nil when the record does not say.
  public var mfa: Bool?

  public init(
    principal: String = "", sessionArn: String = "", principalAccount: String = "", region: String = "",
    sourceIP: String = "", invokedBy: String = "", passedToService: String = "", mfa: Bool? = nil
  ) {
    self.principal = principal
    self.sessionArn = sessionArn
    self.principalAccount = principalAccount
    self.region = region
    self.sourceIP = sourceIP
    self.invokedBy = invokedBy
    self.passedToService = passedToService
    self.mfa = mfa
  }
}

/// How often a permission was used, and when.
public struct UsageStats: Sendable, Equatable {
  public var count = 0
  /// Calls refused for want of this permission.
  public var denied = 0
  public var firstSeen: Int64? = nil
  public var lastSeen: Int64? = nil

  public init(count: Int = 0, denied: Int = 0, firstSeen: Int64? = nil, lastSeen: Int64? = nil) {
    self.count = count
    self.denied = denied
    self.firstSeen = firstSeen
    self.lastSeen = lastSeen
  }

  @inline(__always)
  public mutating func add(denied isDenied: Bool, at time: Int64?) {
    count += 1
    if isDenied { denied += 1 }
    if let time {
      if firstSeen == nil || time < firstSeen! { firstSeen = time }
      if lastSeen == nil || time > lastSeen! { lastSeen = time }
    }
  }

  public mutating func merge(_ other: UsageStats) {
    count += other.count
    denied += other.denied
    if let t = other.firstSeen, firstSeen == nil || t < firstSeen! { firstSeen = t }
    if let t = other.lastSeen, lastSeen == nil || t > lastSeen! { lastSeen = t }
  }
}

/// One permission used in one request context.
public struct UsageRecord: Sendable, Equatable {
  public var permission: Permission
  public var context: CallContext
  public var stats: UsageStats
}

/// An event that maps to no known IAM action.
public struct UnmappedCall: Hashable, Comparable, Sendable {
  public var eventSource: String
  public var eventName: String
  /// Why no action is known (`unknown event source`, `no IAM action s3:Foo in the catalogue`).
  public var reason: String

  public static func < (a: UnmappedCall, b: UnmappedCall) -> Bool {
    a.eventSource != b.eventSource ? a.eventSource < b.eventSource : a.eventName < b.eventName
  }
}
