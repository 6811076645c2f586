import CScan

/// Writes a usage summary: what one run counted, in the format every command
/// reads as it reads trail files (`UsageSummary` describes it).
///
/// The analysis must be unrestored (`TrailAnalyzer.analyze(…, restoringPaths:
/// false)`): restoring IAM paths needs every file, so it runs where the
/// summaries are merged.
enum SummaryWriter {
  /// Rows and strings per line: lines stay small whatever the summary's size.
  static let chunk = 4096

  /// Strings or rows per binary block.
  static let binaryChunk = 1 << 16

  /// The summary's gzip'd bytes.
  /// - Parameters:
  ///   - extra: More header members (the cache's key).
  ///   - binary: The string table and the rows as binary blocks (`UsageSummary.BinaryBlock`):
  ///     for the cache's rollups only, which tighten alone reads.
  static func write(
    _ a: TrailAnalysis, filter: TrailFilter, paths: [String], extra: [(String, JSONValue)] = [], level: Int32 = 1,
    binary: Bool = false
  ) -> [UInt8] {
    let gzip = GzipWriter(level: level)
    let out = ByteSink { gzip.write($0) }
    header(a, filter: filter, extra: extra, to: out)
    out.append("{\"paths\":" as StaticString)
    list(paths, to: out) { out.appendExact(Array($0.utf8)) }
    out.append("}\n" as StaticString)
    if binary { binaryStrings(a, to: out) } else { strings(a, to: out) }
    // Contexts in their order (the merge numbers them in the order the workers met them).
    let rank = RowOrder.contextRanks(a.contexts)
    var ordered = a.contexts
    for (i, context) in a.contexts.enumerated() { ordered[rank[i]] = context }
    contexts(ordered, to: out)
    out.append("{\"principals\":" as StaticString)
    list(a.principals, to: out) { p in
      out.append("[" as StaticString)
      out.appendExact(Array(p.arn.utf8))
      out.append(",\(p.events)]")
    }
    out.append("}\n{\"unmapped\":" as StaticString)
    list(a.unmapped, to: out) { u in
      out.append("[" as StaticString)
      for text in [u.call.eventSource, u.call.eventName, u.call.reason] {
        out.appendExact(Array(text.utf8))
        out.append("," as StaticString)
      }
      out.append("\(u.count)]")
    }
    out.append("}\n{\"dataEventSources\":" as StaticString)
    list(a.dataEventSources.sorted(), to: out) { out.appendExact(Array($0.utf8)) }
    out.append("}\n" as StaticString)
    if binary { binaryRows(a.rows, contextRank: rank, to: out) } else { rows(a.rows, contextRank: rank, to: out) }
    out.append("{\"end\":{\"rows\":\(a.rows.count)}}\n")
    out.flush()
    return gzip.finish()
  }

  private static func header(
    _ a: TrailAnalysis, filter: TrailFilter, extra: [(String, JSONValue)], to out: ByteSink
  ) {
    let files = a.files
    let header = JSONValue.object(
      [
        ("tightenSummary", .int(UsageSummary.formatVersion)),
        ("catalog", .string(UsageSummary.catalogVersion)),
        ("tighten", .string(TightenVersion.tool)),
        ("filter", UsageSummary.filterJSON(filter)),
        (
          "files",
          .object([
            ("read", .int(files.read)),
            ("skipped", .object(SkipReason.allCases.map { ($0.rawValue, .int(files.skipped[$0] ?? 0)) })),
            ("failed", .array(files.failed.map(UsageSummary.errorJSON))),
            ("warnings", .array(files.warnings.map(UsageSummary.errorJSON))),
          ])
        ),
        ("events", ScanReport.eventsJSON(a.events)),
        (
          "size",
          .object([
            ("strings", .int(a.strings.count)), ("contexts", .int(a.contexts.count)), ("rows", .int(a.rows.count)),
          ])
        ),
      ] + extra)
    out.append(header.compact)
    out.append("\n" as StaticString)
  }

  /// The string table, in id order: rows point into it.
  private static func strings(_ a: TrailAnalysis, to out: ByteSink) {
    var id: Int32 = 0
    let count = Int32(a.strings.count)
    while id < count {
      out.append("{\"strings\":[" as StaticString)
      let stop = min(count, id + Int32(chunk))
      for i in id..<stop {
        if i > id { out.append("," as StaticString) }
        out.appendExact(a.bytes(i))
      }
      out.append("]}\n" as StaticString)
      id = stop
    }
  }

  private static func contexts(_ contexts: [CallContext], to out: ByteSink) {
    var start = 0
    repeat {
      out.append("{\"contexts\":" as StaticString)
      list(contexts[start..<min(contexts.count, start + chunk)], to: out) { c in
        out.append("[" as StaticString)
        for text in [
          c.principal, c.sessionArn, c.principalAccount, c.region, c.sourceIP, c.invokedBy, c.passedToService,
        ] {
          out.appendExact(Array(text.utf8))
          out.append("," as StaticString)
        }
        out.append(c.mfa.map { $0 ? "true]" : "false]" } ?? "null]")
      }
      out.append("}\n" as StaticString)
      start += chunk
    } while start < contexts.count
  }

