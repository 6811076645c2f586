/// The changelog of a refinement, and the history of the cycle.
public enum ChangelogReport {
  public static func text(_ log: Changelog) -> String {
    var out = "\nChanges: \(log.added.count) added, \(log.removed.count) removed, \(log.narrowed.count) narrowed"
    if !log.keptUnobservable.isEmpty { out += ", \(log.keptUnobservable.count) kept (use not visible in CloudTrail)" }
    out += "\n"
    for p in log.added { out += "  + \(p.action) \(p.resource)\n" }
    for e in log.removed { out += "  - \(e.action)  (\(e.policy) \(e.statement))\n" }
    for n in log.narrowed {
      out += "  ~ \(n.entry.action) → \(n.to.joined(separator: ", "))  (\(n.entry.policy) \(n.entry.statement))\n"
    }
    for e in log.keptUnobservable { out += "  = \(e.action)  (\(e.policy) \(e.statement)): unobservable, kept\n" }
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
    return "\nHistory (\(path)):\n" + ScanReport.table(rows, rightAligned: [0, 2, 3, 4, 5, 6, 7, 8])
  }
}
