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
    statements(
      for: analysis.usage.map { ($0.permission, $0.context.passedToService) } + predicted.map { ($0, "") },
      sidPrefix: "")
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
    let patterns = resourcePatterns(Set(byAction.values.flatMap { $0 } + passRoles.keys))
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
      let byResources = groups[service]!
      let ordered = byResources.keys.sorted { a, b in
        let x = byResources[a]!.sorted()
        let y = byResources[b]!.sorted()
        return x.lexicographicallyPrecedes(y)
      }
      for resources in ordered {
        var actions = byResources[resources]!.sorted()
        if options.actionWildcards { actions = Self.collapseReadActions(actions) }
        let sid = uniqueSid(sidPrefix + Self.camel(service) + kind(of: resources.sorted(), service: service), &usedSids)
        statements.append(
          PolicyStatement(
            label: sid, index: statements.count, effect: .allow, actions: actions, resources: resources.sorted()))
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
