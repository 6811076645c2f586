import CScan

/// The `scan` command's output: JSON as CLI.md fixes it, or text for a person.
public enum ScanReport {
  public static func json(_ a: TrailAnalysis) -> String {
    ByteSink.collect { json(a, to: $0) }
  }

  /// Writes the JSON of CLI.md, streaming the permission rows, made on up
  /// to `threads` threads.
  public static func json(_ a: TrailAnalysis, to out: ByteSink, threads: Int = 1) {
    out.append("{\n" as StaticString)
    for (name, value) in commonMembers(a) {
      out.append("  \(JSONWriter.quote(name)): \(value.pretty(indent: "  ")),\n")
    }
    out.append("  \"permissions\": " as StaticString)
    permissionRows(a, to: out, threads: threads)
    out.append(",\n  \"unmapped\": " as StaticString)
    var unmapped = ""
    JSONWriter.rows(a.unmapped, into: &unmapped) { row, text in text += unmappedJSON(row).compact }
    out.append(unmapped)
    out.append("\n}\n" as StaticString)
    out.flush()
  }

  /// `[ {"action": …, "resource": …, "count": …, …}, … ]`, one row per line.
  ///
  /// Rows are made in rounds: each of `threads` threads writes the lines of
  /// its own run of rows into its own sink, and the sinks go out in order,
  /// so memory holds a few megabytes of output, not all of it.
  /// `piece`: rows a thread writes in one go (16,384: about 3 MB of JSON).
  static func permissionRows(_ a: TrailAnalysis, to out: ByteSink, threads: Int = 1, piece: Int = 16_384) {
    guard !a.rows.isEmpty else { return out.append("[]" as StaticString) }
    let pieces = a.permissionRanges(piece: piece)
    let sinks = Sinks(count: min(max(1, threads), pieces.count))
    for round in stride(from: 0, to: pieces.count, by: sinks.count) {
      let count = min(sinks.count, pieces.count - round)
      Parallel.forEach(count, threads: count) { i in
        permissionLines(a, rows: pieces[round + i], first: round + i == 0, to: sinks[i])
      }
      for i in 0..<count { sinks[i].drain(into: out) }
    }
    out.append("\n  ]" as StaticString)
  }

  /// One sink per thread, each written by one thread in a round and drained
  /// by the caller between rounds.
  private final class Sinks: @unchecked Sendable {
    private let sinks: [ByteSink]
    init(count: Int) { sinks = (0..<count).map { _ in ByteSink(holding: 1 << 22) } }
    var count: Int { sinks.count }
    subscript(i: Int) -> ByteSink { sinks[i] }
  }

  /// The lines of the permissions of `rows`, each after `,` but the very first.
  private static func permissionLines(_ a: TrailAnalysis, rows: Range<Int>, first: Bool, to out: ByteSink) {
    var first = first
    var classifier = ResourceBasisClassifier()
    var line = PermissionLine()
    a.forEachPermissionID(rows: rows) { actionID, resourceID, stats in
      let (action, resource) = (a.bytes(actionID), a.bytes(resourceID))
      let basis = classifier.basis(action: action, resource: resource)
      if !line.write(first: first, action, resource, basis, stats, to: out) {
        out.append(first ? "[\n    {\"action\": " as StaticString : ",\n    {\"action\": " as StaticString)
        out.appendQuoted(action)
        out.append(", \"resource\": " as StaticString)
        out.appendQuoted(resource)
        out.append(", \"resourceBasis\": \"" as StaticString)
        out.append(basis.rawValue)
        out.append("\"" as StaticString)
        out.append(", \"count\": " as StaticString)
        out.append(stats.count)
        out.append(", \"denied\": " as StaticString)
        out.append(stats.denied)
        out.append(", \"firstSeen\": " as StaticString)
        out.appendTimestamp(stats.firstSeen)
        out.append(", \"lastSeen\": " as StaticString)
        out.appendTimestamp(stats.lastSeen)
        out.append("}" as StaticString)
      }
      first = false
    }
  }

  /// One permission line written straight into the sink's buffer, room
  /// reserved once: the common case, where neither string needs escaping
  /// (else `write` declines and the line goes the general way, append by
  /// append). The bytes are the same either way.
  private struct PermissionLine {
    /// The date part of the day last written (`2026-11-20T`, up to 24
    /// bytes), its length and that day: rows of one permission mostly fall
    /// on a few days.
    private var day: Int64 = .min
    private var date: (UInt64, UInt64, UInt64) = (0, 0, 0)
    private var dateCount = 0

