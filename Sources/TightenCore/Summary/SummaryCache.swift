/// `--cache DIR`: one usage summary per trail file, so that a nightly run
/// reads only the files that are new or changed and merges the rest.
///
/// An entry is keyed by the file's absolute path, size and modification
/// time, the IAM catalogue and tighten version, and the run's filters other
/// than the time window; its header repeats the key, and a read checks it.
/// An entry holds the file's tally with no time window applied and the span
/// of its records' times: it serves a run with `--since`/`--until` only when
/// the window keeps every record (a file on the window's edge is read again).
///
/// Entries are written to a temporary name and renamed into place, so a run
/// killed while writing leaves no entry, and runs that share the folder at
/// once each see either no entry or a whole one. An entry that cannot be
/// read or does not match is read past: the file is read and the entry
/// written again. The folder may be deleted at any time.
///
/// A folder's files also get one entry together (a rollup), keyed by every
/// file's key: a run whose folder holds the same files, unchanged, reads that
/// one entry in place of the folder's. Trails are delivered into a folder per
/// account, region and day, so a nightly run reads the day's new files and
/// one rollup per older folder. A rollup is made from the files' own entries
/// once all of a folder's files have one. It is stored uncompressed (in gzip
/// framing, so its CRC is checked), its strings and rows in binary blocks
/// (`UsageSummary.BinaryBlock`): about four times larger than deflated,
/// read without the inflating and the parsing that were most of reading it.
public struct SummaryCache: Sendable {
  let folder: String
  /// The run's filters, and the same without the time window: what entries are made with.
  let filter: TrailFilter
  let keyFilter: TrailFilter
  private let workingFolder: String

  public init(folder: String, filter: TrailFilter) {
    self.folder = folder
    self.filter = filter
    var key = filter
    key.since = nil
    key.until = nil
    keyFilter = key
    workingFolder = Platform.currentDirectory() ?? "."
  }

  /// A trail file as the cache knows it.
  struct Source: Equatable {
    var path: String
    var size: Int
    var modified: Int64

    var json: JSONValue {
      .object([("path", .string(path)), ("size", .int(size)), ("modified", .int(Int(modified)))])
    }
  }

  /// How the run used the cache, for a line on standard error.
  public struct Counts: Sendable, Equatable {
    public var hits = 0
    public var misses = 0
    public var written = 0
    /// Entries that could not be written, and the first reason.
    public var unwritable = 0
    public var firstFailure: String? = nil

    mutating func add(_ other: Counts) {
      hits += other.hits
      misses += other.misses
      written += other.written
      unwritable += other.unwritable
      firstFailure = firstFailure ?? other.firstFailure
    }
  }

  func source(of path: RawPath) -> Source? {
    guard path.display != "-" else { return nil }
    return source(of: path, status: try? Platform.status(path))
  }

  /// `source(of:)` with the file's status already known.
  func source(of path: RawPath, status: Platform.FileStatus?) -> Source? {
    guard path.display != "-", let status, status.kind == .regular else { return nil }
    let shown = path.display
    let absolute = shown.hasPrefix("/") ? shown : workingFolder + "/" + shown
    return Source(path: absolute, size: status.size, modified: status.modified)
  }

  /// Where the entry of `source` lives: a hash of its key.
  func entryPath(_ source: Source) -> String {
    entryPath(key: "\(source.path)\u{0}\(source.size)\u{0}\(source.modified)")
  }

  /// Where the rollup of `sources` (a folder's files, in order) lives.
  func rollupPath(_ sources: [Source]) -> String {
    entryPath(key: "rollup" + sources.map { "\u{0}\($0.path)\u{0}\($0.size)\u{0}\($0.modified)" }.joined())
  }

  private func entryPath(key: String) -> String {
    let key =
      "\(key)\u{0}\(UsageSummary.catalogVersion)\u{0}\(TightenVersion.tool)\u{0}"
      + UsageSummary.filterJSON(keyFilter).compact
    let hash = Array(key.utf8).withUnsafeBufferPointer { Interner.hash($0.baseAddress, $0.count) }
    let name = String(hash, radix: 16).leftPadded(16)
    return "\(folder)/\(name.prefix(2))/\(name).summary.gz"
  }

  /// The file's entry when there is a usable one.
  func lookup(_ source: Source, shownAs shown: String) -> SummaryReader.Summary? {
    guard var entry = read(entryPath(source)), Self.source(entry.header["source"]) == source else { return nil }
    // The file as this run names it.
    entry.files.paths = [shown]
    entry.files.warnings = entry.files.warnings.map {
      InputError(path: shown, kind: $0.kind, offset: $0.offset, reason: $0.reason)
    }
    return entry
  }

