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
    if !log.predicted.isEmpty || !log.keptLifecycle.isEmpty {
      members.append(("predicted", .array(log.predicted.map { .string("\($0.action) \($0.resource)") })))
      members.append(("keptLifecycle", .int(log.keptLifecycle.count)))
    }
    if !log.promoted.isEmpty {
      members.append(("promoted", .array(log.promoted.map { .string("\($0.action) \($0.resource)") })))
    }
    if diff.analysis.isPartial { members.append(("partial", .bool(true))) }
    return .object(members)
  }

  /// Permissions earlier turns added as predicted that this trail shows (a call they cover): now observed.
  static func promoted(_ turns: [PolicyValue], analysis: TrailAnalysis) -> [Permission] {
    var earlier = Set<Permission>()
    for turn in turns {
      guard case .array(let items)? = turn["predicted"] else { continue }
      for item in items {
        guard let text = item.string, let space = text.firstIndex(of: " ") else { continue }
        earlier.insert(Permission(action: String(text[..<space]), resource: String(text[text.index(after: space)...])))
      }
    }
    guard !earlier.isEmpty else { return [] }
    let observed = Dictionary(grouping: analysis.permissions(of: Set(earlier.map(\.action))), by: \.action)
    return earlier.filter { p in observed[p.action]?.contains { Glob.covers(p.resource, $0.resource) } == true }
      .sorted()
  }

  /// Appends a turn, numbered after the turns already there, and returns every turn.
  /// - Parameter inputs: The files this run reads; a history that is one of them is refused.
  public static func append(_ turn: JSONValue, to path: String, inputs: Set<FileIdentity> = []) throws(HistoryError)
    -> [PolicyValue]
  {
    let file = try HistoryFile(path: path, inputs: inputs)
    defer { file.close() }
    return try file.append(turn)
  }

  /// Parses history text: UTF-8, one JSON object per line (LF or CRLF), blank lines allowed.
  public static func parse(_ bytes: [UInt8], path: String) throws(HistoryError) -> [PolicyValue] {
    guard String(validating: bytes, as: UTF8.self) != nil else {
      throw HistoryError(path: path, message: "\(invalidUTF8Line(bytes)): not UTF-8 text; not a history tighten wrote")
    }
    var turns: [PolicyValue] = []
    for (index, raw) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
      let line = String(decoding: raw.last == 0x0D ? raw.dropLast() : raw, as: UTF8.self)
      if line.allSatisfy(\.isWhitespace) { continue }
      guard let value = try? PolicyValue.parseJSON(line, path: path), value.members != nil else {
        throw HistoryError(path: path, message: "line \(index + 1): not a JSON object; not a history tighten wrote")
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

/// A history file opened for one turn: locked against other runs from
/// `init` to `close`, so a run can check it before it writes anything else
/// and append after.
public final class HistoryFile: @unchecked Sendable {
  public let path: String
  /// Its identity, for the run's other writes to keep clear of it.
  public let identity: FileIdentity
  /// The turns already there.
  public let turns: [PolicyValue]
  private var fd: Int32
  private let existing: [UInt8]

  /// Opens (creating it if needed), locks, reads and checks the history.
  public init(path: String, inputs: Set<FileIdentity> = []) throws(HistoryError) {
    self.path = path
    func fail(_ message: String) -> HistoryError { HistoryError(path: path, message: message) }
    var fd: Int32 = -1
    var refusal: String? = nil
    var bytes: [UInt8] = []
    var id = FileIdentity(device: 0, inode: 0)
    do throws(Platform.SystemError) {
      if let status = try Platform.linkStatus(path) {
        if status.isLink { refusal = "is a symbolic link; tighten does not write through links" }
        if inputs.contains(status.id) { refusal = "is an input of this run; the history must be a file of its own" }
      }
      if refusal == nil {
        fd = try Platform.openForAppending(path)
        try Platform.lock(fd)
        let file = try Platform.identity(fd)
        id = file.id
        if !file.isRegular {
          refusal = "is not a regular file"
        } else if file.size > History.sizeLimit {
          refusal = "is larger than \(History.sizeLimit >> 20) MiB: not a history"
        } else {
          bytes = try Platform.readAll(fd, limit: History.sizeLimit)
        }
      }
    } catch {
      refusal = "cannot write the history (\(error.description))"
    }
    if let refusal {
      if fd >= 0 { Platform.close(fd) }
      throw fail(refusal)
    }
    existing = bytes
    identity = id
    do {
      turns = try History.parse(existing, path: path)
    } catch {
      Platform.close(fd)
      throw error
    }
    self.fd = fd
  }

  /// Appends the turn as one line numbered after the others, and returns every turn.
  /// A failed write leaves the file as it was.
  public func append(_ turn: JSONValue) throws(HistoryError) -> [PolicyValue] {
    guard case .object(let members) = turn else { return turns }
    // The same turn run again (same trails, same result) is not a new turn.
    if let last = turns.last, let again = try? PolicyValue.parseJSON(JSONValue.object(members).compact, path: path),
      Self.withoutIteration(last) == again
    {
      return turns
    }
    let line = JSONValue.object([("iteration", .int(turns.count + 1))] + members).compact
    let needsNewline = !existing.isEmpty && existing.last != 0x0A
    do throws(Platform.SystemError) {
      try Platform.writeAll(Array(((needsNewline ? "\n" : "") + line + "\n").utf8), to: fd)
      try Platform.sync(fd)
    } catch {
      Platform.truncate(fd, to: existing.count)
      throw HistoryError(path: path, message: "cannot write the history (\(error.description))")
    }
    return turns + [try! PolicyValue.parseJSON(line, path: path)]
  }

  static func withoutIteration(_ turn: PolicyValue) -> PolicyValue {
    guard let members = turn.members else { return turn }
    return .object(members.filter { $0.0 != "iteration" })
  }

  /// Releases the lock.
  public func close() {
    if fd >= 0 { Platform.close(fd) }
    fd = -1
  }

  deinit { close() }
}

/// A history file that cannot be used: the file and why.
public struct HistoryError: Error, Equatable, Sendable, CustomStringConvertible {
  public var path: String
  public var message: String
  public var description: String { "\(path): \(message)" }
}
