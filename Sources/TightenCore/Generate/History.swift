import Foundation

/// The history of a deploy → trail → tighten cycle: a JSON-lines file, one
/// line per turn, that `generate --history` appends to.
public enum History {
  /// One line of the history: this turn's trail and what changed.
  public static func turn(_ log: Changelog, diff: DiffResult, trails: [String]) -> JSONValue {
    .object([
      ("trails", .array(trails.map(JSONValue.string))),
      ("lastEvent", diff.analysis.lastEvent.map { .string(Timestamp.format($0)) } ?? .null),
      ("calls", .int(diff.analysis.events.counted)),
      ("missing", .int(diff.missing.count)),
      ("denied", .int(diff.missing.reduce(0) { $0 + $1.denied })),
      ("unused", .int(diff.unused.filter { $0.kind == .unused }.count)),
      ("added", .int(log.added.count)),
      ("removed", .int(log.removed.count)),
      ("narrowed", .int(log.narrowed.count)),
    ])
  }

  /// Appends a turn, numbered after the turns already there, and returns every turn.
  public static func append(_ turn: JSONValue, to path: String) throws(HistoryError) -> [PolicyValue] {
    let url = URL(fileURLWithPath: path)
    var existing = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    if !existing.isEmpty && !existing.hasSuffix("\n") { existing += "\n" }
    let number = existing.split(separator: "\n").count + 1
    guard case .object(let members) = turn else { return [] }
    existing += JSONValue.object([("iteration", .int(number))] + members).compact + "\n"
    do {
      try Data(existing.utf8).write(to: url)
    } catch {
      throw HistoryError(path: path, message: "cannot write the history (\(error.localizedDescription))")
    }
    return existing.split(separator: "\n").compactMap { try? PolicyValue.parseJSON(String($0), path: path) }
  }
}

/// A history file that cannot be used: the file and why.
public struct HistoryError: Error, Equatable, Sendable, CustomStringConvertible {
  public var path: String
  public var message: String
  public var description: String { "\(path): \(message)" }
}
