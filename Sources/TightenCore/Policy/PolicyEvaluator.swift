/// Policy evaluation as IAM does it for one principal within its account
/// (IAM User Guide, "Policy evaluation logic"): an explicit Deny in any
/// policy wins; otherwise the call must be allowed by every policy type
/// present: each level of the organisation's service and resource control
/// policies, the identity-based policies, the permissions boundary and the
/// session policy. Within one type, an Allow whose Action, Resource and
/// Condition all match allows.
///
/// Conditions are three-valued: a key the trail settles (`aws:RequestedRegion`,
/// `aws:SourceIp`, `aws:PrincipalArn`, …) gives true or false; any other key
/// gives "unknown", which surfaces as `condition-unknown`, never as a guess.
/// A simulated request (`CallFacts.given`) settles every key: one not given
/// is absent.
public struct PolicyEvaluator: Sendable {
  public let policies: PolicySet
  let catalog: Catalog
  private let byService: [String: [StatementRef]]
  private let anyService: [StatementRef]
  /// The policy types present, in the order IAM checks them; identity is always there.
  let layers: [PolicyLayer]
  /// Each document's place in `layers`.
  private let slotOf: [Int]
  /// For each statement (by document and index): whether a resource pattern has a wildcard in an IAM resource type.
  private let iamTypeWildcards: [[Bool]]
  /// What each layer allows before its statements are read: nothing, but for resource control
  /// policies (`RCPFullAWSAccess` allows everything at every level).
  private let implicitAllow: [Truth]

  struct StatementRef: Sendable {
    var document: Int
    var statement: Int
  }

  /// A statement whose action, resource and conditions matched a call.
  public struct Match: Sendable, Equatable {
    public var document: Int
    public var statement: Int
    public var effect: PolicyStatement.Effect
  }

  public struct Result: Sendable {
    /// nil when the call is allowed.
    public var missing: MissingReason?
    /// The Allow entries of identity policies the call used (their statement matched and its conditions did not fail).
    public var used: [EntryRef]
    /// The policy type that refused the call (nil when it is allowed or the refusal is not certain).
    public var layer: PolicyLayer?
    /// Whether the refusal is an explicit Deny.
    public var denied: Bool = false
    /// The statements that matched (filled only when asked).
    public var matched: [Match] = []
  }

  public init(policies: PolicySet, catalog: Catalog = .shared) {
    self.policies = policies
    self.catalog = catalog
    var byService: [String: [StatementRef]] = [:]
    var anyService: [StatementRef] = []
    for (d, document) in policies.documents.enumerated() {
      for (s, statement) in document.statements.enumerated() {
        let ref = StatementRef(document: d, statement: s)
        guard let actions = statement.actions else {
          anyService.append(ref)  // NotAction may match any service
          continue
        }
        var services = Set<String>()
        var wild = false
        for action in actions {
          let prefix = ActionName.service(of: action).lowercased()
          if prefix.contains("*") || prefix.contains("?") || action == "*" {
            wild = true
          } else {
            services.insert(prefix)
          }
        }
        if wild { anyService.append(ref) }
        for service in services { byService[service, default: []].append(ref) }
      }
    }
    self.byService = byService
    self.anyService = anyService
    let layers = Set(policies.documents.map(\.layer)).union([.identity]).sorted()
    self.layers = layers
    slotOf = policies.documents.map { layers.firstIndex(of: $0.layer)! }
    iamTypeWildcards = policies.documents.map { document in
      document.statements.map { statement in
        (statement.resources ?? statement.notResources ?? []).contains {
          IAMResourceType.typeOfIAM($0)?.contains { $0 == "*" || $0 == "?" } == true
        }
      }
    }
    implicitAllow = layers.map {
      if case .resourceControl = $0 { return .yes }
      return .no
    }
  }

  /// What of an evaluation depends on the action alone: the statements whose
  /// `Action`/`NotAction` match it, and whether it has resource types.
  public struct ActionPlan: Sendable {
    public let action: String
    fileprivate let statements: [(ref: StatementRef, entries: [Int])]
    fileprivate let hasResourceTypes: Bool
    /// The statements whose `Action`/`NotAction` match.
    var statementRefs: [StatementRef] { statements.map(\.ref) }
  }

  /// Works out once what every call of `action` shares; pass it to `evaluate(_:plan:)`.
  public func plan(action: String) -> ActionPlan {
    let service = ActionName.service(of: action).lowercased()
    var statements: [(ref: StatementRef, entries: [Int])] = []
    for ref in (byService[service] ?? []) + anyService {
      let entries = matchingActionEntries(policies.documents[ref.document].statements[ref.statement], action)
      if !entries.isEmpty { statements.append((ref, entries)) }
    }
    return ActionPlan(
      action: action, statements: statements,
      hasResourceTypes: !(catalog.action(action)?.resourceTypes.isEmpty ?? true))
  }

