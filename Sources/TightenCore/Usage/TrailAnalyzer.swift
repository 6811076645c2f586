import Dispatch
import Synchronization

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

  /// Usage summed over contexts, by ids, in order.
  public func forEachPermission(_ body: (_ action: Int32, _ resource: Int32, _ stats: UsageStats) -> Void) {
    var i = 0
    while i < rows.count {
      var stats = rows[i].stats
      var j = i + 1
      while j < rows.count && rows[j].action == rows[i].action && rows[j].resource == rows[i].resource {
        stats.merge(rows[j].stats)
        j += 1
      }
      body(rows[i].action, rows[i].resource, stats)
      i = j
    }
  }

  /// Event sources that had data events in the trail.
  public var dataEventSources: Set<String> = []
  /// Regions, accounts and partitions seen (to resolve `${AWS::Region}` and the like).
  public var regions: Set<String> = []
  public var accounts: Set<String> = []

  /// Usage summed over contexts: one row per permission, sorted.
  public var permissions: [PermissionRow] {
    var out: [PermissionRow] = []
    forEachPermission { action, resource, stats in
      out.append(
        PermissionRow(permission: Permission(action: string(action), resource: string(resource)), stats: stats))
    }
    return out
  }

  /// True when some input could not be read: the result is partial.
  public var isPartial: Bool { !files.failed.isEmpty }
}

/// Progress of a run, for a progress line.
public struct AnalysisProgress: Sendable {
  public var filesDone: Int
  public var filesTotal: Int
  public var events: Int
}

/// Reads trail files on all cores and tallies what they show.
///
/// Each worker takes the next file, scans it and tallies into its own
/// `Accumulator`; the tallies are merged and sorted at the end, so the result
/// is the same whatever the number of workers.
public struct TrailAnalyzer: Sendable {
  public var filter: TrailFilter
  public var mapper: PermissionMapper
  public var scanLimits: ScanLimits
  public var decompressionLimits: DecompressionLimits
  public var workers: Int

  public init(
    filter: TrailFilter = .init(), mapper: PermissionMapper = .init(), scanLimits: ScanLimits = .init(),
    decompressionLimits: DecompressionLimits = .init(), workers: Int? = nil
  ) {
    self.filter = filter
    self.mapper = mapper
    self.scanLimits = scanLimits
    self.decompressionLimits = decompressionLimits
    self.workers = max(1, workers ?? ProcessInfoShim.activeProcessorCount)
  }

  /// Walks `paths` and analyses every trail file found.
  public func analyze(
    paths: [String], progress: (@Sendable (AnalysisProgress) -> Void)? = nil, timing: ((String) -> Void)? = nil
  ) -> TrailAnalysis {
    let listing = TrailWalker(since: filter.since, until: filter.until).list(paths)
    var result = analyze(files: listing.files, progress: progress, timing: timing)
    result.files.skipped = listing.skipped
    result.files.failed = (listing.failures + result.files.failed).sorted { $0.path < $1.path }
    return result
  }

  /// Analyses the given files (no walking).
  public func analyze(
    files: [String], progress: (@Sendable (AnalysisProgress) -> Void)? = nil,
    timing: ((String) -> Void)? = nil
  ) -> TrailAnalysis {
    let count = min(workers, max(files.count, 1))
    let next = Atomic<Int>(0)
    let eventsSoFar = Atomic<Int>(0)
    let filesDone = Atomic<Int>(0)
    let slots = WorkerSlots(count: count)
    let run = { @Sendable (worker: Int) in
      let accumulator = Accumulator(filter: filter, mapper: mapper)
      let scanner = RecordScanner(limits: scanLimits)
      var outcomes: [(Int, FileOutcome)] = []
      while true {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        if index >= files.count { break }
        let outcome = Self.scan(files[index], scanner, accumulator, decompressionLimits)
        outcomes.append((index, outcome))
        let done = filesDone.wrappingAdd(1, ordering: .relaxed).newValue
        let events = eventsSoFar.wrappingAdd(outcome.counts.records, ordering: .relaxed).newValue
        progress?(AnalysisProgress(filesDone: done, filesTotal: files.count, events: events))
      }
      accumulator.finish()
      slots.store(worker, WorkerResult(accumulator: accumulator, outcomes: outcomes))
    }
    if count == 1 {
      run(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: count, execute: run)
    }
    if let timing { timing("workers") }
    let merged = Self.merge(slots.results(), fileCount: files.count)
    if let timing { timing("merge") }
    return merged
  }

