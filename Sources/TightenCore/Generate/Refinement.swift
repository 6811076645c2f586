/// Refinement: one turn of the deploy → trail → tighten cycle on declared policies.
extension Generator {
  /// One turn of the cycle: the declared policies with what was used kept as
  /// written, unused entries removed, overbroad wildcards narrowed when asked,
  /// and what was missing added.
  public func refine(_ analysis: TrailAnalysis, policies: PolicySet, diff: DiffResult) -> (
    documents: [PolicyDocument], changelog: Changelog
  ) {
    var log = Changelog()
    let findings = Findings(diff)
    // Only the identity policies are refined and written: a boundary or an organisation policy is not the
    // principal's to change, and never goes out as one of its policies.
    var documents = policies.documents.filter { $0.layer == .identity }.map { document in
      var next = PolicyDocument(
        name: Self.outputName(document.name), path: document.path,
        statements: document.statements.compactMap { refined($0, in: document.name, findings, &log) })
      next.place = document.place
      return next
    }
    let helped = Self.helpable(diff, analysis, policies)
    log.added = diff.missing.map { Permission(action: $0.action, resource: $0.resource) }.filter(helped.contains)
    if options.lifecycle { log.predicted = diff.predicted.map { Permission(action: $0.action, resource: $0.resource) } }
    addMissing(analysis, helped, predicted: log.predicted, to: &documents)
    return (documents.filter { !$0.statements.isEmpty }, log)
  }

  /// The diff's unused and overbroad entries, by policy and statement.
  struct Findings {
    var unused: [String: [DiffResult.Unused]]
    var overbroad: [String: [DiffResult.Overbroad]]
    /// Entries that name no action IAM has: they grant nothing, and go as unused ones do.
    var invalid: [String: [DiffResult.Invalid]]

    init(_ diff: DiffResult) {
      unused = Dictionary(grouping: diff.unused) { "\($0.policy)\t\($0.statement)" }
      invalid = Dictionary(grouping: diff.invalid) { "\($0.policy)\t\($0.statement)" }
      overbroad = Dictionary(grouping: diff.overbroad) { "\($0.policy)\t\($0.statement)" }
    }
  }

  /// A statement as the next turn keeps it; nil when nothing of it stays.
  private func refined(_ statement: PolicyStatement, in policy: String, _ findings: Findings, _ log: inout Changelog)
    -> PolicyStatement?
  {
    guard statement.effect == .allow else { return statement }
    let key = "\(policy)\t\(statement.label)"
    let unusedHere = findings.unused[key] ?? []
    guard let actions = statement.actions else {
      if let u = unusedHere.first, u.kind == .lifecycle && options.lifecycle {
        log.keptLifecycle.append(.init(policy: policy, statement: statement.label, action: u.action))
        return statement
      }
      if !unusedHere.isEmpty && !options.keepUnused {
        log.removed.append(.init(policy: policy, statement: statement.label, action: unusedHere[0].action))
        return nil
      }
      return statement
    }
    var next: [String] = []
    for action in actions {
      let entry = Changelog.Entry(policy: policy, statement: statement.label, action: action)
      if findings.invalid[key]?.contains(where: { $0.action == action }) == true {
        if options.keepUnused { next.append(action) } else { log.removed.append(entry) }
      } else if let u = unusedHere.first(where: { $0.action == action }) {
        if u.kind == .lifecycle && options.lifecycle {
          log.keptLifecycle.append(entry)
          next.append(action)
        } else if u.kind == .unobservable {
          log.keptUnobservable.append(entry)
          next.append(action)
        } else if options.keepUnused {
          next.append(action)
        } else {
          log.removed.append(entry)
        }
      } else if options.narrow, let o = findings.overbroad[key]?.first(where: { $0.action == action }) {
        log.narrowed.append((entry, o.usedActions))
        next += o.usedActions.filter { !next.contains($0) }
      } else if !next.contains(action) {
        next.append(action)
      }
    }
    if next.isEmpty { return nil }
    var kept = statement
    kept.actions = next
    return kept
  }

  /// Statements for what was missing, from the rows of the missing permissions
  /// with their contexts (for PassRole): in the first document when it fits, else in a new one.
  /// The missing permissions an Allow in the identity policies would let through: those the other policy
  /// types (a boundary, the organisation's, a session policy) allow, and no Deny refuses.
  static func helpable(_ diff: DiffResult, _ analysis: TrailAnalysis, _ policies: PolicySet) -> Set<Permission> {
    let candidates = diff.missing.filter { $0.reason != .explicitDeny }
    guard policies.documents.contains(where: { $0.layer != .identity }) else {
      return Set(candidates.map { Permission(action: $0.action, resource: $0.resource) })
    }
    // The other types as they are, with identity policies that allow everything but keep their Denies.
    var others = PolicySet(documents: policies.documents.filter { $0.layer != .identity })
    others.documents.append(
      PolicyDocument(
        name: "", path: "",
        statements: [PolicyStatement(label: "All", index: 0, effect: .allow, actions: ["*"], resources: ["*"])]))
    others.documents += policies.documents.filter { $0.layer == .identity }.map { document in
      var denies = document
      denies.statements = document.statements.filter { $0.effect == .deny }
      return denies
    }
    let evaluator = PolicyEvaluator(policies: others)
    let wanted = Set(candidates.map { Permission(action: $0.action, resource: $0.resource) })
    var out = Set<Permission>()
    for record in analysis.usage where wanted.contains(record.permission) && !out.contains(record.permission) {
      let result = evaluator.evaluate(
        CallFacts(
          action: record.permission.action, resource: record.permission.resource, context: record.context,
          firstSeen: record.stats.firstSeen, lastSeen: record.stats.lastSeen))
      if result.missing == nil || result.missing == .conditionUnknown { out.insert(record.permission) }
    }
    return out
  }

  private func addMissing(
    _ analysis: TrailAnalysis, _ missing: Set<Permission>, predicted: [Permission],
    to documents: inout [PolicyDocument]
  ) {
    let needed =
      analysis.usage.filter { missing.contains($0.permission) }.map {
        ($0.permission, $0.context.passedToService)
      } + predicted.map { ($0, "") }
    let added = statements(for: needed, sidPrefix: "Added")
    guard !added.isEmpty else { return }
    let existing = Set(documents.flatMap(\.statements).map(\.label))
    let renamed = added.map { s -> PolicyStatement in
      var s = s
      while existing.contains(s.label) { s.label += "New" }
      return s
    }
    if let first = documents.first,
      PolicyWriter.size(PolicyDocument(name: "", path: "", statements: first.statements + renamed)) <= options.maxSize
    {
      documents[0].statements += renamed
    } else {
      documents.append(PolicyDocument(name: "tighten-added.json", path: "tighten-added.json", statements: renamed))
    }
  }

  /// `deploy.json` stays; `template.yaml:ExecutionPolicy` → `template.ExecutionPolicy.json`.
  /// Control characters in a policy's name are written as their text escapes
  /// (`Escaping.text`), so no output file is named with them.
  static func outputName(_ name: String) -> String {
    // A name with folders in it (`prod/deploy.json`, two files of one base name) is one file name.
    let name = Escaping.text(name).replacing("/", with: ".")
    guard let colon = name.firstIndex(of: ":") else { return name.hasSuffix(".json") ? name : name + ".json" }
    let file = name[..<colon]
    let stem = file.split(separator: ".").dropLast().joined(separator: ".")
    let rest = name[name.index(after: colon)...].map { $0 == "/" ? "." : $0 }
    return "\(stem.isEmpty ? String(file) : stem).\(String(rest)).json"
  }
}
