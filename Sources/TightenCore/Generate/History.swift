/// The history of a deploy → trail → tighten cycle: a JSON-lines file, one
/// object per turn, that `generate --history` appends to.
///
/// Appending never rewrites what is there: the file is opened for appending
/// (never through a symbolic link), locked against other runs, read and
/// checked, and the new line is written after the last one in one write. A
/// history tighten cannot read (not UTF-8, a line that is not a JSON object)
/// is an error naming the line, and the file is left as it was.
public enum History {
  /// Larger than any history of real turns (a turn is about 300 bytes).
  public static let sizeLimit = 16 << 20

  /// One line of the history: this turn's trail and what changed; `partial`
  /// when some input files could not be read.
  public static func turn(_ log: Changelog, diff: DiffResult, trails: [String]) -> JSONValue {
    var members: [(String, JSONValue)] = [
      ("trails", .array(trails.map(JSONValue.string))),
      ("lastEvent", diff.analysis.lastEvent.map { .string(Timestamp.format($0)) } ?? .null),
      ("calls", .int(diff.analysis.events.counted)),
      ("missing", .int(diff.missing.count)),
      ("denied", .int(diff.missing.reduce(0) { $0 + $1.denied })),
      ("unused", .int(diff.unused.filter { $0.kind == .unused }.count)),
      ("added", .int(log.added.count)),
      ("removed", .int(log.removed.count)),
      ("narrowed", .int(log.narrowed.count)),
    ]
    if diff.analysis.isPartial { members.append(("partial", .bool(true))) }
    return .object(members)
  }

  /// Appends a turn, numbered after the turns already there, and returns every turn.
  /// - Parameter inputs: The files this run reads; a history that is one of them is refused.
  public static func append(_ turn: JSONValue, to path: String, inputs: Set<FileIdentity> = []) throws(HistoryError)
    -> [PolicyValue]
  {
    func fail(_ message: String) -> HistoryError { HistoryError(path: path, message: message) }
    do {
      if let status = try Platform.linkStatus(path) {
        if status.isLink { throw fail("is a symbolic link; tighten does not write through links") }
        if inputs.contains(status.id) { throw fail("is an input of this run; the history must be a file of its own") }
      }
      let fd = try Platform.openForAppending(path)
      defer { Platform.close(fd) }
      try Platform.lock(fd)
      let file = try Platform.identity(fd)
      guard file.isRegular else { throw fail("is not a regular file") }
      guard file.size <= sizeLimit else { throw fail("is larger than \(sizeLimit >> 20) MiB: not a history") }
      let existing = try Platform.readAll(fd, limit: sizeLimit)
      var turns = try parse(existing, path: path)
      guard case .object(let members) = turn else { return turns }
      let line = JSONValue.object([("iteration", .int(turns.count + 1))] + members)
      let needsNewline = !existing.isEmpty && existing.last != 0x0A
      try Platform.writeAll(Array(((needsNewline ? "\n" : "") + line.compact + "\n").utf8), to: fd)
      try Platform.sync(fd)
      turns.append(try! PolicyValue.parseJSON(line.compact, path: path))
      return turns
    } catch let error as HistoryError {
      throw error
    } catch let error as Platform.SystemError {
      throw fail("cannot write the history (\(error.description))")
    } catch {
      throw fail("cannot write the history (\(error))")
    }
  }

  /// Parses history text: UTF-8, one JSON object per line, blank lines allowed.
  public static func parse(_ bytes: [UInt8], path: String) throws(HistoryError) -> [PolicyValue] {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw HistoryError(path: path, message: "\(invalidUTF8Line(bytes)): not UTF-8 text; not a history tighten wrote")
    }
    var turns: [PolicyValue] = []
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      if line.allSatisfy(\.isWhitespace) { continue }
      guard let value = try? PolicyValue.parseJSON(String(line), path: path), value.members != nil else {
        throw HistoryError(
          path: path, message: "line \(index + 1): not a JSON object; not a history tighten wrote")
      }
      turns.append(value)
    }
    return turns
  }

  /// `line N` of the first byte that is not UTF-8.
  static func invalidUTF8Line(_ bytes: [UInt8]) -> String {
    var line = 1
    var start = 0
    for (i, byte) in bytes.enumerated() where byte == 0x0A {
      if String(validating: bytes[start..<i], as: UTF8.self) == nil { return "line \(line)" }
      line += 1
      start = i + 1
    }
    return "line \(line)"
  }
}

/// A history file that cannot be used: the file and why.
public struct HistoryError: Error, Equatable, Sendable, CustomStringConvertible {
  public var path: String
  public var message: String
  public var description: String { "\(path): \(message)" }
}