  /// Analyses bytes in memory (a file's content, gzip'd or not) on the calling thread.
  public func analyze(bytes: [UInt8], path: String = "<memory>") -> TrailAnalysis {
    let accumulator = Accumulator(filter: filter, mapper: mapper)
    let scanner = RecordScanner(limits: scanLimits)
    var counts = ScanCounts()
    var error: InputError? = nil
    do {
      try scanner.scan(GzipReader(bytes: bytes, path: path, limits: decompressionLimits), counts: &counts) {
        accumulator.add($0)
      }
    } catch let failure {
      error = failure
    }
    accumulator.finish()
    return Self.merge(
      [WorkerResult(accumulator: accumulator, outcomes: [(0, FileOutcome(counts: counts, error: error))])], fileCount: 1
    )
  }

  struct FileOutcome {
    var counts: ScanCounts
    var error: InputError?
  }

  private static func scan(
    _ path: String, _ scanner: RecordScanner, _ accumulator: Accumulator, _ limits: DecompressionLimits
  ) -> FileOutcome {
    var counts = ScanCounts()
    do {
      let reader = try GzipReader(path: path, limits: limits)
      try scanner.scan(reader, counts: &counts) { event in accumulator.add(event) }
      return FileOutcome(counts: counts, error: nil)
    } catch {
      return FileOutcome(counts: counts, error: error)
    }
  }

  struct WorkerResult: @unchecked Sendable {
    var accumulator: Accumulator
    var outcomes: [(Int, FileOutcome)]
  }

  /// One result per worker, each written by its own worker only.
  final class WorkerSlots: @unchecked Sendable {
    private let lock = Mutex(())
    private var slots: [WorkerResult?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func store(_ index: Int, _ result: WorkerResult) { lock.withLock { _ in slots[index] = result } }
    func results() -> [WorkerResult] { lock.withLock { _ in slots.compactMap { $0 } } }
  }

