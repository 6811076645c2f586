/// Turns CloudTrail calls into the IAM permissions they needed, from the
/// catalogue's data: the service prefix of the event source, the action
/// (version suffixes removed, renamed operations looked up, calls that need
/// several actions expanded), the resource each is authorised against, the
/// permission a refusal names, and the `iam:PassRole` a call implies.
///
/// A facade over `CallPlanner` (once per event source and name),
/// `ResourceResolver` (once per call) and `DenialParser` (refused calls), so
/// that callers can cache each step's answer apart.
public struct PermissionMapper: Sendable {
  public let catalog: Catalog
  let planner: CallPlanner
  let resolver: ResourceResolver
  let denials: DenialParser

  public init(catalog: Catalog = .shared) {
    self.catalog = catalog
    self.planner = CallPlanner(catalog: catalog)
    self.resolver = ResourceResolver(catalog: catalog)
    self.denials = DenialParser(catalog: catalog)
  }

  // MARK: - Actions

  /// What calls of this event source and name need; the same for every such call.
  func plan(source: String, event: String) -> CallPlan {
    planner.plan(source: source, event: event)
  }

  /// Removes a date-shaped API version suffix (`CreateFunction20150331` →
  /// `CreateFunction`); forwards to `EventName.withoutVersionSuffix(_:)`.
  public static func stripVersionSuffix(_ name: String) -> String {
    EventName.withoutVersionSuffix(name)
  }

  // MARK: - Permissions of one call

  /// The permissions before any refusal is applied: depends only on the plan,
  /// the request parameters, the region and account, and the record's resources.
  func resolve(_ plan: CallPlan, _ e: borrowing EventView, into out: inout [MappedPermission]) {
    let region = e.string(e.awsRegion) ?? ""
    let account = e.string(e.recipientAccountId) ?? e.string(e.identityAccountId) ?? ""
    var request = ResourceRequest(
      parameters: ResourceRequest.unwrapped(e.bytes(e.requestParameters)),
      recordArns: e.resources.map { e.bytes($0.arn) },
      region: region, account: account, partition: ARN.partition(forRegion: region))
    switch plan.kind {
    case .unmapped, .noPermission:
      return
    case .actions(let actions):
      request.several = actions.count > 1
      let explicit = plan.resourcePattern.flatMap { resolver.fill($0, request) }
      for planned in actions {
        let found = explicit.map { [$0] } ?? resolver.withSuffix(resolver.resources(planned, request), planned)
        if planned.hint == "partiql" && found.isEmpty { continue }  // no statement of this verb
        for resource in found {
          out.append(MappedPermission(action: planned.action.name, resource: resource))
        }
      }
    case .apiGateway(let routes):
      out.append(ServiceRequests.apiGatewayPermission(routes, request))
    }
    for also in plan.conditional {
      if let planned = also.planned {
        if !request.values(also.path).allSatisfy(\.isEmpty) {
          for resource in resolver.withSuffix(resolver.resources(planned, request), planned) {
            Self.appendOnce(MappedPermission(action: also.action, resource: resource), to: &out)
          }
        }
        continue
      }
      var seen = Set<String>()
      for value in request.values(also.path) where !value.isEmpty && seen.insert(value).inserted {
        if let resource = resolver.fill(also.pattern, request, each: (also.pathText, value)) {
          Self.appendOnce(
            MappedPermission(action: also.action, resource: resource, passedTo: also.passedTo), to: &out)
        }
      }
    }
    for role in plan.passRoles {
      for arn in JSONLookup.strings(in: request.parameters, at: role.path) where Self.isRoleArn(arn) {
        out.append(MappedPermission(action: ActionName.passRole.description, resource: arn, passedTo: role.service))
      }
    }
  }

  /// Adds a conditional action's permission unless another path of the same
  /// request gave it already (an instance profile by name and by ARN).
  private static func appendOnce(_ permission: MappedPermission, to out: inout [MappedPermission]) {
    if !out.contains(where: {
      $0.action == permission.action && $0.resource == permission.resource && $0.passedTo == permission.passedTo
    }) {
      out.append(permission)
    }
  }

  /// Whether a value handed to a service is a role's ARN (loosely: an ARN with `:role/` in it).
  private static func isRoleArn(_ s: String) -> Bool {
    s.hasPrefix("arn:") && s.contains(":role/")
  }

  /// What the fast path needs of a plan it can serve (nil: it cannot), made
  /// once per plan: for a call with one action and no hint, the record's
  /// resources of the action's types (`RecordResourceMatcher.match`).
  func recordResourceMatcher(_ plan: CallPlan) -> ResourceResolver.RecordResourceMatcher? {
    resolver.recordResourceMatcher(plan)
  }

  // MARK: - Denials

  /// Whether the error code is one of a refused call.
  func isDenied(_ code: UnsafeBufferPointer<UInt8>) -> Bool {
    denials.isDenied(code)
  }

  /// The action and resource an AccessDenied message names, if it names them
  /// and the action is a real one.
  public func deniedPermission(message: String?) -> (action: String, resource: String?)? {
    denials.deniedPermission(message: message)
  }

  /// Marks what a refused call was refused for.
  func markDenied(
    _ out: inout [MappedPermission], named: (action: String, resource: String?)?, plan: CallPlan
  ) {
    denials.markDenied(&out, named: named, plan: plan)
  }
}
