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
  /// What each layer allows before its statements are read: nothing, but for resource control
  /// policies (`RCPFullAWSAccess` allows everything at every level).
  private let implicitAllow: [Truth]

  struct StatementRef: Sendable {
    var document: Int
    var statement: Int
  }

  /// A statement with what its evaluation needs worked out once, not once per call.
  ///
  /// Each plan makes its own, with storage of its own: the threads that evaluate calls each hold their
  /// own plans, so the reference counting of the hot loop never contends for memory shared between cores.
  fileprivate final class Prepared: Sendable {
    let statement: PolicyStatement
    let effect: PolicyStatement.Effect
    let resources: [Pattern]?
    let notResources: [Pattern]?
    let hasConditions: Bool
    /// Whether a resource pattern has a wildcard in an IAM resource type (few policies need the check).
    let checkIAMType: Bool
    /// Whether only the call's resource decides if the statement applies: no conditions, no variables read.
    let resourceOnly: Bool

    init(_ statement: PolicyStatement) {
      self.statement = statement
      effect = statement.effect
      resources = statement.resources?.map { Pattern($0, variables: statement.variables) }
      notResources = statement.notResources?.map { Pattern($0, variables: statement.variables) }
      hasConditions = !statement.conditions.isEmpty
      checkIAMType = (statement.resources ?? statement.notResources ?? []).contains {
        IAMResourceType.typeOfIAM($0)?.contains { $0 == "*" || $0 == "?" } == true
      }
      resourceOnly = !hasConditions && !(resources ?? notResources ?? []).contains(where: \.substituted)
    }
  }

  /// A `Resource`/`NotResource` entry, and whether it holds variables that are read.
  fileprivate struct Pattern: Sendable {
    let text: String
    let substituted: Bool

    init(_ text: String, variables: Bool) {
      self.text = String(decoding: Array(text.utf8), as: UTF8.self)  // storage of its own (see `Prepared`)
      substituted = variables && Variables.hasVariable(text)
    }
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
    implicitAllow = layers.map {
      if case .resourceControl = $0 { return .yes }
      return .no
    }
  }

  /// What of an evaluation depends on the action alone: the statements whose
  /// `Action`/`NotAction` match it, and whether it has resource types.
  public struct ActionPlan: Sendable {
    public let action: String
    fileprivate let statements: [Planned]
    fileprivate let hasResourceTypes: Bool
    /// Whether every statement's applying depends on the call's resource alone.
    fileprivate let resourceOnly: Bool
    /// The statements whose `Action`/`NotAction` match.
    var statementRefs: [StatementRef] { statements.map(\.ref) }
  }

  /// A statement whose `Action`/`NotAction` matches a plan's action, with the entries a call that it allows uses.
  fileprivate struct Planned: Sendable {
    let ref: StatementRef
    let prepared: Prepared
    /// The `Action` entries that match (`-1` for a `NotAction` statement), as `Result.used` lists them.
    let used: [EntryRef]
  }

  /// Works out once what every call of `action` shares; pass it to `evaluate(_:plan:)`.
  public func plan(action: String) -> ActionPlan {
    let service = ActionName.service(of: action).lowercased()
    var statements: [Planned] = []
    for ref in (byService[service] ?? []) + anyService {
      let statement = policies.documents[ref.document].statements[ref.statement]
      let entries = matchingActionEntries(statement, action)
      guard !entries.isEmpty else { continue }
      let used = entries.map { EntryRef(document: ref.document, statement: ref.statement, entry: $0) }
      statements.append(Planned(ref: ref, prepared: Prepared(statement), used: used))
    }
    return ActionPlan(
      action: action, statements: statements,
      hasResourceTypes: !(catalog.action(action)?.resourceTypes.isEmpty ?? true),
      resourceOnly: statements.allSatisfy(\.prepared.resourceOnly))
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
    var resource = Glob.literals(facts.resource)
    return resource.withUTF8 { bytes in
      let observed = Glob.Observed(bytes)
      return decide(plan, matches: matches) { prepared in
        let truth = resourceTruth(prepared, observed, unknownResource: unknownResource) {
          Variables.substitute($0.text, facts, enabled: $0.substituted)
        }
        if truth == .no { return .no }
        guard prepared.hasConditions else { return truth }
        let statement = prepared.statement
        return truth.and(Conditions.evaluate(statement.conditions, facts, variables: statement.variables))
      }
    }
  }

  /// `evaluate` for a trail call whose resource is given as bytes, with no `String` made of it: when the
  /// plan's statements read nothing but the resource (no conditions, no variables) and the resource is
  /// ASCII without an escape. nil otherwise, for `evaluate(_:plan:)`.
  func evaluate(resource: UnsafeBufferPointer<UInt8>, plan: ActionPlan) -> Result? {
    // Beyond ASCII the facts path decides: it matches the text as `String` repairs it (invalid UTF-8 as U+FFFD).
    guard plan.resourceOnly, !Glob.hasByte(UInt8(ascii: "$"), resource), Platform.isASCII(resource) else {
      return nil
    }
    let unknownResource = plan.hasResourceTypes && resource.count == 1 && resource[0] == UInt8(ascii: "*")
    let observed = Glob.Observed(resource)
    return decide(plan, matches: false) { prepared in
      resourceTruth(prepared, observed, unknownResource: unknownResource) { .text($0.text) }
    }
  }

  /// The decision over the plan's statements, given whether each applies: an explicit Deny in any policy
  /// type wins; then the first type, in IAM's order, that does not allow the call.
  @inline(__always)
  private func decide(_ plan: ActionPlan, matches: Bool, _ applies: (Prepared) -> Truth) -> Result {
    // One policy type (the usual case): no arrays to make for every call.
    if layers.count == 1 && !matches {
      var allow = Truth.no
      var deny = Truth.no
      var used: [EntryRef] = []
      // By index through the buffer: each statement read in place, not copied (its class and array retained)
      // for every call.
      plan.statements.withUnsafeBufferPointer { statements in
        for i in statements.indices {
          let truth = applies(statements[i].prepared)
          if truth == .no { continue }
          if statements[i].prepared.effect == .deny {
            deny = deny.or(truth)
          } else {
            allow = allow.or(truth)
            Self.append(statements[i].used, to: &used)
          }
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
    var allow = implicitAllow
    var deny = [Truth](repeating: .no, count: layers.count)
    var used: [EntryRef] = []
    var matched: [Match] = []
    for planned in plan.statements {
      let ref = planned.ref
      let effect = planned.prepared.effect
      let truth = applies(planned.prepared)
      if truth == .no { continue }
      if matches && truth == .yes {
        matched.append(Match(document: ref.document, statement: ref.statement, effect: effect))
      }
      let slot = slotOf[ref.document]
      if effect == .deny {
        deny[slot] = deny[slot].or(truth)
      } else {
        allow[slot] = allow[slot].or(truth)
        guard layers[slot] == .identity else { continue }
        Self.append(planned.used, to: &used)
      }
    }
    var result = Result(missing: nil, used: used, matched: matched)
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

  /// Adds an Allow statement's used entries (the first statement's list is taken as it is, not copied).
  @inline(__always)
  private static func append(_ entries: [EntryRef], to used: inout [EntryRef]) {
    if used.isEmpty { used = entries } else { used += entries }
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

  /// Whether a statement's `Resource`/`NotResource` applies to the call, each pattern as `resolve` gives it
  /// (its variables replaced from the call's facts).
  @inline(__always)
  private func resourceTruth(
    _ prepared: Prepared, _ observed: Glob.Observed, unknownResource: Bool,
    resolve: (Pattern) -> Variables.Substituted
  ) -> Truth {
    if let resources = prepared.resources {
      var truth = Truth.no
      for i in resources.indices {
        // A pattern without variables is its own text: no `Substituted` made (and its string retained) for it.
        let substituted = resources[i].substituted ? resolve(resources[i]) : nil
        if case .unknown = substituted {
          truth = truth.or(.unknown)
          continue
        }
        if case .absent = substituted { continue }
        // A call whose resource the trail does not name is not held against a resource-scoped grant; a
        // resource-scoped Deny may or may not apply to it.
        if unknownResource {
          if prepared.effect == .allow || Self.text(substituted, resources[i]) == "*" { return .yes }
          truth = truth.or(.unknown)
          continue
        }
        if covers(Self.text(substituted, resources[i]), observed, checkIAMType: prepared.checkIAMType) {
          return .yes
        }
      }
      return truth
    }
    if let notResources = prepared.notResources {
      for i in notResources.indices {
        let substituted = notResources[i].substituted ? resolve(notResources[i]) : nil
        if case .unknown = substituted { return .unknown }
        if case .absent = substituted { continue }
        if unknownResource { return .unknown }
        if covers(Self.text(substituted, notResources[i]), observed, checkIAMType: prepared.checkIAMType) {
          return .no
        }
      }
      return .yes
    }
    return .no
  }

  /// The text a pattern stands for: its substitution's, or its own when it has no variables.
  @inline(__always)
  private static func text(_ substituted: Variables.Substituted?, _ pattern: Pattern) -> String {
    if case .text(let text) = substituted { return text }
    return pattern.text
  }

  /// Whether a resolved pattern covers the call's resource.
  @inline(__always)
  private func covers(_ pattern: String, _ observed: Glob.Observed, checkIAMType: Bool) -> Bool {
    guard Glob.coversPrepared(pattern, observed) else { return false }
    return !checkIAMType || !IAMResourceType.wildcardMismatch(pattern, String(decoding: observed.bytes, as: UTF8.self))
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