  /// `[action, resource, context, count, denied, firstSeen, lastSeen]`, times in epoch seconds or null.
  private static func rows(_ rows: [TrailAnalysis.Row], contextRank: [Int], to out: ByteSink) {
    var start = 0
    while start < rows.count {
      out.append("{\"rows\":[" as StaticString)
      for i in start..<min(rows.count, start + chunk) {
        let r = rows[i]
        out.append(i > start ? ",[" as StaticString : "[" as StaticString)
        out.append(Int(r.action))
        out.append("," as StaticString)
        out.append(Int(r.resource))
        out.append("," as StaticString)
        out.append(contextRank[Int(r.context)])
        out.append("," as StaticString)
        out.append(r.stats.count)
        out.append("," as StaticString)
        out.append(r.stats.denied)
        out.append("," as StaticString)
        time(r.stats.firstSeen, out)
        out.append("," as StaticString)
        time(r.stats.lastSeen, out)
        out.append("]" as StaticString)
      }
      out.append("]}\n" as StaticString)
      start += chunk
    }
  }

  /// The string table in binary blocks: each string its length (four bytes) and its bytes.
  private static func binaryStrings(_ a: TrailAnalysis, to out: ByteSink) {
    var id: Int32 = 0
    let count = Int32(a.strings.count)
    while id < count {
      let stop = min(count, id + Int32(binaryChunk))
      let bytes = (id..<stop).reduce(0) { $0 + 4 + a.bytes($1).count }
      out.append("{\"\(UsageSummary.BinaryBlock.strings.rawValue)\":\(stop - id),\"bytes\":\(bytes)}\n")
      out.writeDirectly(reserving: bytes) { p in
        var at = 0
        for i in id..<stop {
          let s = a.bytes(i)
          UnsafeMutableRawPointer(p + at).storeBytes(of: UInt32(s.count).littleEndian, as: UInt32.self)
          if s.count > 0 { (p + at + 4).update(from: s.baseAddress!, count: s.count) }
          at += 4 + s.count
        }
        return at
      }
      out.append("\n" as StaticString)
      id = stop
    }
  }

  /// The rows in binary blocks of `UsageSummary.BinaryBlock.rowSize` bytes each.
  private static func binaryRows(_ rows: [TrailAnalysis.Row], contextRank: [Int], to out: ByteSink) {
    var start = 0
    while start < rows.count {
      let stop = min(rows.count, start + binaryChunk)
      let bytes = (stop - start) * UsageSummary.BinaryBlock.rowSize
      out.append("{\"\(UsageSummary.BinaryBlock.rows.rawValue)\":\(stop - start),\"bytes\":\(bytes)}\n")
      out.writeDirectly(reserving: bytes) { p in
        let raw = UnsafeMutableRawPointer(p)
        for i in start..<stop {
          let r = rows[i]
          let at = (i - start) * UsageSummary.BinaryBlock.rowSize
          raw.storeBytes(of: UInt32(r.action).littleEndian, toByteOffset: at, as: UInt32.self)
          raw.storeBytes(of: UInt32(r.resource).littleEndian, toByteOffset: at + 4, as: UInt32.self)
          raw.storeBytes(of: UInt32(contextRank[Int(r.context)]).littleEndian, toByteOffset: at + 8, as: UInt32.self)
          raw.storeBytes(of: Int64(r.stats.count).littleEndian, toByteOffset: at + 12, as: Int64.self)
          raw.storeBytes(of: Int64(r.stats.denied).littleEndian, toByteOffset: at + 20, as: Int64.self)
          raw.storeBytes(
            of: (r.stats.firstSeen ?? UsageSummary.BinaryBlock.noTime).littleEndian, toByteOffset: at + 28,
            as: Int64.self)
          raw.storeBytes(
            of: (r.stats.lastSeen ?? UsageSummary.BinaryBlock.noTime).littleEndian, toByteOffset: at + 36,
            as: Int64.self)
        }
        return bytes
      }
      out.append("\n" as StaticString)
      start = stop
    }
  }

  private static func time(_ t: Int64?, _ out: ByteSink) {
    if let t { out.append(Int(t)) } else { out.append("null" as StaticString) }
  }

  private static func list<C: Collection>(_ items: C, to out: ByteSink, _ item: (C.Element) -> Void) {
    out.append("[" as StaticString)
    var first = true
    for x in items {
      if !first { out.append("," as StaticString) }
      first = false
      item(x)
    }
    out.append("]" as StaticString)
  }
}

extension ByteSink {
  /// A JSON string of the bytes exactly: only `"`, `\` and control bytes are
  /// escaped, every other byte is written as it is, so reading it back gives
  /// the same bytes (names that are not UTF-8 included).
  func appendExact(_ bytes: UnsafeBufferPointer<UInt8>) {
    append("\"" as StaticString)
    var from = 0
    // Most strings need no escape (found sixteen bytes at a time): they are copied whole below.
    if let base = bytes.baseAddress, tighten_json_needs_escape(base, bytes.count) != 0 {
      for (i, b) in bytes.enumerated() where b < 0x20 || b == 0x22 || b == 0x5C {
        append(UnsafeBufferPointer(rebasing: bytes[from..<i]))
        switch b {
        case 0x22: append("\\\"" as StaticString)
        case 0x5C: append("\\\\" as StaticString)
        default:
          let hex: [UInt8] = Array("0123456789abcdef".utf8)
          append("\\u00" as StaticString)
          append(String(decoding: [hex[Int(b >> 4)], hex[Int(b & 15)]], as: UTF8.self))
        }
        from = i + 1
      }
    }
    append(UnsafeBufferPointer(rebasing: bytes[from...]))
    append("\"" as StaticString)
  }

  func appendExact(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { appendExact($0) } }
}
