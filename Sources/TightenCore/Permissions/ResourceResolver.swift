/// Finds the resources an action is authorised against in one call: the ARNs
/// the request or the record names, or ARNs built from the action's resource
/// type templates and the request's values, as specific as the evidence allows.
struct ResourceResolver: Sendable {
  let catalog: Catalog
  /// The request parameters that may hold an ARN of any type (the catalogue's `K *` line).
  let arnPaths: [JSONLookup.Path]

  init(catalog: Catalog) {
    self.catalog = catalog
    self.arnPaths = (catalog.parameterPaths["*"] ?? []).map(JSONLookup.Path.init)
  }

  /// The ARNs an action is authorised against for this request: one or more
  /// for every resource type the action requires (the resource the request
  /// names, else the narrowest pattern that certainly covers it), and those
  /// of optional types found; `*` when the action has no resource type or
  /// nothing about it is known.
  func resources(_ planned: CallPlan.PlannedAction, _ r: ResourceRequest) -> [String] {
    if planned.candidates.isEmpty { return ["*"] }
    if planned.hint == "copy-source", let source = r.values(ResourceRequest.copySource).first {
      return [ServiceRequests.copySourceARN(source, partition: r.partition)]
    }
    if planned.hint == "partiql" { return ServiceRequests.partiQLTables(for: planned.action.qualifiedName, r) }
    let (found, alternative) = named(planned, r)
    guard !alternative, planned.hint == nil, planned.everyType else { return found }
    return completed(found, planned, r)
  }

  /// Adds, for every type the action requires that `found` has none of, the
  /// narrowest pattern that certainly covers it, and the resources of optional
  /// types the request names: IAM authorises the call against each
  /// (`ec2:RunInstances`: the image, instance, network interface, security
  /// group, subnet and volume, and the key pair when one is given).
  private func completed(_ found: [String], _ planned: CallPlan.PlannedAction, _ r: ResourceRequest) -> [String] {
    var all = found == ["*"] ? [] : found
    for (i, candidate) in planned.candidates.enumerated()
    where !all.contains(where: { arn in candidate.templates.contains { $0.template.matches(arn) } }) {
      if i < planned.required {
        all += covering(candidate, planned, r)
      } else if let named = build(candidate, r, allowPartial: false, planned: planned) {
        all += named
      }
    }
    return all.isEmpty ? ["*"] : all
  }

  /// The type's ARN with what the request tells filled in and `*` for the
  /// rest; with nothing told, every name `*` in the call's partition, region and account.
  private func covering(_ candidate: ResolverPlan.Candidate, _ planned: CallPlan.PlannedAction, _ r: ResourceRequest)
    -> [String]
  {
    if let partial = build(candidate, r, allowPartial: true, planned: planned, required: true) { return partial }
    guard let template = candidate.templates.first?.template else { return [] }
    return [template.build(partition: r.partition, region: r.region, account: r.account, values: [:])]
  }

  /// The resources the request or record names for the action, as the
  /// evidence allows; `alternative` when an ARN the request names picked one
  /// of several required types that are alternatives (`dynamodb:TagResource`
  /// on a table or a stream).
  private func named(_ planned: CallPlan.PlannedAction, _ r: ResourceRequest) -> (
    found: [String], alternative: Bool
  ) {
    if planned.required > 1, let named = severalRequired(planned, r) { return named }
    // The record's own resources are what AWS says the call touched; a copy's
    // record names both objects, so calls with a hinted source build from the request.
    let recordFirst = planned.hint == nil && !r.recordArns.isEmpty && !r.several
    if recordFirst, let fromRecord = recordResources(planned, r) { return (fromRecord, false) }
    for candidate in planned.candidates {
      // A template without variables fits anything: only the last resort.
      if let full = build(candidate, r, allowPartial: false, planned: planned, fixedToo: planned.candidates.count == 1)
      {
        return (full, false)
      }
    }
    if !recordFirst, let fromRecord = recordResources(planned, r) { return (fromRecord, false) }
    for (i, candidate) in planned.candidates.enumerated() {
      if let partial = build(candidate, r, allowPartial: true, planned: planned, required: i < planned.required) {
        return (partial, false)
      }
    }
    return (["*"], false)
  }

  /// Several required types are either alternatives (dynamodb:TagResource on
  /// a table or a stream, named by its ARN) or all authorised (ec2:RunInstances:
  /// the image, subnet, instance…): an ARN the request or record names picks the
  /// alternative; else one row for each type. Nil when none is known.
  private func severalRequired(_ planned: CallPlan.PlannedAction, _ r: ResourceRequest) -> (
    found: [String], alternative: Bool
  )? {
    let requiredTypes = planned.candidates.prefix(planned.required)
    var named: [String] = []
    for path in arnPaths {
      for value in r.values(path) where value.hasPrefix("arn:") {
        if requiredTypes.contains(where: { $0.templates.contains { $0.template.matches(value) } }) {
          named.append(LiteralText.escaped(value))
        }
      }
    }
    let alternative = !named.isEmpty && !planned.everyType
    if named.isEmpty, let fromRecord = recordResources(planned, r) { named = fromRecord }
    if named.isEmpty && planned.everyType {
      named = requiredTypes.compactMap { build($0, r, allowPartial: true, planned: planned, required: true) }
        .flatMap { $0 }
    }
    return named.isEmpty ? nil : (Array(Set(named)).sorted(), alternative)
  }

