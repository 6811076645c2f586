import Dispatch
import Synchronization

/// Everything one run over trail files found, merged and sorted.
public struct TrailAnalysis: Sendable {
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
  /// Every (permission, context) used, sorted by permission then context.
  public var usage: [UsageRecord] = []
  public var unmapped: [UnmappedRow] = []
  /// Event sources that had data events in the trail.
  public var dataEventSources: Set<String> = []
  /// Regions, accounts and partitions seen (to resolve `${AWS::Region}` and the like).
  public var regions: Set<String> = []
  public var accounts: Set<String> = []

  /// Usage summed over contexts: one row per permission, sorted.
  public var permissions: [PermissionRow] {
    var rows: [PermissionRow] = []
    for record in usage {
      if let last = rows.last, last.permission == record.permission {
        rows[rows.count - 1].stats.merge(record.stats)
      } else {
        rows.append(PermissionRow(permission: record.permission, stats: record.stats))
      }
    }
    return rows
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
    paths: [String], progress: (@Sendable (AnalysisProgress) -> Void)? = nil
  ) -> TrailAnalysis {
    let listing = TrailWalker(since: filter.since, until: filter.until).list(paths)
    var result = analyze(files: listing.files, progress: progress)
    result.files.skipped = listing.skipped
    result.files.failed = (listing.failures + result.files.failed).sorted { $0.path < $1.path }
    return result
  }

  /// Analyses the given files (no walking).
  public func analyze(
    files: [String], progress: (@Sendable (AnalysisProgress) -> Void)? = nil
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
      slots.store(worker, WorkerResult(accumulator: accumulator, outcomes: outcomes))
    }
    if count == 1 {
      run(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: count, execute: run)
    }
    return Self.merge(slots.results(), fileCount: files.count)
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

  static func merge(_ workers: [WorkerResult], fileCount: Int) -> TrailAnalysis {
    var result = TrailAnalysis()
    var outcomes = [FileOutcome?](repeating: nil, count: fileCount)
    var usage: [Permission: [CallContext: UsageStats]] = [:]
    var principals: [String: Int] = [:]
    var unmapped: [UnmappedCall: Int] = [:]
    for worker in workers {
      for (index, outcome) in worker.outcomes { outcomes[index] = outcome }
      let a = worker.accumulator
      result.events.total += a.total
      result.events.counted += a.counted
      for (reason, n) in a.excluded { result.events.excluded[reason, default: 0] += n }
      for (id, n) in a.principalEvents { principals[a.string(id), default: 0] += n }
      for (pair, n) in a.unmapped {
        unmapped[UnmappedCall(eventSource: a.string(pair.source), eventName: a.string(pair.name)), default: 0] += n
      }
      for id in a.dataEventSources { result.dataEventSources.insert(a.string(id)) }
      let contexts = a.contextList.map { k in
        CallContext(
          principal: a.string(k.principal), sessionArn: a.string(k.session), principalAccount: a.string(k.account),
          region: a.string(k.region), sourceIP: a.string(k.sourceIP), invokedBy: a.string(k.invokedBy),
          passedToService: a.string(k.passedTo), mfa: k.mfa < 0 ? nil : k.mfa == 1)
      }
      for context in contexts {
        if !context.region.isEmpty { result.regions.insert(context.region) }
        if !context.principalAccount.isEmpty { result.accounts.insert(context.principalAccount) }
      }
      for (key, stats) in a.usage {
        let permission = Permission(action: a.string(key.action), resource: a.string(key.resource))
        usage[permission, default: [:]][contexts[Int(key.context)], default: UsageStats()].merge(stats)
      }
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
    for permission in usage.keys.sorted() {
      let byContext = usage[permission]!
      for (context, stats) in byContext.sorted(by: { contextOrder($0.key, $1.key) }) {
        result.usage.append(UsageRecord(permission: permission, context: context, stats: stats))
      }
    }
    return result
  }

  static func contextOrder(_ a: CallContext, _ b: CallContext) -> Bool {
    let x = [a.principal, a.sessionArn, a.principalAccount, a.region, a.sourceIP, a.invokedBy, a.passedToService]
    let y = [b.principal, b.sessionArn, b.principalAccount, b.region, b.sourceIP, b.invokedBy, b.passedToService]
    if x != y { return x.lexicographicallyPrecedes(y) }
    return (a.mfa.map { $0 ? 2 : 1 } ?? 0) < (b.mfa.map { $0 ? 2 : 1 } ?? 0)
  }
}
