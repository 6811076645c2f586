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

/// A policy document and where it came from.
public struct PolicyDocument: Sendable, Equatable {
  /// How reports name it: the file name, with the template's logical id where there is one.
  public var name: String
  public var path: String
  public var statements: [PolicyStatement]

  public init(name: String, path: String, statements: [PolicyStatement]) {
    self.name = name
    self.path = path
    self.statements = statements
  }
}

/// All the declared policies of one principal, with what loading them noticed.
public struct PolicySet: Sendable {
  public var documents: [PolicyDocument]
  /// Things a user should know (an intrinsic function read as `*`, a managed policy not in the file).
  public var warnings: [PolicyWarning]

  public init(documents: [PolicyDocument] = [], warnings: [PolicyWarning] = []) {
    self.documents = documents
    self.warnings = warnings
  }
}

public struct PolicyWarning: Sendable, Equatable, CustomStringConvertible {
  public var path: String
  public var place: String
  public var message: String
  public var description: String { "\(path): \(place.isEmpty ? "" : place + ": ")\(message)" }
}

/// A policy file that cannot be used, and exactly where.
public struct PolicyError: Error, Equatable, Sendable, CustomStringConvertible {
  public var path: String
  /// Where in the document: `Statement[2].Action[1]`, `line 4, column 7`, `Resources.DeployPolicy`.
  public var place: String
  public var reason: String

  public init(path: String, place: String, reason: String) {
    self.path = path
    self.place = place
    self.reason = reason
  }

  public var message: String { place.isEmpty ? reason : "\(place): \(reason)" }
  public var description: String { "\(path): \(message)" }
}
