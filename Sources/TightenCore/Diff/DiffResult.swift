/// What the trails show against what the declared policies grant.
public struct DiffResult: Sendable {
  public struct Missing: Sendable, Equatable {
    public var action: String
    public var resource: String
    /// Calls the policies would not allow.
    public var count: Int
    /// Of those, calls AWS refused.
    public var denied: Int
    public var reason: MissingReason
  }

  public struct Unused: Sendable, Equatable {
    public enum Kind: String, Sendable { case unused, unobservable, lifecycle }
    public var policy: String
    public var statement: String
    /// The entry as written (`NotAction: …` for a NotAction statement).
    public var action: String
    public var kind: Kind
    /// For `lifecycle`: what of the stack needs it.
    public var neededBy: [LifecyclePredictor.NeededBy] = []

    public init(
      policy: String, statement: String, action: String, kind: Kind, neededBy: [LifecyclePredictor.NeededBy] = []
    ) {
      self.policy = policy
      self.statement = statement
      self.action = action
      self.kind = kind
      self.neededBy = neededBy
    }
  }

  /// A permission the stack's resources will need that the policies do not allow.
  public struct Predicted: Sendable, Equatable {
    public var action: String
    public var resource: String
    public var reason: MissingReason
    public var neededBy: [LifecyclePredictor.NeededBy]
    public var conditional: Bool
  }

  public struct Overbroad: Sendable, Equatable {
    public var policy: String
    public var statement: String
    public var action: String
    public var usedActions: [String]
  }

  /// An entry that names nothing IAM has.
  public struct Invalid: Sendable, Equatable {
    public enum Reason: String, Sendable {
      case unknownAction = "unknown-action"
      case unknownService = "unknown-service"
      case matchesNothing = "matches-nothing"
    }
    public var policy: String
    public var statement: String
    public var action: String
    public var reason: Reason
    /// The nearest real action, when one is near enough to be what was meant.
    public var suggestion: String?
  }

  public var analysis: TrailAnalysis
  public var policies: [String]
  public var missing: [Missing]
  public var unused: [Unused]
  public var overbroad: [Overbroad]
  public var invalid: [Invalid]
  /// Permissions the stack's resources will need (update, rollback, delete) that no policy grants.
  public var predicted: [Predicted] = []
  public var warnings: [PolicyWarning]
}
