/// Compares a trail analysis with declared policies.
public struct Differ: Sendable {
  public let policies: PolicySet
  public let mapper: PermissionMapper
  public var workers: Int

  public init(policies: PolicySet, mapper: PermissionMapper = .init(), workers: Int? = nil) {
    self.policies = policies
    self.mapper = mapper
    self.workers = max(1, workers ?? Platform.processorCount)
  }

  /// What each row of usage tells against the policies, evaluated on all cores.
  struct Evaluated {
    /// Rows (by index) the policies would not allow, and why.
    var missing: [(Int, MissingReason)] = []
    /// For each Allow entry, the actions (by id) it allowed.
    var used: [EntryRef: Set<Int32>] = [:]
  }

  public func diff(_ analysis: TrailAnalysis, policyFiles: [String], stack: StackModel = .empty) -> DiffResult {
    let chunks = evaluate(analysis)
    var usedActions: [EntryRef: Set<Int32>] = [:]
    for chunk in chunks {
      for (entry, actions) in chunk.used { usedActions[entry, default: []].formUnion(actions) }
    }
    let invalid = InvalidEntries.find(policies, catalog: mapper.catalog)
    let (lifecycleUse, predicted) = lifecycle(stack, analysis)
    let (unused, overbroad) = entries(
      usedActions, analysis, invalid: Set(invalid.map(\.0)), lifecycle: lifecycleUse)
    var result = DiffResult(
      analysis: analysis, policies: policyFiles, missing: missing(chunks, analysis), unused: unused,
      overbroad: overbroad, invalid: invalid.map(\.1), warnings: policies.warnings)
    result.predicted = predicted
    return result
  }

  /// The stack's predicted permissions against the policies: the entries that
  /// allow them (with what needs each), and those no policy allows.
  private func lifecycle(_ stack: StackModel, _ analysis: TrailAnalysis) -> (
    [EntryRef: Set<LifecyclePredictor.NeededBy>], [DiffResult.Predicted]
  ) {
    guard !stack.isEmpty else { return ([:], []) }
    let predictor = LifecyclePredictor(for: analysis, catalog: mapper.catalog)
    let evaluator = PolicyEvaluator(policies: policies, catalog: mapper.catalog)
    // The calls will be CloudFormation's, as the trail's were.
    let context =
      analysis.contexts.first { $0.invokedBy == "cloudformation.amazonaws.com" } ?? analysis.contexts.first
      ?? CallContext()
    var use: [EntryRef: Set<LifecyclePredictor.NeededBy>] = [:]
    var refused: [DiffResult.Predicted] = []
    let predicted = predictor.predict(stack)
    let observed = analysis.permissions(of: Set(predicted.map(\.permission.action)))
    for p in predicted where !observed.contains(p.permission) {
      let result = evaluator.evaluate(
        CallFacts(action: p.permission.action, resource: p.permission.resource, context: context))
      for entry in result.used { use[entry, default: []].formUnion(p.neededBy) }
      if let reason = result.missing {
        refused.append(
          .init(
            action: p.permission.action, resource: p.permission.resource, reason: reason, neededBy: p.neededBy,
            conditional: p.conditional))
      }
    }
    return (use, refused)
  }

  /// Evaluates every row, in chunks of consecutive rows so that each action's plan is made once per chunk.
  private func evaluate(_ analysis: TrailAnalysis) -> [Evaluated] {
    let evaluator = PolicyEvaluator(policies: policies, catalog: mapper.catalog)
    let rows = analysis.rows
    let chunks = max(1, min(workers * 4, rows.count / 2048 + 1))
    return Parallel.map(chunks, threads: chunks) { chunk in
      var evaluated = Evaluated()
      var lastAction: Int32 = -1
      var plan = evaluator.plan(action: "")
      // One set of facts, changed field by field: rows in order share
      // actions and mostly contexts, whose strings are not copied again.
      var facts = CallFacts(action: "", resource: "", context: CallContext())
      var lastContext: Int32 = -1
      var usedAction: Int32 = -1
      var lastUsed: [EntryRef] = []
      for i in (rows.count * chunk / chunks)..<(rows.count * (chunk + 1) / chunks) {
        let row = rows[i]
        if row.action != lastAction {
          lastAction = row.action
          plan = evaluator.plan(action: analysis.string(row.action))
          facts.action = plan.action
        }
        // Most calls are decided by their resource's bytes alone; the others get their facts.
        let result: PolicyEvaluator.Result
        if let decided = evaluator.evaluate(resource: analysis.bytes(row.resource), plan: plan) {
          result = decided
        } else {
          if row.context != lastContext {
            lastContext = row.context
            facts.context = analysis.contexts[Int(row.context)]
          }
          facts.resource = analysis.string(row.resource)
          (facts.firstSeen, facts.lastSeen) = (row.stats.firstSeen, row.stats.lastSeen)
          result = evaluator.evaluate(facts, plan: plan)
        }
        if let reason = result.missing { evaluated.missing.append((i, reason)) }
        // The rows of one action mostly use the same entries: each (entry, action) is stored once.
        if !result.used.isEmpty && (row.action != usedAction || result.used != lastUsed) {
          for entry in result.used { evaluated.used[entry, default: []].insert(row.action) }
          (usedAction, lastUsed) = (row.action, result.used)
        }
      }
      return evaluated
    }
  }

