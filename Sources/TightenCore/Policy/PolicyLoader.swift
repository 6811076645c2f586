/// Reads the declared policies of one principal from `--policy` files and
/// binds them at once: `DeclaredPolicies.load` then `bound(to:)`, for callers
/// that know the account and region before they read.
///
/// Files are IAM policy documents, CloudFormation/CDK templates (JSON or
/// YAML), or `aws iam get-account-authorization-details` output. A file that
/// cannot be used is a `PolicyError` naming the place (`Statement[2].Action[1]`,
/// `line 4, column 7`).
public struct PolicyLoader: Sendable {
  /// `--principal`: picks the role or user in authorization-details output.
  public var principals: [String]
  /// What `${AWS::AccountId}`, `${AWS::Region}` and `${AWS::Partition}` stand for in templates (nil: `*`).
  public var account: String?
  public var region: String?

  public init(principals: [String] = [], account: String? = nil, region: String? = nil) {
    self.principals = principals
    self.account = account
    self.region = region
  }

  var binding: PolicyBinding { PolicyBinding(account: account, region: region) }

  public func load(_ paths: [String]) throws(PolicyError) -> PolicySet {
    try DeclaredPolicies.load(paths, principals: principals).bound(to: binding)
  }

  /// Reads policy text already in memory (`name` stands for its file).
  public func load(text: String, name: String) throws(PolicyError) -> PolicySet {
    try DeclaredPolicies.parse(text: text, name: name, principals: principals).bound(to: binding)
  }
}