    /// Writes the date part of `day` at `p` (24 bytes, of which the first
    /// `dateCount` count) and returns its length.
    @inline(__always)
    private mutating func putDate(_ day: Int64, at p: UnsafeMutablePointer<UInt8>) -> Int {
      if day != self.day {
        self.day = day
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Timestamp.maxFormattedCount) { text in
          dateCount = Timestamp.write(day * 86_400, to: text) - 9  // less "00:00:00Z"
          date = (0, 0, 0)
          withUnsafeMutableBytes(of: &date) {
            $0.copyMemory(from: UnsafeRawBufferPointer(start: text.baseAddress, count: dateCount))
          }
        }
      }
      UnsafeMutableRawPointer(p).storeBytes(of: date, as: (UInt64, UInt64, UInt64).self)
      return dateCount
    }

    mutating func write(
      first: Bool, _ action: UnsafeBufferPointer<UInt8>, _ resource: UnsafeBufferPointer<UInt8>,
      _ basis: ResourceBasis, _ stats: UsageStats, to out: ByteSink
    ) -> Bool {
      guard !Self.needsEscape(action) && !Self.needsEscape(resource) else { return false }
      var basisText = basis.rawValue
      return basisText.withUTF8 { basisBytes in
        out.writeDirectly(reserving: action.count + resource.count + basisBytes.count + 256) { start in
          var p = start
          func put(_ text: StaticString) {
            p.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
            p += text.utf8CodeUnitCount
          }
          func put(_ bytes: UnsafeBufferPointer<UInt8>) {
            if let base = bytes.baseAddress { p.update(from: base, count: bytes.count) }
            p += bytes.count
          }
          func put(_ n: Int) {
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for any Int
            withUnsafeMutableBytes(of: &digits) { room in
              var v = n.magnitude
              var i = room.count
              repeat {
                i -= 1
                room[i] = UInt8(v % 10) + 0x30
                v /= 10
              } while v > 0
              if n < 0 {
                i -= 1
                room[i] = 0x2D
              }
              put(UnsafeBufferPointer(rebasing: room.bindMemory(to: UInt8.self)[i...]))
            }
          }
          func put(time seconds: Int64?) {
            guard let seconds else { return put("null") }
            let day = Timestamp.dayNumber(seconds)
            let rest = UInt32(truncatingIfNeeded: seconds &- day &* 86_400)  // 0 ..< 86,400
            p[0] = 0x22
            p += 1
            p += putDate(day, at: p)
            // `hh:mm:ssZ"`: two digits of each, stored as one ten-byte run.
            let (h, m, sec) = (rest / 3600, rest / 60 % 60, rest % 60)
            @inline(__always) func digits(_ v: UInt32) -> UInt64 { UInt64((v / 10) | (v % 10) << 8) | 0x3030 }
            let time = digits(h) | 0x3A << 16 | digits(m) << 24 | 0x3A << 40 | digits(sec) << 48
            UnsafeMutableRawPointer(p).storeBytes(of: time.littleEndian, as: UInt64.self)
            UnsafeMutableRawPointer(p + 8).storeBytes(of: UInt16(0x225A).littleEndian, as: UInt16.self)  // `Z"`
            p += 10
          }
          put(first ? "[\n    {\"action\": \"" : ",\n    {\"action\": \"")
          put(action)
          put("\", \"resource\": \"")
          put(resource)
          put("\", \"resourceBasis\": \"")
          put(basisBytes)
          put("\", \"count\": ")
          put(stats.count)
          put(", \"denied\": ")
          put(stats.denied)
          put(", \"firstSeen\": ")
          put(time: stats.firstSeen)
          put(", \"lastSeen\": ")
          put(time: stats.lastSeen)
          put("}")
          return p - start
        }
        return true
      }
    }

