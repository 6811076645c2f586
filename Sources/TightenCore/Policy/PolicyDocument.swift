/// A policy document and where it came from.
public struct PolicyDocument: Sendable, Equatable {
  /// How reports name it: the file name, with the template's logical id where there is one.
  public var name: String
  public var path: String
  public var statements: [PolicyStatement]
  /// Which kind of policy it is in the evaluation (identity unless a flag or the file says otherwise).
  public var layer: PolicyLayer
  /// Where in its file the document is (`Resources.Deploy.Properties.PolicyDocument`; "" for a whole file).
  public var place: String = ""

  public init(name: String, path: String, statements: [PolicyStatement], layer: PolicyLayer = .identity) {
    self.name = name
    self.path = path
    self.statements = statements
    self.layer = layer
  }
}

/// The policy types IAM combines for a call within one account (IAM User
/// Guide, "Policy evaluation logic"): a call must be allowed by each present
/// type and denied by none.
public enum PolicyLayer: Sendable, Hashable, Comparable {
  /// A resource control policy at one level of the organisation (0 = root). AWS attaches
  /// `RCPFullAWSAccess` at every level and it cannot be detached, so a level allows
  /// whatever its own policies do not deny.
  case resourceControl(level: Int)
  /// A service control policy at one level of the organisation (0 = root): a call must be allowed at each.
  case organization(level: Int)
  /// The principal's identity-based policies.
  case identity
  /// The principal's permissions boundary.
  case boundary
  /// The session policy passed when the role's session was made.
  case session

  /// The word `simulate`'s `layer` and `diff`'s reasons use.
  public var name: String {
    switch self {
    case .resourceControl, .organization: "scp"
    case .identity: "identity"
    case .boundary: "boundary"
    case .session: "session-policy"
    }
  }

  /// The reason a call this layer refuses is missing for.
  var refusal: MissingReason {
    switch self {
    case .resourceControl, .organization: .scp
    case .identity: .notGranted
    case .boundary: .boundary
    case .session: .sessionPolicy
    }
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
