/// Why a call is not allowed by the declared policies.
public enum MissingReason: String, Sendable, Codable, Comparable {
  /// No statement allows it.
  case notGranted = "not-granted"
  /// A Deny statement matches it.
  case explicitDeny = "explicit-deny"
  /// Allowed only under a condition the trail cannot settle (or a Deny may apply under one).
  case conditionUnknown = "condition-unknown"
  /// The identity policies allow it; the permissions boundary does not (or denies it).
  case boundary
  /// A service or resource control policy of the organisation does not allow it (or denies it).
  case scp
  /// The session policy does not allow it (or denies it).
  case sessionPolicy = "session-policy"

  var severity: Int {
    switch self {
    case .explicitDeny: 6
    case .scp: 5
    case .boundary: 4
    case .sessionPolicy: 3
    case .notGranted: 2
    case .conditionUnknown: 1
    }
  }

  public static func < (a: MissingReason, b: MissingReason) -> Bool { a.severity < b.severity }
}

/// A statement's `Action` (or `NotAction`) entry: document, statement, entry index.
public struct EntryRef: Hashable, Sendable {
  public var document: Int
  public var statement: Int
  public var entry: Int
}

/// What the trail tells of one call, for evaluation.
public struct CallFacts: Sendable {
  public var action: String
  public var resource: String
  public var context: CallContext
  public var firstSeen: Int64?
  public var lastSeen: Int64?
  /// A simulated request's context keys: when set, keys are read from it
  /// (keys not given are absent), not from `context`.
  public var given: GivenContext?

  public init(
    action: String, resource: String, context: CallContext, firstSeen: Int64? = nil, lastSeen: Int64? = nil,
    given: GivenContext? = nil
  ) {
    self.action = action
    self.resource = resource
    self.context = context
    self.firstSeen = firstSeen
    self.lastSeen = lastSeen
    self.given = given
  }
}
