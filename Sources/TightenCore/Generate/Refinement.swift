/// Refinement: one turn of the deploy → trail → tighten cycle on declared policies.
extension Generator {
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
        PolicyWriter.size(PolicyDocument(name: "", path: "", statements: first.statements + renamed)) <= options.maxSize
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