  /// A data pattern with `{partition}`, `{region}`, `{account}` and `{parameter}` filled; nil when a part is unknown.
  /// `each` gives the value of one parameter (one of several the request holds).
  func fill(_ pattern: String, _ r: ResourceRequest, each: (path: String, value: String)? = nil) -> String? {
    Placeholders.replace(in: pattern, opening: "{") { name in
      switch name {
      case each?.path: return each.map { LiteralText.escaped($0.value) }
      case "partition": return r.partition
      case "region": return r.region
      case "account": return r.account
      default:
        guard let value = r.values(JSONLookup.Path(name)).first, !value.isEmpty else { return nil }
        return LiteralText.escaped(value)
      }
    }
  }

  /// ARNs in the form the service evaluates (`log-group:NAME` → `log-group:NAME:*`).
  func withSuffix(_ arns: [String], _ planned: CallPlan.PlannedAction) -> [String] {
    guard let rules = catalog.arnSuffixes[planned.service] else { return arns }
    let action = planned.action.qualifiedName.name
    return arns.map { arn in
      for rule in rules where !rule.except.contains(action) && !arn.hasSuffix(rule.suffix) {
        if planned.candidates.contains(where: {
          $0.type.name == rule.type && $0.templates.contains { $0.template.matches(arn) }
        }) {
          return arn + rule.suffix
        }
      }
      return arn
    }
  }

  /// The fast path, for a call with one action and no hint: the record's
  /// resources of the action's types, as bytes, when there are any (the
  /// common case of data events, which name their object, table or function).
  ///
  /// What the fast path needs of a plan it can serve, whatever the record:
  /// a call with one action of no hint and at most one required type, no
  /// implied `iam:PassRole`, pattern or ARN suffix; nil for any other plan.
  /// Made once per plan by a worker, so a record costs no lookup of the
  /// service's ARN suffixes and no copy of the plan's action.
  func recordResourceMatcher(_ plan: CallPlan) -> RecordResourceMatcher? {
    guard case .actions(let actions) = plan.kind, actions.count == 1, plan.passRoles.isEmpty,
      plan.resourcePattern == nil
    else { return nil }
    let planned = actions[0]
    if catalog.arnSuffixes[planned.service] != nil { return nil }
    guard planned.hint == nil, planned.required <= 1, !planned.candidates.isEmpty else { return nil }
    // Where every type is evaluated, optional types the request names join the
    // record's: the general path adds them.
    if planned.everyType && planned.candidates.count > planned.required { return nil }
    return RecordResourceMatcher(
      templates: planned.candidates.flatMap { $0.templates.map(\.template) },
      required: planned.everyType && planned.required == 1 ? planned.candidates[0].templates.map(\.template) : [],
      conditionalKeys: plan.conditionalKeys)
  }

  /// The fast path for one plan: a record's resources that are ARNs of the
  /// action's types.
  final class RecordResourceMatcher {
    /// The templates of every type of the action.
    let templates: [ArnTemplate]
    /// The templates of the one type that must be among the resources (none: no such type).
    let required: [ArnTemplate]
    /// Request members that may call for another action (an S3 upload's KMS key).
    let conditionalKeys: [[UInt8]]

    init(templates: [ArnTemplate], required: [ArnTemplate], conditionalKeys: [[UInt8]]) {
      self.templates = templates
      self.required = required
      self.conditionalKeys = conditionalKeys
    }

    /// The record's ARNs of the action's types into `out`, in first
    /// occurrence order without repeats; false (and `out` empty) when the
    /// general path must decide.
    func match(_ e: borrowing EventView, into out: inout [UnsafeBufferPointer<UInt8>]) -> Bool {
      // A call that may need another action takes the general path when its
      // request has the member that says so.
      if !conditionalKeys.isEmpty {
        let parameters = e.bytes(e.requestParameters)
        if conditionalKeys.contains(where: { Platform.contains($0, in: parameters) }) { return false }
      }
      // A few resources (the usual 0 to 3) are compared with those kept; past
      // `linearLimit` a hash set keeps the work linear.
      var kept: Set<ByteKey>? = e.resources.count > ResourceResolver.linearLimit ? [] : nil
      for ref in e.resources {
        let arn = e.bytes(ref.arn)
        guard arn.count > 0, templates.contains(where: { $0.matches(arn) }) else { continue }
        // An ARN holding `*`, `?` or `$` must be escaped: the general path does it.
        if LiteralText.needsEscape(arn) {
          out.removeAll()
          return false
        }
        if kept != nil {
          if kept!.insert(ByteKey(arn)).inserted { out.append(arn) }
        } else if !out.contains(where: { compareBytes($0, arn) == 0 }) {
          out.append(arn)
        }
      }
      // The one required type must be among them, else the general path completes it.
      if !required.isEmpty, !out.contains(where: { arn in required.contains { $0.matches(arn) } }) {
        out.removeAll()
        return false
      }
      return !out.isEmpty
    }
  }

