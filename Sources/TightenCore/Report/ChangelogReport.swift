import Foundation

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

  /// One line of the history: this turn's trail and what changed.
  public static func historyLine(_ log: Changelog, diff: DiffResult, trails: [String]) -> JSONValue {
    let lastEvent = diff.analysis.lastEvent
    return .object([
      ("trails", .array(trails.map(JSONValue.string))),
      ("lastEvent", lastEvent.map { .string(Timestamp.format($0)) } ?? .null),
      ("calls", .int(diff.analysis.events.counted)),
      ("missing", .int(diff.missing.count)),
      ("denied", .int(diff.missing.reduce(0) { $0 + $1.denied })),
      ("unused", .int(diff.unused.filter { $0.kind == .unused }.count)),
      ("added", .int(log.added.count)),
      ("removed", .int(log.removed.count)),
      ("narrowed", .int(log.narrowed.count)),
    ])
  }

  /// Appends a turn to the history file (JSON lines) and returns the history as a table.
  public static func append(_ line: JSONValue, to path: String) throws -> String {
    let url = URL(fileURLWithPath: path)
    var existing = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    if !existing.isEmpty && !existing.hasSuffix("\n") { existing += "\n" }
    let turn = existing.split(separator: "\n").count + 1
    guard case .object(let members) = line else { return "" }
    let numbered = JSONValue.object([("iteration", .int(turn))] + members)
    existing += numbered.compact + "\n"
    try Data(existing.utf8).write(to: url)
    var rows = [["TURN", "LAST EVENT", "CALLS", "MISSING", "DENIED", "UNUSED", "ADDED", "REMOVED", "NARROWED"]]
    for text in existing.split(separator: "\n") {
      guard let value = try? PolicyValue.parseJSON(String(text), path: path) else { continue }
      rows.append(
        ["iteration", "lastEvent", "calls", "missing", "denied", "unused", "added", "removed", "narrowed"].map {
          value[$0]?.scalarText ?? "-"
        })
    }
    return "\nHistory (\(path)):\n" + ScanReport.table(rows, rightAligned: [0, 2, 3, 4, 5, 6, 7, 8])
  }
}
