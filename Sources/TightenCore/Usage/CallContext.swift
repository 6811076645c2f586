/// The request context of a call: what a policy condition can be evaluated on.
public struct CallContext: Hashable, Sendable {
  /// The principal's ARN (the role for sessions).
  public var principal: String
  public var sessionArn: String
  public var principalAccount: String
  public var region: String
  public var sourceIP: String
  /// The service that made the call for the principal (`cloudformation.amazonaws.com`), or "".
  public var invokedBy: String
  /// For an implied `iam:PassRole`: the service the role was passed to, else "".
  public var passedToService: String
  /// `mfaAuthenticated` of the session: nil when the record does not say.
  public var mfa: Bool?

  public init(
    principal: String = "", sessionArn: String = "", principalAccount: String = "", region: String = "",
    sourceIP: String = "", invokedBy: String = "", passedToService: String = "", mfa: Bool? = nil
  ) {
    self.principal = principal
    self.sessionArn = sessionArn
    self.principalAccount = principalAccount
    self.region = region
    self.sourceIP = sourceIP
    self.invokedBy = invokedBy
    self.passedToService = passedToService
    self.mfa = mfa
  }
}