  /// Resources in one record up to which duplicates are found by comparing
  /// with each kept one; more are hashed.
  static let linearLimit = 16

  /// A record's ARN bytes as a set member (valid while the record is).
  fileprivate struct ByteKey: Hashable {
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    static func == (a: ByteKey, b: ByteKey) -> Bool { compareBytes(a.bytes, b.bytes) == 0 }
    func hash(into hasher: inout Hasher) { hasher.combine(bytes: UnsafeRawBufferPointer(bytes)) }
  }

  /// The record's resources of the action's types, sorted; nil when it names none.
  private func recordResources(_ planned: CallPlan.PlannedAction, _ r: ResourceRequest) -> [String]? {
    var found: [String] = []
    var kept: Set<String>? = r.recordArns.count > Self.linearLimit ? [] : nil
    for arn in r.recordArns
    where planned.candidates.contains(where: { $0.templates.contains { $0.template.matches(arn) } }) {
      let text = LiteralText.escaped(String(decoding: arn, as: UTF8.self))
      if kept != nil {
        if kept!.insert(text).inserted { found.append(text) }
      } else if !found.contains(text) {
        found.append(text)
      }
    }
    return found.isEmpty ? nil : found.sorted()
  }

  /// Builds the type's ARN from the request: all of it, or with `*` for what
  /// is not known when `allowPartial` (and at least one value is known).
  private func build(
    _ candidate: ResolverPlan.Candidate, _ r: ResourceRequest, allowPartial: Bool, planned: CallPlan.PlannedAction,
    fixedToo: Bool = false, required: Bool = false
  ) -> [String]? {
    for plan in candidate.templates {
      let template = plan.template
      if plan.variables.isEmpty && !fixedToo && !allowPartial { continue }
      var values: [String: String] = [:]
      var many: (name: String, values: [String])? = nil
      var missing = false
      var region = r.region
      var account = r.account
      for variable in plan.variables {
        switch lookup(variable, template, r, &region, &account, type: candidate.type.name, service: planned.service) {
        case .arn(let arns):
          return arns
        case .values(let vs) where !vs.isEmpty:
          values[variable.name] = vs[0]
          if vs.count > 1 && many == nil { many = (variable.name, vs) }
        default:
          missing = true
        }
      }
      // A partial ARN says something only when a value is known, or, for a type
      // the call requires (`vpc/*` for a VPC being created), its account or region.
      let placed =
        !values.isEmpty
        || (required
          && ((template.text.contains("${Account}") && !account.isEmpty)
            || (template.text.contains("${Region}") && !region.isEmpty)))
      if missing && (!allowPartial || !placed) { continue }
      let p = ARN.partition(forRegion: region)
      if let many {
        return many.values.map { v in
          var vs = values
          vs[many.name] = v
          return template.build(partition: p, region: region, account: account, values: vs)
        }
      }
      return [template.build(partition: p, region: region, account: account, values: values)]
    }
    return nil
  }

  private enum Found {
    case arn([String])
    case values([String])
    case none
  }

  /// A variable's values in the request: ARNs of the template's type, or plain
  /// values after the service's rules (`VariableRules`) and, for a service with
  /// a preferred type, only those of this type.
  private func lookup(
    _ plan: ResolverPlan.VariablePlan, _ template: ArnTemplate, _ r: ResourceRequest, _ region: inout String,
    _ account: inout String, type: String, service: String
  ) -> Found {
    let preferred = catalog.preferredTypes[service]
    let prefixed = catalog.identifierPrefixes[service] ?? []
    for path in plan.paths {
      let found = r.values(path)
      if found.isEmpty { continue }
      var plain: [String] = []
      var arns: [String] = []
      for raw in found {
        if raw.hasPrefix("arn:") {
          if template.matches(raw) { arns.append(LiteralText.escaped(raw)) }
          continue
        }
        let literal = LiteralText.escaped(raw)
        guard let value = VariableRules.apply(plan.steps, to: literal, in: r, region: &region, account: &account)
        else { continue }
        if let preferred, !plan.ownType {
          // A bare identifier is of the preferred type, or of the type its prefix names.
          let owner = prefixed.first { rule in rule.prefixes.contains { value.hasPrefix($0) } }?.type ?? preferred
          if owner != type.lowercased() { continue }
        }
        if value.isEmpty { continue }
        plain.append(value)
      }
      if !arns.isEmpty { return .arn(arns) }
      if !plain.isEmpty { return .values(plain) }
    }
    return .none
  }
}
