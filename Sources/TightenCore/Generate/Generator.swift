/// How `generate` shapes a policy.
public struct GeneratorOptions: Sendable, Equatable {
  public enum ResourceMode: String, Sendable, CaseIterable {
    /// Every ARN as observed.
    case exact
    /// Resources of one kind and place collapse to their common prefix (`table/shop-dev-*`, `bucket/2026/*`).
    case prefix
    /// Resources of one kind and place become that kind's wildcard (`table/*`).
    case wildcard
  }

  public var resources: ResourceMode
  /// Replace the account in ARNs by `*`, so one policy serves several accounts.
  public var anyAccount: Bool
  /// Replace the region in ARNs by `*`.
  public var anyRegion: Bool
  /// Collapse three or more read actions sharing a verb (`ec2:Describe*`). Grants actions not observed.
  public var actionWildcards: Bool
  /// Largest document, in characters not counting white space.
  public var maxSize: Int
  /// Refinement: keep entries no call used.
  public var keepUnused: Bool
  /// Refinement: replace overbroad wildcards by the actions used.
  public var narrow: Bool

  public init(
    resources: ResourceMode = .exact, anyAccount: Bool = false, anyRegion: Bool = false, actionWildcards: Bool = false,
    maxSize: Int = 6144, keepUnused: Bool = false, narrow: Bool = false
  ) {
    self.resources = resources
    self.anyAccount = anyAccount
    self.anyRegion = anyRegion
    self.actionWildcards = actionWildcards
    self.maxSize = maxSize
    self.keepUnused = keepUnused
    self.narrow = narrow
  }
}

public enum GeneratorError: Error, Equatable, CustomStringConvertible {
  /// The policy needs more documents than a role can hold.
  case tooManyDocuments(Int)

  public var description: String {
    switch self {
    case .tooManyDocuments(let n):
      "the policy needs \(n) documents of at most the size limit; a role holds at most 10 managed policies "
        + "(narrow the trail with --principal, or use --resources prefix or wildcard)"
    }
  }
}

/// What one refinement changed, for the changelog and the history.
public struct Changelog: Sendable, Equatable {
  public struct Entry: Sendable, Equatable {
    public var policy: String
    public var statement: String
    public var action: String
  }

  /// Permissions added because calls needed them: (action, resource).
  public var added: [Permission] = []
  /// Entries removed because no call used them.
  public var removed: [Entry] = []
  /// Wildcard entries replaced by the actions used: entry → actions.
  public var narrowed: [(entry: Entry, to: [String])] = []
  /// Entries kept although unused, because CloudTrail cannot show their use.
  public var keptUnobservable: [Entry] = []