  /// The rollup of a folder's files when there is a usable one, with the
  /// files as this run names them (`shown[i]` for `sources[i]`).
  func lookupRollup(_ sources: [Source], shownAs shown: [String]) -> SummaryReader.Summary? {
    guard var entry = read(rollupPath(sources)), case .array(let listed)? = entry.header["sources"],
      listed.map(Self.source) == sources.map(Optional.some)
    else { return nil }
    var names: [String: String] = [:]
    for (source, name) in zip(sources, shown) { names[source.path] = name }
    entry.files.paths = shown
    entry.files.warnings = entry.files.warnings.map {
      InputError(path: names[$0.path] ?? $0.path, kind: $0.kind, offset: $0.offset, reason: $0.reason)
    }
    return entry
  }

  /// An entry at `path` made with this run's catalogue, version and filters,
  /// whose records this run's time window keeps whole.
  private func read(_ path: String) -> SummaryReader.Summary? {
    // A rollup is stored (level 0): read a megabyte at a time, zlib copies its 32 KB window once per
    // megabyte rather than once per 64 KB (a third of all it copied).
    guard let reader = try? GzipReader(path: path, chunkSize: 1 << 20),
      (try? reader.peek(UsageSummary.magic.count)) == UsageSummary.magic,
      let entry = try? SummaryReader.read(reader, filter: keyFilter, binary: true),
      let times = Self.times(entry.header["times"]),
      times.within(since: filter.since, until: filter.until)
    else { return nil }
    return entry
  }

  /// Writes the rollup of a folder's files from their entries: false when
  /// one of them has none (it changed, or the entry went).
  func storeRollup(_ sources: [Source], mapper: PermissionMapper) throws(FileWriteError) -> Bool {
    let tally = Accumulator(filter: keyFilter, mapper: mapper)
    var outcomes: [(Int, TrailAnalyzer.FileOutcome)] = []
    var times = UsagePart.Times()
    for (i, source) in sources.enumerated() {
      guard let entry = lookup(source, shownAs: source.path), let span = Self.times(entry.header["times"]) else {
        return false
      }
      tally.absorb(entry.part)
      times.add(span)
      outcomes.append((i, .init(path: source.path, entry: entry)))
    }
    let analysis = UsageMerge.merge(
      [tally.finish()], outcomes: outcomes, fileCount: sources.count, restoringPaths: false)
    // Stored, not deflated: a nightly run reads every older folder's rollup, and inflating was more than
    // half of reading one. The gzip framing stays, so its CRC still checks the bytes read.
    try write(
      analysis, to: rollupPath(sources), paths: sources.map(\.path), key: ("sources", .array(sources.map(\.json))),
      times: times, level: 0, binary: true)
    return true
  }

  /// Writes the entry of a file read whole: its tally, as a one-file summary.
  func store(_ part: UsagePart, outcome: TrailAnalyzer.FileOutcome, source: Source) throws(FileWriteError) {
    let analysis = UsageMerge.merge([part], outcomes: [(0, outcome)], fileCount: 1, restoringPaths: false)
    try write(
      analysis, to: entryPath(source), paths: [source.path], key: ("source", source.json), times: part.counts.times)
  }

  /// Writes an entry: a summary whose header holds its key and its records' time span.
  /// - Parameters:
  ///   - level: zlib's compression level (0 stores the bytes as they are).
  ///   - binary: The strings and rows in binary blocks (`UsageSummary.BinaryBlock`).
  private func write(
    _ analysis: TrailAnalysis, to path: String, paths: [String], key: (String, JSONValue), times: UsagePart.Times,
    level: Int32 = 1, binary: Bool = false
  ) throws(FileWriteError) {
    let bytes = SummaryWriter.write(
      analysis, filter: keyFilter, paths: paths,
      extra: [
        key,
        (
          "times",
          .object([
            ("first", times.first.map { .int(Int($0)) } ?? .null), ("last", times.last.map { .int(Int($0)) } ?? .null),
            ("untimed", .int(times.untimed)),
          ])
        ),
      ], level: level, binary: binary)
    try? Platform.makeFolders(FileWriter.folder(of: path))
    try FileWriter().write(bytes, to: path, durably: false)
  }

  private static func source(_ v: PolicyValue?) -> Source? {
    guard let path = v?["path"]?.string, let size = v?["size"].flatMap(SummaryReader.count),
      let modified = v?["modified"].flatMap(SummaryReader.count)
    else { return nil }
    return Source(path: path, size: size, modified: Int64(modified))
  }

  private static func times(_ v: PolicyValue?) -> UsagePart.Times? {
    guard let v, let untimed = v["untimed"].flatMap(SummaryReader.count) else { return nil }
    let time = { (key: String) -> Int64?? in
      switch v[key] {
      case .null: return .some(nil)
      case .number(let n): return Int64(n).map { .some($0) }
      default: return nil
      }
    }
    guard let first = time("first"), let last = time("last") else { return nil }
    return UsagePart.Times(first: first, last: last, untimed: untimed)
  }
}

extension String {
  fileprivate func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