  public func evaluate(_ facts: CallFacts, matches: Bool = false) -> Result {
    evaluate(facts, plan: plan(action: facts.action), matches: matches)
  }

  /// Evaluates a call with the plan of its action (`plan.action` must be `facts.action`).
  public func evaluate(_ facts: CallFacts, plan: ActionPlan, matches: Bool = false) -> Result {
    // A trail call whose resource the trail does not name is not held against a resource-scoped grant;
    // a simulated request's resource is what the user gave.
    let unknownResource = facts.resource == "*" && plan.hasResourceTypes && facts.given == nil
    // The resource in the matcher's form once, not once per pattern (`Variables` prepares the patterns).
    let observed = Glob.literals(facts.resource)
    // One policy type (the usual case): no arrays to make for every call.
    if layers.count == 1 && !matches { return evaluateIdentity(facts, plan: plan, unknownResource, observed) }
    var allow = implicitAllow
    var deny = [Truth](repeating: .no, count: layers.count)
    var used: [EntryRef] = []
    var matched: [Match] = []
    for (ref, actionEntries) in plan.statements {
      let statement = policies.documents[ref.document].statements[ref.statement]
      let truth = applies(
        statement, facts, observed, unknownResource: unknownResource,
        checkIAMType: iamTypeWildcards[ref.document][ref.statement])
      if truth == .no { continue }
      if matches && truth == .yes {
        matched.append(Match(document: ref.document, statement: ref.statement, effect: statement.effect))
      }
      let slot = slotOf[ref.document]
      if statement.effect == .deny {
        deny[slot] = deny[slot].or(truth)
      } else {
        allow[slot] = allow[slot].or(truth)
        guard layers[slot] == .identity else { continue }
        used += Self.entries(ref, actionEntries, statement)
      }
    }
    var result = Result(missing: nil, used: used, matched: matched)
    // An explicit Deny anywhere wins; then the first type, in IAM's order, that does not allow the call.
    if let slot = deny.firstIndex(of: .yes) {
      result.layer = layers[slot]
      result.denied = true
      result.missing = layers[slot] == .identity ? .explicitDeny : layers[slot].refusal
    } else if let slot = allow.firstIndex(of: .no) {
      result.layer = layers[slot]
      result.missing = layers[slot].refusal
    } else if allow.contains(.unknown) || deny.contains(.unknown) {
      result.missing = .conditionUnknown
    }
    return result
  }

  /// Whether a statement whose action matched applies to the call: its resources, then its conditions.
  @inline(__always)
  private func applies(
    _ statement: PolicyStatement, _ facts: CallFacts, _ observed: String, unknownResource: Bool, checkIAMType: Bool
  ) -> Truth {
    let truth = resourceTruth(statement, facts, observed, unknownResource: unknownResource, checkIAMType: checkIAMType)
    if truth == .no { return .no }
    return truth.and(Conditions.evaluate(statement.conditions, facts, variables: statement.variables))
  }

  /// The `Action` entries an Allow statement that applied used (`-1` for a `NotAction` statement).
  @inline(__always)
  private static func entries(_ ref: StatementRef, _ actionEntries: [Int], _ statement: PolicyStatement)
    -> [EntryRef]
  {
    guard statement.actions != nil else {
      return [EntryRef(document: ref.document, statement: ref.statement, entry: -1)]
    }
    return actionEntries.map { EntryRef(document: ref.document, statement: ref.statement, entry: $0) }
  }

  /// `evaluate` for identity policies alone.
  private func evaluateIdentity(_ facts: CallFacts, plan: ActionPlan, _ unknownResource: Bool, _ observed: String)
    -> Result
  {
    var allow = Truth.no
    var deny = Truth.no
    var used: [EntryRef] = []
    for (ref, actionEntries) in plan.statements {
      let statement = policies.documents[ref.document].statements[ref.statement]
      let truth = applies(
        statement, facts, observed, unknownResource: unknownResource,
        checkIAMType: iamTypeWildcards[ref.document][ref.statement])
      if truth == .no { continue }
      if statement.effect == .deny {
        deny = deny.or(truth)
      } else {
        allow = allow.or(truth)
        used += Self.entries(ref, actionEntries, statement)
      }
    }
    var result = Result(missing: nil, used: used)
    if deny == .yes {
      (result.missing, result.layer, result.denied) = (.explicitDeny, .identity, true)
    } else if allow == .no {
      (result.missing, result.layer) = (.notGranted, .identity)
    } else if allow == .unknown || deny == .unknown {
      result.missing = .conditionUnknown
    }
    return result
  }

