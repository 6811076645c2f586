/// One statement of an identity-based policy, as written.
public struct PolicyStatement: Sendable, Equatable {
  public enum Effect: String, Sendable {
    case allow = "Allow"
    case deny = "Deny"
  }

  /// `Sid`, or `#N` counting from 0 when there is none.
  public var label: String
  public var index: Int
  public var effect: Effect
  /// `Action` entries as written (nil when the statement uses `NotAction`).
  public var actions: [String]?
  public var notActions: [String]?
  public var resources: [String]?
  public var notResources: [String]?
  public var conditions: [ConditionClause]
  /// Whether `${…}` policy variables are read (Version 2012-10-17) or literal.
  public var variables: Bool

  public init(
    label: String, index: Int, effect: Effect, actions: [String]? = nil, notActions: [String]? = nil,
    resources: [String]? = nil, notResources: [String]? = nil, conditions: [ConditionClause] = [],
    variables: Bool = true
  ) {
    self.label = label
    self.index = index
    self.effect = effect
    self.actions = actions
    self.notActions = notActions
    self.resources = resources
    self.notResources = notResources
    self.conditions = conditions
    self.variables = variables
  }
}

/// One `Condition` test: `"StringLike": {"aws:PrincipalArn": ["arn:…"]}`.
public struct ConditionClause: Sendable, Equatable {
  /// `StringLike`, with its `ForAnyValue:`/`ForAllValues:` prefix and `IfExists` suffix as written.
  public var op: String
  public var key: String
  public var values: [String]

  public init(op: String, key: String, values: [String]) {
    self.op = op
    self.key = key
    self.values = values
  }
}
