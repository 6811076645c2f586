/// One permission a call needed: an action on a resource, refused or not.
public struct MappedPermission: Hashable, Sendable, CustomStringConvertible {
  public var action: String
  public var resource: String
  public var denied: Bool
  /// For an implied `iam:PassRole`: the service the role was handed to.
  public var passedTo: String

  public init(action: String, resource: String, denied: Bool = false, passedTo: String = "") {
    self.action = action
    self.resource = resource
    self.denied = denied
    self.passedTo = passedTo
  }

  public var description: String {
    "\(action) \(resource)" + (denied ? " denied" : "") + (passedTo.isEmpty ? "" : " to \(passedTo)")
  }
}