  /// Merges the workers' tallies. Each worker has sorted its own rows (by
  /// action and resource bytes, then context), so the rows merge in one pass;
  /// only the strings that rows use are copied into the result's table.
  static func merge(_ workerResults: [WorkerResult], fileCount: Int) -> TrailAnalysis {
    let strings = Interner()
    var result = TrailAnalysis(strings: strings)
    var outcomes = [FileOutcome?](repeating: nil, count: fileCount)
    var contextIndex: [CallContext: Int32] = [:]
    var contexts: [CallContext] = []
    var principals: [String: Int] = [:]
    var unmapped: [UnmappedCall: Int] = [:]
    var localContexts: [[Int32]] = []
    let accumulators = workerResults.map(\.accumulator)
    for worker in workerResults {
      for (index, outcome) in worker.outcomes { outcomes[index] = outcome }
      let a = worker.accumulator
      result.events.total += a.total
      result.events.counted += a.counted
      for (reason, n) in a.excluded { result.events.excluded[reason, default: 0] += n }
      for (id, n) in a.principalEvents { principals[a.string(id), default: 0] += n }
      for (pair, n) in a.unmapped {
        let call = UnmappedCall(
          eventSource: a.string(pair.source), eventName: a.string(pair.name), reason: a.unmappedReasons[pair] ?? "")
        unmapped[call, default: 0] += n
      }
      for id in a.dataEventSources { result.dataEventSources.insert(a.string(id)) }
      localContexts.append(
        a.contextList.map { k in
          let context = a.context(k)
          if let index = contextIndex[context] { return index }
          let index = Int32(contexts.count)
          contextIndex[context] = index
          contexts.append(context)
          if !context.region.isEmpty { result.regions.insert(context.region) }
          if !context.principalAccount.isEmpty { result.accounts.insert(context.principalAccount) }
          return index
        })
    }
    for outcome in outcomes.compactMap({ $0 }) {
      result.events.invalid += outcome.counts.invalid
      if let error = outcome.error {
        result.files.failed.append(error)
      } else {
        result.files.read += 1
        if let warning = outcome.counts.firstInvalid {
          result.files.warnings.append(
            InputError(
              path: warning.path, kind: warning.kind, offset: warning.offset,
              reason: outcome.counts.invalid == 1
                ? warning.reason : "\(outcome.counts.invalid) records skipped; the first: \(warning.reason)"))
        }
      }
    }
    result.principals = principals.map { TrailAnalysis.PrincipalCount(arn: $0.key, events: $0.value) }
      .sorted { $0.arn < $1.arn }
    result.unmapped = unmapped.map { TrailAnalysis.UnmappedRow(call: $0.key, count: $0.value) }
      .sorted { $0.call < $1.call }
    let order = contexts.indices.sorted { contextOrder(contexts[$0], contexts[$1]) }
    var contextRank = [Int](repeating: 0, count: contexts.count)
    for (r, index) in order.enumerated() { contextRank[index] = r }
    result.contexts = contexts

    // k-way merge of the sorted worker rows.
    let lists = accumulators.map(\.rows)
    let tables = accumulators.map(\.names)
    let contextMaps = localContexts
    var cursors = [Int](repeating: 0, count: lists.count)
    var rows: [TrailAnalysis.Row] = []
    rows.reserveCapacity(lists.reduce(0) { $0 + $1.count })
    func compare(_ wx: Int, _ x: Accumulator.Row, _ wy: Int, _ y: Accumulator.Row) -> Int {
      var c = compareBytes(tables[wx].bytes(x.action), tables[wy].bytes(y.action))
      if c != 0 { return c }
      c = compareBytes(tables[wx].bytes(x.resource), tables[wy].bytes(y.resource))
      if c != 0 { return c }
      let cx = contextRank[Int(contextMaps[wx][Int(x.context)])]
      let cy = contextRank[Int(contextMaps[wy][Int(y.context)])]
      return cx < cy ? -1 : cx > cy ? 1 : 0
    }
    var lastAction: (worker: Int, id: Int32, global: Int32) = (-1, -1, -1)
    var lastResource: UnsafeBufferPointer<UInt8>? = nil
    while true {
      var best = -1
      for w in lists.indices where cursors[w] < lists[w].count {
        if best < 0 || compare(w, lists[w][cursors[w]], best, lists[best][cursors[best]]) < 0 { best = w }
      }
      if best < 0 { break }
      let w = best
      let row = lists[w][cursors[w]]
      cursors[w] += 1
      let table = tables[w]
      let context = contextMaps[w][Int(row.context)]
      let resourceBytes = table.bytes(row.resource)
      if let last = rows.last, last.context == context, let previous = lastResource,
        compareBytes(previous, resourceBytes) == 0,
        compareBytes(strings.bytes(last.action), table.bytes(row.action)) == 0
      {
        rows[rows.count - 1].stats.merge(row.stats)
        continue
      }
      let action: Int32
      if lastAction.worker == w && lastAction.id == row.action {
        action = lastAction.global
      } else {
        action = strings.intern(table.bytes(row.action))
        lastAction = (w, row.action, action)
      }
      lastResource = resourceBytes
      rows.append(
        TrailAnalysis.Row(action: action, resource: strings.intern(resourceBytes), context: context, stats: row.stats))
    }
    result.rows = rows
    result.restoreIAMPaths(contextRank: contextRank)
    return result
  }

  static func contextOrder(_ a: CallContext, _ b: CallContext) -> Bool {
    let x = [a.principal, a.sessionArn, a.principalAccount, a.region, a.sourceIP, a.invokedBy, a.passedToService]
    let y = [b.principal, b.sessionArn, b.principalAccount, b.region, b.sourceIP, b.invokedBy, b.passedToService]
    if x != y { return x.lexicographicallyPrecedes(y) }
    return (a.mfa.map { $0 ? 2 : 1 } ?? 0) < (b.mfa.map { $0 ? 2 : 1 } ?? 0)
  }
}
