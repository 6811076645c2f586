/// Identity-policy evaluation, as IAM does it for one principal's policies:
/// an explicit Deny wins; otherwise an Allow whose Action, Resource and
/// Condition all match allows; otherwise the call is not granted.
///
/// Conditions are three-valued: a key the trail settles (`aws:RequestedRegion`,
/// `aws:SourceIp`, `aws:PrincipalArn`, …) gives true or false; any other key
/// gives "unknown", which surfaces as `condition-unknown`, never as a guess.
public struct PolicyEvaluator: Sendable {
  public let policies: PolicySet
  let catalog: Catalog
  private let byService: [String: [StatementRef]]
  private let anyService: [StatementRef]

  struct StatementRef: Sendable {
    var document: Int
    var statement: Int
  }

  public struct Result: Sendable {
    /// nil when the call is allowed.
    public var missing: MissingReason?
    /// The Allow entries the call used (their statement matched and its conditions did not fail).
    public var used: [EntryRef]
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
  }

  /// What of an evaluation depends on the action alone: the statements whose
  /// `Action`/`NotAction` match it, and whether it has resource types.
  public struct ActionPlan: Sendable {
    public let action: String
    fileprivate let statements: [(ref: StatementRef, entries: [Int])]
    fileprivate let hasResourceTypes: Bool
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

  public func evaluate(_ facts: CallFacts) -> Result {
    evaluate(facts, plan: plan(action: facts.action))
  }

  /// Evaluates a call with the plan of its action (`plan.action` must be `facts.action`).
  public func evaluate(_ facts: CallFacts, plan: ActionPlan) -> Result {
    let unknownResource = facts.resource == "*" && plan.hasResourceTypes
    // The resource in the matcher's form once, not once per pattern (`Variables` prepares the patterns).
    let observed = Glob.literals(facts.resource)
    var allow = Truth.no
    var deny = Truth.no
    var used: [EntryRef] = []
    for (ref, actionEntries) in plan.statements {
      let statement = policies.documents[ref.document].statements[ref.statement]
      var truth = resourceTruth(statement, facts, observed, unknownResource: unknownResource)
      if truth == .no { continue }
      truth = truth.and(Conditions.evaluate(statement.conditions, facts))
      if truth == .no { continue }
      if statement.effect == .deny {
        deny = deny.or(truth)
      } else {
        allow = allow.or(truth)
        if statement.actions != nil {
          used += actionEntries.map { EntryRef(document: ref.document, statement: ref.statement, entry: $0) }
        } else {
          used.append(EntryRef(document: ref.document, statement: ref.statement, entry: -1))
        }
      }
    }
    let missing: MissingReason?
    if deny == .yes {
      missing = .explicitDeny
    } else if allow == .yes && deny == .no {
      missing = nil
    } else if allow == .no {
      missing = .notGranted
    } else {
      missing = .conditionUnknown
    }
    return Result(missing: missing, used: used)
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

  private func resourceTruth(
    _ statement: PolicyStatement, _ facts: CallFacts, _ observed: String, unknownResource: Bool
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
          // A call whose resource the trail does not name is not held against a resource-scoped grant.
          if unknownResource || Glob.coversPrepared(resolved, observed) { return .yes }
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
          if Glob.coversPrepared(resolved, observed) { return .no }
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
