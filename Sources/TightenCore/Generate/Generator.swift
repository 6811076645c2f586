/// Proposes the policy a team should deploy next: from the trails alone, or
/// by refining the declared policies (one turn of deploy → trail → tighten).
public struct Generator: Sendable {
  public var options: GeneratorOptions
  public let catalog: Catalog

  public init(options: GeneratorOptions = .init(), catalog: Catalog = .shared) {
    self.options = options
    self.catalog = catalog
  }

  // MARK: - From the trails

  /// Every permission the trails show (refused calls and implied PassRole
  /// included) as statements, nothing else.
  public func statements(from analysis: TrailAnalysis, predicted: [Permission] = []) -> [PolicyStatement] {
    // Each string made once; rows that differ only in a context that passes no role are one permission.
    var texts = [String?](repeating: nil, count: analysis.strings.count)
    func text(_ id: Int32) -> String {
      if let known = texts[Int(id)] { return known }
      let made = analysis.string(id)
      texts[Int(id)] = made
      return made
    }
    var permissions: [(Permission, String)] = []
    var last: (action: Int32, resource: Int32, passedTo: String)? = nil
    for row in analysis.rows {
      let passedTo = analysis.contexts[Int(row.context)].passedToService
      if let last, last.action == row.action, last.resource == row.resource, last.passedTo == passedTo { continue }
      last = (row.action, row.resource, passedTo)
      permissions.append((Permission(action: text(row.action), resource: text(row.resource)), passedTo))
    }
    return statements(for: permissions + predicted.map { ($0, "") }, sidPrefix: "")
  }

  func statements(for permissions: [(Permission, String)], sidPrefix: String) -> [PolicyStatement] {
    var byAction: [String: Set<String>] = [:]
    var passRoles: [String: Set<String>] = [:]  // role → services it was passed to ("" unknown)
    for (permission, passedTo) in permissions {
      let resource = generalizeAccount(permission.resource)
      if permission.action == "iam:PassRole" && !passedTo.isEmpty {
        passRoles[resource, default: []].insert(passedTo)
      } else {
        byAction[permission.action, default: []].insert(resource)
      }
    }
    let patterns =
      options.resources == .exact ? [:] : resourcePatterns(Set(byAction.values.flatMap { $0 } + passRoles.keys))
    // Statements: per service, actions grouped by the resources they need.
    var groups: [String: [Set<String>: [String]]] = [:]  // service → resources → actions
    for (action, resources) in byAction {
      let mapped = Set(resources.map { patterns[$0] ?? $0 })
      let reduced = Self.withoutCovered(mapped)
      groups[ActionName.service(of: action), default: [:]][reduced, default: []].append(action)
    }
    var statements: [PolicyStatement] = []
    var usedSids = Set<String>()
    for service in groups.keys.sorted() {
      // Each group's actions sorted once; no two groups share an action.
      let ordered = groups[service]!.map { (resources: $0.key, actions: $0.value.sorted()) }
        .sorted { $0.actions.lexicographicallyPrecedes($1.actions) }
      for (resourceSet, sortedActions) in ordered {
        var actions = sortedActions
        if options.actionWildcards { actions = Self.collapseReadActions(actions) }
        let resources = resourceSet.sorted()
        let sid = uniqueSid(sidPrefix + Self.camel(service) + kind(of: resources, service: service), &usedSids)
        statements.append(
          PolicyStatement(
            label: sid, index: statements.count, effect: .allow, actions: actions, resources: resources))
      }
    }
    // PassRole, with the services each role was handed to.
    var byServices: [Set<String>: [String]] = [:]
    for (role, services) in passRoles { byServices[services, default: []].append(patterns[role] ?? role) }
    for services in byServices.keys.sorted(by: { $0.sorted().lexicographicallyPrecedes($1.sorted()) }) {
      let names = services.sorted()
      let target = names.count == 1 ? Self.camel(String(names[0].prefix { $0 != "." })) : "Services"
      let sid = uniqueSid(sidPrefix + "IamPassRoleTo" + target, &usedSids)
      statements.append(
        PolicyStatement(
          label: sid, index: statements.count, effect: .allow, actions: ["iam:PassRole"],
          resources: Self.withoutCovered(Set(byServices[services]!)).sorted(),
          conditions: [ConditionClause(op: "StringEquals", key: "iam:PassedToService", values: names)]))
    }
    return statements
  }

  private func generalizeAccount(_ arn: String) -> String {
    guard options.anyAccount || options.anyRegion, arn.hasPrefix("arn:") else { return arn }
    guard var parsed = ARN(arn) else { return arn }
    if options.anyRegion && !parsed.region.isEmpty { parsed.region = "*" }
    if options.anyAccount && !parsed.account.isEmpty && parsed.account != "aws" { parsed.account = "*" }
    return parsed.description
  }
}