  /// Missing rows, summed over contexts per (action, resource), in row order.
  private func missing(_ chunks: [Evaluated], _ analysis: TrailAnalysis) -> [DiffResult.Missing] {
    var out: [DiffResult.Missing] = []
    for (i, reason) in chunks.flatMap(\.missing) {
      let row = analysis.rows[i]
      let action = analysis.string(row.action)
      let resource = analysis.string(row.resource)
      if let last = out.last, last.action == action, last.resource == resource {
        out[out.count - 1].count += row.stats.count
        out[out.count - 1].denied += row.stats.denied
        out[out.count - 1].reason = max(last.reason, reason)
      } else {
        out.append(
          .init(action: action, resource: resource, count: row.stats.count, denied: row.stats.denied, reason: reason))
      }
    }
    return out
  }

  /// Unused and overbroad entries of the identity policies' Allow statements (an invalid entry is reported as such).
  private func entries(
    _ usedActions: [EntryRef: Set<Int32>], _ analysis: TrailAnalysis, invalid: Set<EntryRef>,
    lifecycle: [EntryRef: Set<LifecyclePredictor.NeededBy>]
  ) -> (
    unused: [DiffResult.Unused], overbroad: [DiffResult.Overbroad]
  ) {
    let dataActions = dataEventActions()
    var unused: [DiffResult.Unused] = []
    var overbroad: [DiffResult.Overbroad] = []
    for (d, document) in policies.documents.enumerated() where document.layer == .identity {
      for (s, statement) in document.statements.enumerated() where statement.effect == .allow {
        guard let actions = statement.actions else {
          let ref = EntryRef(document: d, statement: s, entry: -1)
          if usedActions[ref] == nil {
            let text = "NotAction: " + (statement.notActions ?? []).joined(separator: ", ")
            let needed = lifecycle[ref].map { $0.sorted() } ?? []
            unused.append(
              .init(
                policy: document.name, statement: statement.label, action: text,
                kind: needed.isEmpty ? .unused : .lifecycle, neededBy: needed))
          }
          continue
        }
        for (e, action) in actions.enumerated() where !invalid.contains(EntryRef(document: d, statement: s, entry: e)) {
          let ref = EntryRef(document: d, statement: s, entry: e)
          guard let ids = usedActions[ref], !ids.isEmpty else {
            if let needed = lifecycle[ref] {
              unused.append(
                .init(
                  policy: document.name, statement: statement.label, action: action, kind: .lifecycle,
                  neededBy: needed.sorted()))
              continue
            }
            let observable = !isDataOnly(action, dataActions) || tracesData(action, analysis)
            unused.append(
              .init(
                policy: document.name, statement: statement.label, action: action,
                kind: observable ? .unused : .unobservable))
            continue
          }
          guard action.contains("*") || action.contains("?") else { continue }
          let names = ids.map(analysis.string).sorted()
          if names.count < matchingActionCount(action) {
            overbroad.append(
              .init(policy: document.name, statement: statement.label, action: action, usedActions: names))
          }
        }
      }
    }
    return (unused, overbroad)
  }

  /// IAM actions that CloudTrail records only as data events.
  private func dataEventActions() -> Set<String> {
    var out = Set<String>()
    for pair in mapper.catalog.dataEvents {
      let parts = pair.split(separator: " ")
      guard parts.count == 2 else { continue }
      if case .actions(let actions) = mapper.plan(source: String(parts[0]), event: String(parts[1])).kind {
        for a in actions { out.insert(a.action.name.lowercased()) }
      }
    }
    return out
  }

  /// Whether every catalogue action an entry covers is a data-event action.
  private func isDataOnly(_ entry: String, _ data: Set<String>) -> Bool {
    let prefix = ActionName.service(of: entry)
    guard !prefix.contains("*"), mapper.catalog.hasService(prefix.lowercased()) else { return false }
    let covered = mapper.catalog.actions(of: prefix).filter { Glob.matches(entry, $0.name, ignoringCase: true) }
    return !covered.isEmpty && covered.allSatisfy { data.contains($0.name.lowercased()) }
  }

  /// Whether the trail holds data events of the entry's service (so a data grant's use would show).
  private func tracesData(_ entry: String, _ analysis: TrailAnalysis) -> Bool {
    let prefix = ActionName.service(of: entry).lowercased()
    return analysis.dataEventSources.contains { mapper.catalog.prefix(forEventSource: $0) == prefix }
  }

  /// How many catalogue actions a wildcard entry covers.
  private func matchingActionCount(_ entry: String) -> Int {
    let prefix = ActionName.service(of: entry).lowercased()
    if prefix.contains("*") || prefix.contains("?") || entry == "*" { return Int.max }
    return mapper.catalog.actions(of: prefix).filter { Glob.matches(entry, $0.name, ignoringCase: true) }.count
  }
}
