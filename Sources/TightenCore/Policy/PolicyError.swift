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