  /// Indexes of the `Action` entries that match (for `NotAction`, `[-1]` when the statement applies).
  private func matchingActionEntries(_ statement: PolicyStatement, _ action: String) -> [Int] {
    if let actions = statement.actions {
      return actions.indices.filter { Glob.matches(actions[$0], action, ignoringCase: true) }
    }
    if let notActions = statement.notActions {
      return notActions.contains { Glob.matches($0, action, ignoringCase: true) } ? [] : [-1]
    }
    return []
  }

  /// - Parameter checkIAMType: whether a pattern has a wildcard in an IAM resource type (worked out once per
  ///   statement: the check is needed for few policies, and the match runs for every call).
  private func resourceTruth(
    _ statement: PolicyStatement, _ facts: CallFacts, _ observed: String, unknownResource: Bool, checkIAMType: Bool
  ) -> Truth {
    if let resources = statement.resources {
      var truth = Truth.no
      for pattern in resources {
        switch Variables.substitute(pattern, facts, enabled: statement.variables) {
        case .unknown:
          truth = truth.or(.unknown)
        case .absent:
          continue
        case .text(let resolved):
          // A call whose resource the trail does not name is not held against a resource-scoped grant; a
          // resource-scoped Deny may or may not apply to it.
          if unknownResource {
            if statement.effect == .allow || resolved == "*" { return .yes }
            truth = truth.or(.unknown)
            continue
          }
          if Glob.coversPrepared(resolved, observed)
            && !(checkIAMType && IAMResourceType.wildcardMismatch(resolved, observed))
          {
            return .yes
          }
        }
      }
      return truth
    }
    if let notResources = statement.notResources {
      for pattern in notResources {
        switch Variables.substitute(pattern, facts, enabled: statement.variables) {
        case .unknown: return .unknown
        case .absent: continue
        case .text(let resolved):
          if unknownResource { return .unknown }
          if Glob.coversPrepared(resolved, observed)
            && !(checkIAMType && IAMResourceType.wildcardMismatch(resolved, observed))
          {
            return .no
          }
        }
      }
      return .yes
    }
    return .no
  }
}

/// Three-valued truth for conditions the trail may not settle.
enum Truth: Equatable, Sendable {
  case yes, no, unknown

  func and(_ other: Truth) -> Truth {
    if self == .no || other == .no { return .no }
    if self == .unknown || other == .unknown { return .unknown }
    return .yes
  }

  func or(_ other: Truth) -> Truth {
    if self == .yes || other == .yes { return .yes }
    if self == .unknown || other == .unknown { return .unknown }
    return .no
  }

  var not: Truth {
    switch self {
    case .yes: .no
    case .no: .yes
    case .unknown: .unknown
    }
  }

  init(_ b: Bool) { self = b ? .yes : .no }
}

/// IAM ARNs: "You can't use a wildcard in the portion of the ARN that
/// specifies the resource type, such as the term `user` in an IAM ARN" (IAM
/// User Guide, "IAM identifiers"). A pattern whose resource type holds a
/// wildcard (`arn:aws:iam::123456789012:u*`) names a type that does not exist:
/// it matches only a resource whose type is spelled the same way. A resource
/// part that is only `*` still matches every IAM resource.
enum IAMResourceType {
  /// Whether `pattern` has a wildcard in an IAM resource type that `observed` does not share.
  static func wildcardMismatch(_ pattern: String, _ observed: String) -> Bool {
    guard let type = typeOfIAM(pattern), type.contains(where: { $0 == "*" || $0 == "?" }),
      type.endIndex != pattern.endIndex || type != "*"
    else {
      return false
    }
    return typeOfIAM(observed) != type
  }

  /// The resource type of an IAM ARN (`user` of `arn:aws:iam::1:user/bob`), or nil for any other text.
  static func typeOfIAM(_ arn: String) -> Substring? {
    // No allocation: this runs for every resource that matched a pattern.
    let utf8 = arn.utf8
    guard utf8.count > 12, utf8.starts(with: "arn:".utf8) else { return nil }
    var colons = 0
    var serviceStart = utf8.startIndex
    var resourceStart: String.Index? = nil
    var index = utf8.startIndex
    while index < utf8.endIndex {
      if utf8[index] == UInt8(ascii: ":") {
        colons += 1
        let next = utf8.index(after: index)
        if colons == 2 { serviceStart = next }
        if colons == 3 && !utf8[serviceStart..<index].elementsEqual("iam".utf8) { return nil }
        if colons == 5 {
          resourceStart = next
          break
        }
      }
      index = utf8.index(after: index)
    }
    guard let resourceStart else { return nil }
    let resource = arn[resourceStart...]
    return resource[..<(resource.firstIndex(of: "/") ?? resource.endIndex)]
  }
}