  public static func == (a: Changelog, b: Changelog) -> Bool {
    a.added == b.added && a.removed == b.removed && a.keptUnobservable == b.keptUnobservable
      && a.narrowed.map(\.entry) == b.narrowed.map(\.entry) && a.narrowed.map(\.to) == b.narrowed.map(\.to)
  }
}

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
  public func statements(from analysis: TrailAnalysis) -> [PolicyStatement] {
    statements(for: analysis.usage.map { ($0.permission, $0.context.passedToService) }, sidPrefix: "")
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
      groups[String(action.prefix { $0 != ":" }), default: [:]][reduced, default: []].append(action)
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
    var parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 6 else { return arn }
    if options.anyRegion && !parts[3].isEmpty { parts[3] = "*" }
    if options.anyAccount && !parts[4].isEmpty && parts[4] != "aws" { parts[4] = "*" }
    return parts.joined(separator: ":")
  }

  /// Where an ARN's own name starts: the catalogue template of its type tells
  /// (`arn:aws:s3:::bucket/` + `dir/key`, `…:table/` + `Orders`).
  func split(_ arn: String) -> (prefix: String, name: String, type: String)? {
    let service = arn.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
    guard service.count >= 3, let types = catalog.service(String(service[2]))?.resourceTypes.values else { return nil }
    var best: (offset: Int, type: String)? = nil
    for type in types.sorted(by: { $0.name < $1.name }) {
      for template in type.templates {
        guard let offset = template.lastVariableOffset(arn) else { continue }
        let hasName = offset < arn.utf8.count
        let longer = offset > (best?.offset ?? -1)
        if hasName && longer { best = (offset, type.name) }
      }
    }
    guard let best else { return nil }
    let index = arn.utf8.index(arn.utf8.startIndex, offsetBy: best.offset)
    return (String(arn[..<index]), String(arn[index...]), best.type)
  }

  /// The pattern each resource is written as, under the resource mode.
  func resourcePatterns(_ resources: Set<String>) -> [String: String] {
    guard options.resources != .exact else { return [:] }
    var groups: [String: [String]] = [:]  // prefix → names
    for resource in resources where resource != "*" {
      if let (prefix, name, _) = split(resource), !name.contains("*") { groups[prefix, default: []].append(name) }
    }
    var out: [String: String] = [:]
    for (prefix, names) in groups {
      let pattern: String
      if options.resources == .wildcard {
        pattern = prefix + "*"
      } else {
        guard names.count > 1 else { continue }
        var common = names[0]
        for name in names.dropFirst() { common = String(common.commonPrefix(with: name)) }
        // Keep a name prefix of three characters or more; else whole path segments; else the whole kind.
        let tail = common.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        if tail.count < 3 {
          common = String(common.dropLast(tail.count))
        }
        pattern = prefix + common + "*"
      }
      for name in names { out[prefix + name] = pattern }
    }
    return out
  }

  /// Drops resources a broader pattern in the set already covers.
  static func withoutCovered(_ resources: Set<String>) -> Set<String> {
    let patterns = resources.filter { $0.contains("*") || $0.contains("?") }
    guard !patterns.isEmpty else { return resources }
    return resources.filter { r in !patterns.contains { $0 != r && Glob.covers($0, r) } }
  }

  /// `Table`, `Function`, `Bucket`… from the resources' type, `All` for `*`.
  private func kind(of resources: [String], service: String) -> String {
    guard let first = resources.first, first != "*" else { return "All" }
    return split(first).map { Self.camel($0.type) } ?? ""
  }

  private func uniqueSid(_ base: String, _ used: inout Set<String>) -> String {
    var sid = base.isEmpty ? "Statement" : base
    var n = 2
    while used.contains(sid) {
      sid = base + String(n)
      n += 1
    }
    used.insert(sid)
    return sid
  }

  /// `cognito-idp` → `CognitoIdp`: Sids hold letters and digits only.
  static func camel(_ text: String) -> String {
    text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
      .joined()
  }

  static func collapseReadActions(_ actions: [String]) -> [String] {
    var out: [String] = []
    var byVerb: [String: [String]] = [:]
    for action in actions {
      let name = action.split(separator: ":").last.map(String.init) ?? ""
      let verb = ["Describe", "List", "Get"].first { name.hasPrefix($0) }
      if let verb {
        byVerb[String(action.prefix { $0 != ":" }) + ":" + verb, default: []].append(action)
      } else {
        out.append(action)
      }
    }
    for (verb, members) in byVerb { out += members.count >= 3 ? [verb + "*"] : members }
    return out.sorted()
  }

  // MARK: - Documents and size

  /// Splits statements into documents of at most `maxSize` characters (white
  /// space not counted), along service boundaries, in as few documents as it can.
  public func documents(_ statements: [PolicyStatement], name: String) throws(GeneratorError) -> [PolicyDocument] {
    var byService: [(String, [PolicyStatement])] = []
    for statement in statements {
      let service = String((statement.actions?.first ?? "").prefix { $0 != ":" })
      if let last = byService.last, last.0 == service {
        byService[byService.count - 1].1.append(statement)
      } else {
        byService.append((service, [statement]))
      }
    }
    var documents: [[PolicyStatement]] = []
    var current: [PolicyStatement] = []
    func fits(_ list: [PolicyStatement]) -> Bool {
      Self.size(PolicyDocument(name: "", path: "", statements: list)) <= options.maxSize
    }
    for (_, group) in byService {
      if fits(current + group) {
        current += group
        continue
      }
      if !current.isEmpty { documents.append(current) }
      current = []
      // The service alone: statement by statement, halving statements that do not fit alone.
      for statement in group.flatMap({ split($0) }) {
        if fits(current + [statement]) {
          current.append(statement)
        } else {
          if !current.isEmpty { documents.append(current) }
          current = [statement]
        }
      }
    }
    if !current.isEmpty { documents.append(current) }
    if documents.count > 10 { throw .tooManyDocuments(documents.count) }
    let base = name.hasSuffix(".json") ? String(name.dropLast(5)) : name
    return documents.enumerated().map { i, list in
      let docName = documents.count == 1 ? "\(base).json" : "\(base)-\(i + 1).json"
      return PolicyDocument(
        name: docName, path: docName,
        statements: list.enumerated().map { j, s in
          var s = s
          s.index = j
          return s
        })
    }
  }

  /// A statement too large for one document, in halves (resources first, then actions).
  private func split(_ statement: PolicyStatement) -> [PolicyStatement] {
    let alone = PolicyDocument(name: "", path: "", statements: [statement])
    guard Self.size(alone) > options.maxSize else { return [statement] }
    var a = statement
    var b = statement
    if let resources = statement.resources, resources.count > 1 {
      a.resources = Array(resources[..<(resources.count / 2)])
      b.resources = Array(resources[(resources.count / 2)...])
    } else if let actions = statement.actions, actions.count > 1 {
      a.actions = Array(actions[..<(actions.count / 2)])
      b.actions = Array(actions[(actions.count / 2)...])
    } else {
      return [statement]  // cannot be made smaller
    }
    a.label += "Part1"
    b.label += "Part2"
    return split(a) + split(b)
  }

  /// Characters of the document's JSON, white space not counted (IAM's measure).
  public static func size(_ document: PolicyDocument) -> Int {
    json(document).unicodeScalars.filter { !$0.properties.isWhitespace }.count
  }

  /// The document as an IAM policy in JSON, statements in order, two-space indent.
  public static func json(_ document: PolicyDocument) -> String {
    func list(_ values: [String], _ indent: String) -> String {
      if values.count == 1 { return JSONWriter.quote(values[0]) }
      return "[\n" + values.map { indent + "  " + JSONWriter.quote($0) }.joined(separator: ",\n") + "\n" + indent + "]"
    }
    var statements: [String] = []
    for s in document.statements {
      var members: [String] = []
      if !s.label.hasPrefix("#") { members.append("\"Sid\": \(JSONWriter.quote(s.label))") }
      members.append("\"Effect\": \"\(s.effect.rawValue)\"")
      if let actions = s.actions { members.append("\"Action\": \(list(actions, "      "))") }
      if let notActions = s.notActions { members.append("\"NotAction\": \(list(notActions, "      "))") }
      if let resources = s.resources { members.append("\"Resource\": \(list(resources, "      "))") }
      if let notResources = s.notResources { members.append("\"NotResource\": \(list(notResources, "      "))") }
      if !s.conditions.isEmpty {
        var byOperator: [(String, [ConditionClause])] = []
        for clause in s.conditions {
          if let i = byOperator.firstIndex(where: { $0.0 == clause.op }) {
            byOperator[i].1.append(clause)
          } else {
            byOperator.append((clause.op, [clause]))
          }
        }
        let ops = byOperator.map { op, clauses in
          "        \(JSONWriter.quote(op)): {\n"
            + clauses.map { "          \(JSONWriter.quote($0.key)): \(list($0.values, "          "))" }.joined(
              separator: ",\n")
            + "\n        }"
        }
        members.append("\"Condition\": {\n" + ops.joined(separator: ",\n") + "\n      }")
      }
      statements.append("    {\n" + members.map { "      " + $0 }.joined(separator: ",\n") + "\n    }")
    }
    return "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n" + statements.joined(separator: ",\n")
      + "\n  ]\n}\n"
  }

  // MARK: - Refinement

  /// One turn of the cycle: the declared policies with what was used kept as
  /// written, unused entries removed, overbroad wildcards narrowed when asked,
  /// and what was missing added.
  public func refine(_ analysis: TrailAnalysis, policies: PolicySet, diff: DiffResult) -> (
    documents: [PolicyDocument], changelog: Changelog
  ) {
    var log = Changelog()
    let unused = Dictionary(grouping: diff.unused) { "\($0.policy)\t\($0.statement)" }
    let overbroad = Dictionary(grouping: diff.overbroad) { "\($0.policy)\t\($0.statement)" }
    var documents: [PolicyDocument] = []
    for document in policies.documents {
      var kept: [PolicyStatement] = []
      for statement in document.statements {
        guard statement.effect == .allow else {
          kept.append(statement)
          continue
        }
        let key = "\(document.name)\t\(statement.label)"
        let unusedHere = unused[key] ?? []
        var s = statement
        if let actions = statement.actions {
          var next: [String] = []
          for action in actions {
            let entry = Changelog.Entry(policy: document.name, statement: statement.label, action: action)
            if let u = unusedHere.first(where: { $0.action == action }) {
              if u.kind == .unobservable {
                log.keptUnobservable.append(entry)
                next.append(action)
              } else if options.keepUnused {
                next.append(action)
              } else {
                log.removed.append(entry)
              }
              continue
            }
            if options.narrow, let o = overbroad[key]?.first(where: { $0.action == action }) {
              log.narrowed.append((entry, o.usedActions))
              next += o.usedActions.filter { !next.contains($0) }
              continue
            }
            if !next.contains(action) { next.append(action) }
          }
          if next.isEmpty { continue }
          s.actions = next
        } else if !unusedHere.isEmpty && !options.keepUnused {
          log.removed.append(.init(policy: document.name, statement: statement.label, action: unusedHere[0].action))
          continue
        }
        kept.append(s)
      }
      documents.append(PolicyDocument(name: Self.outputName(document.name), path: document.path, statements: kept))
    }
    // What was missing: the rows of the missing permissions, with their contexts (for PassRole).
    let missing = Set(diff.missing.map { Permission(action: $0.action, resource: $0.resource) })
    let needed = analysis.usage.filter { missing.contains($0.permission) }.map {
      ($0.permission, $0.context.passedToService)
    }
    log.added = diff.missing.map { Permission(action: $0.action, resource: $0.resource) }
    let added = statements(for: needed, sidPrefix: "Added")
    if !added.isEmpty {
      let existing = Set(documents.flatMap(\.statements).map(\.label))
      let renamed = added.map { s -> PolicyStatement in
        var s = s
        while existing.contains(s.label) { s.label += "New" }
        return s
      }
      if let first = documents.first,
        Self.size(PolicyDocument(name: "", path: "", statements: first.statements + renamed)) <= options.maxSize
      {
        documents[0].statements += renamed
      } else {
        documents.append(PolicyDocument(name: "tighten-added.json", path: "tighten-added.json", statements: renamed))
      }
    }
    documents = documents.filter { !$0.statements.isEmpty }
    return (documents, log)
  }

  /// `deploy.json` stays; `template.yaml:ExecutionPolicy` → `template.ExecutionPolicy.json`.
  static func outputName(_ name: String) -> String {
    guard let colon = name.firstIndex(of: ":") else { return name.hasSuffix(".json") ? name : name + ".json" }
    let file = name[..<colon]
    let stem = file.split(separator: ".").dropLast().joined(separator: ".")
    let rest = name[name.index(after: colon)...].map { $0 == "/" ? "." : $0 }
    return "\(stem.isEmpty ? String(file) : stem).\(String(rest)).json"
  }
}
