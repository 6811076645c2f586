import Dispatch

/// Compares a trail analysis with declared policies.
public struct Differ: Sendable {
  public let policies: PolicySet
  public let mapper: PermissionMapper
  public var workers: Int

  public init(policies: PolicySet, mapper: PermissionMapper = .init(), workers: Int? = nil) {
    self.policies = policies
    self.mapper = mapper
    self.workers = max(1, workers ?? ProcessInfoShim.activeProcessorCount)
  }

  public func diff(_ analysis: TrailAnalysis, policyFiles: [String]) -> DiffResult {
    let evaluator = PolicyEvaluator(policies: policies, catalog: mapper.catalog)
    let rows = analysis.rows
    let chunks = max(1, min(workers * 4, rows.count / 2048 + 1))
    let results = ResultSlots(count: chunks)
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
      let start = rows.count * chunk / chunks
      let end = rows.count * (chunk + 1) / chunks
      var missing: [(Int, MissingReason)] = []
      var used: [EntryRef: Set<Int32>] = [:]  // entry → actions (ids) it allowed
      var lastAction: Int32 = -1
      var plan = evaluator.plan(action: "")
      for i in start..<end {
        let row = rows[i]
        if row.action != lastAction {
          lastAction = row.action
          plan = evaluator.plan(action: analysis.string(row.action))
        }
        let facts = CallFacts(
          action: plan.action, resource: analysis.string(row.resource), context: analysis.contexts[Int(row.context)],
          firstSeen: row.stats.firstSeen, lastSeen: row.stats.lastSeen)
        let result = evaluator.evaluate(facts, plan: plan)
        if let reason = result.missing { missing.append((i, reason)) }
        for entry in result.used { used[entry, default: []].insert(row.action) }
      }
      results.store(chunk, (missing, used))
    }
    // Missing, summed over contexts per (action, resource).
    var missingRows: [DiffResult.Missing] = []
    var usedActions: [EntryRef: Set<Int32>] = [:]
    for (missing, used) in results.all() {
      for (i, reason) in missing {
        let row = rows[i]
        let action = analysis.string(row.action)
        let resource = analysis.string(row.resource)
        if let last = missingRows.last, last.action == action, last.resource == resource {
          missingRows[missingRows.count - 1].count += row.stats.count
          missingRows[missingRows.count - 1].denied += row.stats.denied
          missingRows[missingRows.count - 1].reason = max(last.reason, reason)
        } else {
          missingRows.append(
            .init(action: action, resource: resource, count: row.stats.count, denied: row.stats.denied, reason: reason))
        }
      }
      for (entry, actions) in used { usedActions[entry, default: []].formUnion(actions) }
    }
    // Unused and overbroad entries of Allow statements.
    let dataActions = dataEventActions()
    var unused: [DiffResult.Unused] = []
    var overbroad: [DiffResult.Overbroad] = []
    for (d, document) in policies.documents.enumerated() {
      for (s, statement) in document.statements.enumerated() where statement.effect == .allow {
        guard let actions = statement.actions else {
          if usedActions[EntryRef(document: d, statement: s, entry: -1)] == nil {
            let text = "NotAction: " + (statement.notActions ?? []).joined(separator: ", ")
            unused.append(.init(policy: document.name, statement: statement.label, action: text, kind: .unused))
          }
          continue
        }
        for (e, action) in actions.enumerated() {
          let ref = EntryRef(document: d, statement: s, entry: e)
          guard let ids = usedActions[ref], !ids.isEmpty else {
            let observable = !isDataOnly(action, dataActions) || tracesData(action, analysis)
            unused.append(
              .init(
                policy: document.name, statement: statement.label, action: action,
                kind: observable ? .unused : .unobservable))
            continue
          }
          if action.contains("*") || action.contains("?") {
            let names = ids.map(analysis.string).sorted()
            if names.count < matchingActionCount(action) {
              overbroad.append(
                .init(policy: document.name, statement: statement.label, action: action, usedActions: names))
            }
          }
        }
      }
    }
    return DiffResult(
      analysis: analysis, policies: policyFiles, missing: missingRows, unused: unused, overbroad: overbroad,
      warnings: policies.warnings)
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

  final class ResultSlots: @unchecked Sendable {
    private var slots: [([(Int, MissingReason)], [EntryRef: Set<Int32>])?]
    private let lock = DispatchQueue(label: "tighten.diff")
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func store(_ i: Int, _ value: ([(Int, MissingReason)], [EntryRef: Set<Int32>])) { lock.sync { slots[i] = value } }
    func all() -> [([(Int, MissingReason)], [EntryRef: Set<Int32>])] { lock.sync { slots.compactMap { $0 } } }
  }
}
