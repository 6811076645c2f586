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
    let keys = ResourceKeys(base: analysis.strings)
    var usage = KeyedUsage()
    var generalized: [Int32: Int32] = [:]
    // Rows that differ only in a context that passes no role are one permission.
    let passedTo = analysis.contexts.map(\.passedToService)
    var last: (action: Int32, resource: Int32, passedTo: String)? = nil
    var action = ""
    for row in analysis.rows {
      let to = passedTo[Int(row.context)]
      if let last, last.action == row.action, last.resource == row.resource, last.passedTo == to { continue }
      if last?.action != row.action { action = analysis.string(row.action) }
      last = (row.action, row.resource, to)
      usage.add(action, generalize(keys.key(base: row.resource), keys, &generalized), passedTo: to)
    }
    for permission in predicted {
      usage.add(permission.action, generalize(keys.key(permission.resource), keys, &generalized), passedTo: "")
    }
    return statements(usage, keys, sidPrefix: "")
  }

  func statements(for permissions: [(Permission, String)], sidPrefix: String) -> [PolicyStatement] {
    let keys = ResourceKeys(base: Interner())
    var usage = KeyedUsage()
    var generalized: [Int32: Int32] = [:]
    for (permission, passedTo) in permissions {
      usage.add(permission.action, generalize(keys.key(permission.resource), keys, &generalized), passedTo: passedTo)
    }
    return statements(usage, keys, sidPrefix: sidPrefix)
  }

  /// Permissions by action, their resources by key, and the roles passed to known services.
  private struct KeyedUsage {
    var actions: [String] = []
    var resources: [[Int32]] = []
    /// Role → services it was passed to.
    var passRoles: [Int32: Set<String>] = [:]
    private var index: [String: Int] = [:]
    private var last = -1

    mutating func add(_ action: String, _ resource: Int32, passedTo: String) {
      if !passedTo.isEmpty && action == "iam:PassRole" {
        passRoles[resource, default: []].insert(passedTo)
        return
      }
      // Rows come by action: the last one first, then the index.
      if last < 0 || actions[last] != action {
        if let known = index[action] {
          last = known
        } else {
          last = actions.count
          index[action] = last
          actions.append(action)
          resources.append([])
        }
      }
      resources[last].append(resource)
    }
  }

  private func statements(_ usage: KeyedUsage, _ keys: ResourceKeys, sidPrefix: String) -> [PolicyStatement] {
    // Each action's resources once, in key order.
    let lists = usage.resources.map(Self.sortedUnique)
    let patternOf =
      options.resources == .exact
      ? [] : resourcePatterns(Self.sortedUnique(lists.flatMap { $0 } + usage.passRoles.keys), keys)
    func written(_ key: Int32) -> Int32 {
      Int(key) < patternOf.count && patternOf[Int(key)] >= 0 ? patternOf[Int(key)] : key
    }
    // Statements: per service, actions grouped by the resources they need.
    var groups: [String: [[Int32]: [String]]] = [:]  // service → resources → actions
    for (action, resources) in zip(usage.actions, lists) {
      let reduced = Self.withoutCovered(Self.sortedUnique(resources.map(written)), keys)
      groups[ActionName.service(of: action), default: [:]][reduced, default: []].append(action)
    }
    var statements: [PolicyStatement] = []
    var usedSids = Set<String>()
    for service in groups.keys.sorted() {
      // Each group's actions sorted once; no two groups share an action.
      let ordered = groups[service]!.map { (resources: $0.key, actions: $0.value.sorted()) }
        .sorted { $0.actions.lexicographicallyPrecedes($1.actions) }
      for (resourceKeys, sortedActions) in ordered {
        var actions = sortedActions
        if options.actionWildcards { actions = Self.collapseReadActions(actions) }
        let resources = keys.sortedAsStrings(resourceKeys)
        let sid = uniqueSid(sidPrefix + Self.camel(service) + kind(of: resources, service: service), &usedSids)
        statements.append(
          PolicyStatement(
            label: sid, index: statements.count, effect: .allow, actions: actions, resources: resources))
      }
    }
    // PassRole, with the services each role was handed to.
    var byServices: [Set<String>: [String]] = [:]
    for (role, services) in usage.passRoles { byServices[services, default: []].append(keys.string(written(role))) }
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

  private static func sortedUnique(_ keys: [Int32]) -> [Int32] {
    var keys = keys
    keys.sort()
    var end = 0
    for key in keys where end == 0 || keys[end - 1] != key {
      keys[end] = key
      end += 1
    }
    keys.removeLast(keys.count - end)
    return keys
  }

  /// A resource's key with any account or region, as the options ask (each key worked out once).
  private func generalize(_ key: Int32, _ keys: ResourceKeys, _ done: inout [Int32: Int32]) -> Int32 {
    guard options.anyAccount || options.anyRegion else { return key }
    if let known = done[key] { return known }
    let arn = keys.string(key)
    let generalized = generalizeAccount(arn)
    let made = generalized.utf8.elementsEqual(arn.utf8) ? key : keys.key(generalized)
    done[key] = made
    return made
  }

  private func generalizeAccount(_ arn: String) -> String {
    guard options.anyAccount || options.anyRegion, arn.hasPrefix("arn:") else { return arn }
    guard var parsed = ARN(arn) else { return arn }
    if options.anyRegion && !parsed.region.isEmpty { parsed.region = "*" }
    if options.anyAccount && !parsed.account.isEmpty && parsed.account != "aws" { parsed.account = "*" }
    return parsed.description
  }
}
