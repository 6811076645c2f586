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
