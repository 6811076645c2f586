/// The changelog of a refinement, and the history of the cycle.
public enum ChangelogReport {
  public static func text(_ log: Changelog) -> String {
    var out = "\nChanges: \(log.added.count) added, \(log.removed.count) removed, \(log.narrowed.count) narrowed"
    if !log.keptUnobservable.isEmpty { out += ", \(log.keptUnobservable.count) kept (use not visible in CloudTrail)" }
    if !log.predicted.isEmpty { out += ", \(log.predicted.count) predicted" }
    if !log.keptLifecycle.isEmpty { out += ", \(log.keptLifecycle.count) kept for the stack's life" }
    if !log.promoted.isEmpty { out += ", \(log.promoted.count) promoted to observed" }
    out += "\n"
    let t = Escaping.text
    for p in log.added { out += "  + \(t(p.action)) \(t(p.resource))\n" }
    for e in log.removed { out += "  - \(t(e.action))  (\(t(e.policy)) \(t(e.statement)))\n" }
    for n in log.narrowed {
      let entry = n.entry
      out +=
        "  ~ \(t(entry.action)) → \(n.to.map(t).joined(separator: ", "))  (\(t(entry.policy)) \(t(entry.statement)))\n"
    }
    for e in log.keptUnobservable {
      out += "  = \(t(e.action))  (\(t(e.policy)) \(t(e.statement))): unobservable, kept\n"
    }
    for e in log.keptLifecycle {
      out += "  = \(t(e.action))  (\(t(e.policy)) \(t(e.statement))): the stack's resources need it, kept\n"
    }
    let shown = 20
    for p in log.predicted.prefix(shown) { out += "  + \(t(p.action)) \(t(p.resource))  (predicted)\n" }
    if log.predicted.count > shown { out += "  + … and \(log.predicted.count - shown) more predicted\n" }
    for p in log.promoted { out += "  ^ \(t(p.action)) \(t(p.resource))  (predicted before, observed now)\n" }
    return out
  }

  /// The turns of the history as a table.
  public static func history(_ turns: [PolicyValue], path: String) -> String {
    var rows = [["TURN", "LAST EVENT", "CALLS", "MISSING", "DENIED", "UNUSED", "ADDED", "REMOVED", "NARROWED"]]
    for turn in turns {
      rows.append(
        ["iteration", "lastEvent", "calls", "missing", "denied", "unused", "added", "removed", "narrowed"].map {
          turn[$0]?.scalarText ?? "-"
        })
    }
    return "\nHistory (\(Escaping.text(path))):\n" + ScanReport.table(rows, rightAligned: [0, 2, 3, 4, 5, 6, 7, 8])
  }
}
