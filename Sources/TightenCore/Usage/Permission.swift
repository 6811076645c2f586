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