    /// Whether JSON needs any of the bytes escaped (control characters, `"`, `\\`).
    static func needsEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
      guard let base = bytes.baseAddress else { return false }
      return tighten_json_needs_escape(base, bytes.count) != 0
    }
  }

  /// `files`, `events` and `principals`, shared by every command's JSON.
  public static func commonMembers(_ a: TrailAnalysis) -> [(String, JSONValue)] {
    [
      ("files", filesJSON(a.files)),
      ("events", eventsJSON(a.events)),
      ("principals", .array(a.principals.map { .object([("arn", .string($0.arn)), ("events", .int($0.events))]) })),
    ]
  }

  static func filesJSON(_ f: TrailAnalysis.Files) -> JSONValue {
    .object([
      ("read", .int(f.read)),
      ("skipped", .int(f.skippedCount)),
      ("failed", .array(f.failed.map(errorJSON))),
      ("skippedBy", .object(SkipReason.allCases.map { ($0.rawValue, .int(f.skipped[$0] ?? 0)) })),
      ("warnings", .array(f.warnings.map(errorJSON))),
    ])
  }

  static func errorJSON(_ e: InputError) -> JSONValue {
    var members: [(String, JSONValue)] = [
      ("path", .string(e.path)), ("error", .string(e.message)), ("kind", .string(e.kind.rawValue)),
    ]
    if let offset = e.offset { members.append(("offset", .int(offset))) }
    return .object(members)
  }

  static func eventsJSON(_ e: TrailAnalysis.Events) -> JSONValue {
    .object([
      ("total", .int(e.total)),
      ("counted", .int(e.counted)),
      ("excluded", .object(Exclusion.allCases.map { ($0.rawValue, .int(e.excluded[$0] ?? 0)) })),
      ("invalid", .int(e.invalid)),
    ])
  }

  static func unmappedJSON(_ row: TrailAnalysis.UnmappedRow) -> JSONValue {
    .object([
      ("eventSource", .string(row.call.eventSource)),
      ("eventName", .string(row.call.eventName)),
      ("count", .int(row.count)),
      ("reason", .string(row.call.reason)),
    ])
  }

  // MARK: - Text

  public static func text(_ a: TrailAnalysis) -> String {
    var out = summaryLine(a) + "\n"
    if !a.principals.isEmpty {
      out += "\nPrincipals\n"
      out += table(
        a.principals.map { [$0.arn, "\($0.events) \($0.events == 1 ? "event" : "events")"] }, rightAligned: [1])
    }
    let permissions = a.permissions
    out += "\nPermissions (\(permissions.count))\n"
    if permissions.isEmpty {
      out += "  none\n"
    } else {
      out += table(
        [["ACTION", "RESOURCE", "CALLS", "DENIED"]]
          + permissions.map {
            [$0.permission.action, $0.permission.resource, String($0.stats.count), String($0.stats.denied)]
          }, rightAligned: [2, 3])
    }
    if !a.unmapped.isEmpty {
      out += "\nUnmapped calls (\(a.unmapped.count)): no known IAM action\n"
      out += table(
        a.unmapped.map { [$0.call.eventSource, $0.call.eventName, String($0.count), $0.call.reason] },
        rightAligned: [2])
    }
    return out
  }

  /// `Read 3 files (1 skipped, 0 failed): 120 events, 100 counted, 20 excluded, 0 invalid.`
  public static func summaryLine(_ a: TrailAnalysis) -> String {
    let excluded = a.events.excluded.values.reduce(0, +)
    let files = a.files.read == 1 ? "1 file" : "\(a.files.read) files"
    return "Read \(files) (\(a.files.skippedCount) skipped, \(a.files.failed.count) failed): "
      + "\(a.events.total) events, \(a.events.counted) counted, \(excluded) excluded, \(a.events.invalid) invalid."
  }

  /// Columns padded to their widest cell, two spaces apart, indented by two. Cells are escaped as
  /// `Escaping.text` shows them, and measured escaped.
  public static func table(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
    var rows = rows
    for i in rows.indices where rows[i].contains(where: Escaping.mayNeedEscaping) {
      rows[i] = rows[i].map(Escaping.text)
    }
    guard let width = rows.map(\.count).max() else { return "" }
    var widths = [Int](repeating: 0, count: width)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    var out = ""
    for row in rows {
      var line = " "
      for (i, cell) in row.enumerated() {
        let pad = String(repeating: " ", count: widths[i] - cell.count)
        line +=
          (i == 0 ? " " : "  ") + (rightAligned.contains(i) ? pad + cell : (i == row.count - 1 ? cell : cell + pad))
      }
      out += line + "\n"
    }
    return out
  }
}
