/// An Amazon Resource Name, split once into its parts:
/// `arn:aws:lambda:us-east-1:111122223333:function:f` is partition `aws`,
/// service `lambda`, region `us-east-1`, account `111122223333` and resource
/// `function:f`.
///
/// The resource is everything after the fifth colon and may hold colons and
/// slashes itself; region and account are empty in ARNs that have none
/// (`arn:aws:s3:::bucket`, `arn:aws:iam::111122223333:role/r`).
public struct ARN: Sendable, Hashable, CustomStringConvertible {
  public var partition: String
  public var service: String
  public var region: String
  public var account: String
  public var resource: String

  /// The account a resolver sets for a resource AWS owns: its ARN is built
  /// with no account (an empty account means "not known", built as `*`).
  static let ownedByAWS = "-"

  public init(partition: String, service: String, region: String, account: String, resource: String) {
    self.partition = partition
    self.service = service
    self.region = region
    self.account = account
    self.resource = resource
  }

  /// Parses `text`; nil unless it is `arn:` and at least five more colon-separated parts.
  public init?(_ text: some StringProtocol) {
    let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard parts.count == 6, parts[0] == "arn" else { return nil }
    self.init(
      partition: String(parts[1]), service: String(parts[2]), region: String(parts[3]), account: String(parts[4]),
      resource: String(parts[5]))
  }

  /// The ARN's text.
  public var description: String { "arn:\(partition):\(service):\(region):\(account):\(resource)" }

  /// The partition a region belongs to: `aws-cn` for `cn-north-1`, `aws` for
  /// `us-east-1` and for a region not known.
  public static func partition(forRegion region: String) -> String {
    if region.hasPrefix("cn-") { return "aws-cn" }
    if region.hasPrefix("us-gov-") { return "aws-us-gov" }
    if region.hasPrefix("us-isob-") { return "aws-iso-b" }
    if region.hasPrefix("us-iso-") { return "aws-iso" }
    if region.hasPrefix("eu-isoe-") { return "aws-iso-e" }
    return "aws"
  }
}
