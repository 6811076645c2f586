/// Everything one run over trail files found, merged and sorted.
public struct TrailAnalysis: @unchecked Sendable {
  public struct Files: Sendable {
    public var read = 0
    public var skipped: [SkipReason: Int] = [:]
    public var failed: [InputError] = []
    /// Files read whole whose records were partly unusable.
    public var warnings: [InputError] = []
    public var skippedCount: Int { skipped.values.reduce(0, +) }
  }

  public struct Events: Sendable {
    public var total = 0
    public var counted = 0
    public var excluded: [Exclusion: Int] = [:]
    /// Records skipped as unusable (wrong types, missing fields, oversized).
    public var invalid = 0
  }

  public struct PrincipalCount: Sendable, Equatable {
    public var arn: String
    public var events: Int
  }

  public struct PermissionRow: Sendable, Equatable {
    public var permission: Permission
    public var stats: UsageStats
  }

  public struct UnmappedRow: Sendable, Equatable {
    public var call: UnmappedCall
    public var count: Int
  }

  public var files = Files()
  public var events = Events()
  public var principals: [PrincipalCount] = []
  public var unmapped: [UnmappedRow] = []

  /// One (action, resource, context) used, by interned ids: the compact form
  /// the merge produces and the reports stream from.
  public struct Row: Sendable, Equatable {
    public var action: Int32
    public var resource: Int32
    public var context: Int32
    public var stats: UsageStats
  }

  /// The strings the rows point into (frozen after the merge).
  let strings: Interner
  /// Rows sorted by action, resource (byte order) and context.
  public internal(set) var rows: [Row] = []
  /// The request contexts the rows point into.
  public internal(set) var contexts: [CallContext] = []

  init(strings: Interner = Interner()) { self.strings = strings }

  public func string(_ id: Int32) -> String { strings.string(id) }
  func bytes(_ id: Int32) -> UnsafeBufferPointer<UInt8> { strings.bytes(id) }

  /// Every (permission, context) used, sorted by permission then context.
  public var usage: [UsageRecord] {
    rows.map {
      UsageRecord(
        permission: Permission(action: string($0.action), resource: string($0.resource)),
        context: contexts[Int($0.context)], stats: $0.stats)
    }
  }

  /// Usage summed over contexts, by interned ids, in order.
  /// The calls CloudFormation made for its principal (`invokedBy` CloudFormation), as records; the
  /// other rows are not turned into strings.
  public func cloudFormationCalls() -> [UsageRecord] {
    guard let made = cloudFormationContexts else { return [] }
    return rows.filter { made[Int($0.context)] }.map {
      UsageRecord(
        permission: Permission(action: string($0.action), resource: string($0.resource)),
        context: contexts[Int($0.context)], stats: $0.stats)
    }
  }

  /// Whether each context (by index) is of calls CloudFormation made; nil when none is.
  /// Flags by index, not a set: every row is looked at (a nightly run's hundreds of thousands).
  var cloudFormationContexts: [Bool]? {
    let made = contexts.map { $0.invokedBy == "cloudformation.amazonaws.com" }
    return made.contains(true) ? made : nil
  }

  /// The actions of the calls CloudFormation made (no other row turned into a string).
  public func cloudFormationActions() -> Set<String> {
    guard let made = cloudFormationContexts else { return [] }
    var seen = [Bool](repeating: false, count: strings.count)
    var out = Set<String>()
    for row in rows where made[Int(row.context)] && !seen[Int(row.action)] {
      seen[Int(row.action)] = true
      out.insert(string(row.action))
    }
    return out
  }

  /// The permissions of the trails whose action is one of `actions` (as the catalogue spells them).
  public func permissions(of actions: Set<String>) -> Set<Permission> {
    var out = Set<Permission>()
    // Rows are in action order: each action is looked up once, where its rows start.
    var (last, hit): (Int32, Bool) = (-1, false)
    for row in rows {
      if row.action != last { (last, hit) = (row.action, actions.contains(string(row.action))) }
      if hit { out.insert(Permission(action: string(row.action), resource: string(row.resource))) }
    }
    return out
  }

  func forEachPermissionID(_ body: (_ action: Int32, _ resource: Int32, _ stats: UsageStats) -> Void) {
    forEachPermissionID(rows: rows.indices, body)
  }

  /// The permissions of `rows` (a range from `permissionRanges`).
  func forEachPermissionID(
    rows range: Range<Int>, _ body: (_ action: Int32, _ resource: Int32, _ stats: UsageStats) -> Void
  ) {
    var i = range.lowerBound
    while i < range.upperBound {
      var stats = rows[i].stats
      var j = i + 1
      while j < range.upperBound && rows[j].action == rows[i].action && rows[j].resource == rows[i].resource {
        stats.merge(rows[j].stats)
        j += 1
      }
      body(rows[i].action, rows[i].resource, stats)
      i = j
    }
  }

  /// The rows cut into runs of about `piece` rows, each cut between two
  /// permissions (a permission's rows, one per context, stay in one run).
  func permissionRanges(piece: Int) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var start = 0
    while start < rows.count {
      var end = min(start + piece, rows.count)
      while end < rows.count && rows[end].action == rows[end - 1].action && rows[end].resource == rows[end - 1].resource
      {
        end += 1
      }
      ranges.append(start..<end)
      start = end
    }
    return ranges
  }

  /// Usage summed over contexts, in order, as the bytes of the action and
  /// resource: for reports that stream a million rows without making strings.
  /// The bytes are valid only inside `body`.
  public func forEachPermission(
    _ body: (_ action: UnsafeBufferPointer<UInt8>, _ resource: UnsafeBufferPointer<UInt8>, _ stats: UsageStats) -> Void
  ) {
    forEachPermissionID { action, resource, stats in body(bytes(action), bytes(resource), stats) }
  }

  /// The time of the last counted call, if any call had a time.
  public var lastEvent: Int64? { rows.compactMap(\.stats.lastSeen).max() }

  /// Event sources that had data events in the trail.
  public var dataEventSources: Set<String> = []
  /// Regions, accounts and partitions seen (to resolve `${AWS::Region}` and the like).
  public var regions: Set<String> = []
  public var accounts: Set<String> = []

  /// Usage summed over contexts: one row per permission, sorted.
  public var permissions: [PermissionRow] {
    var out: [PermissionRow] = []
    forEachPermissionID { action, resource, stats in
      out.append(
        PermissionRow(permission: Permission(action: string(action), resource: string(resource)), stats: stats))
    }
    return out
  }

  /// The trail files read, by identity: what no output of the run may overwrite.
  public var inputFiles: Set<FileIdentity> = []

  /// The trail files read, by the names their runs gave them (those read
  /// through summaries included), in file order: what a summary lists.
  var readPaths: [String] = []
  /// Trail files counted twice (in two summaries, or in a summary and read
  /// again): the counts would be wrong, so the run cannot be done.
  public var repeatedFiles: [RepeatedFile] = []

  /// How `--cache` was used (nil without it).
  public var cacheCounts: SummaryCache.Counts? = nil

  /// True when some input could not be read: the result is partial.
  public var isPartial: Bool { !files.failed.isEmpty }
}

/// A trail file that two inputs of one run both counted.
public struct RepeatedFile: Sendable, Equatable {
  public var path: String
  /// The inputs that hold it (a summary, or the file itself).
  public var inputs: [String]
}
