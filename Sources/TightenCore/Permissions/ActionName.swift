/// An IAM action's name in its two parts: `s3:GetObject` is service prefix `s3`
/// and name `GetObject`.
///
/// It keeps the spelling it is given; the catalogue's lookups ignore case.
public struct ActionName: Sendable, Hashable, CustomStringConvertible {
  /// The service prefix: `s3`, `iam`, `dynamodb`.
  public var service: String
  /// The action within the service: `GetObject`.
  public var name: String

  public init(service: String, name: String) {
    self.service = service
    self.name = name
  }

  /// Splits `text` at its first colon; nil when there is none or either side is empty.
  public init?(_ text: some StringProtocol) {
    guard let colon = text.firstIndex(of: ":") else { return nil }
    let service = text[..<colon]
    let name = text[text.index(after: colon)...]
    guard !service.isEmpty, !name.isEmpty else { return nil }
    self.init(service: String(service), name: String(name))
  }

  /// `service:name`, as policies write it.
  public var description: String { "\(service):\(name)" }

  /// The service prefix of an action as a policy or a trail writes it: the
  /// text before the first colon (`s3` of `s3:Get*`), the whole text when it
  /// has none (`*`).
  public static func service(of action: some StringProtocol) -> String {
    String(action.prefix { $0 != ":" })
  }

  /// `iam:PassRole`, the permission handing a role to a service needs.
  public static let passRole = ActionName(service: "iam", name: "PassRole")
}
