import Dispatch
import Synchronization

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
  /// `--cache DIR`: per-file summaries read in place of unchanged files.
  public var cache: SummaryCache?

  public init(
    filter: TrailFilter = .init(), mapper: PermissionMapper = .init(), scanLimits: ScanLimits = .init(),
    decompressionLimits: DecompressionLimits = .init(), workers: Int? = nil
  ) {
    self.filter = filter
    self.mapper = mapper
    self.scanLimits = scanLimits
    self.decompressionLimits = decompressionLimits
    self.workers = max(1, workers ?? Platform.processorCount)
  }

  /// Walks `paths` and analyses every trail file and usage summary found.
  /// `restoringPaths: false` leaves IAM paths as the files show them, for a
  /// summary (they are restored where summaries are merged).
  public func analyze(
    paths: [String], restoringPaths: Bool = true, progress: (@Sendable (AnalysisProgress) -> Void)? = nil,
    timing: ((String) -> Void)? = nil
  ) -> TrailAnalysis {
    let listing = TrailWalker(since: filter.since, until: filter.until).list(paths)
    var result = analyze(paths: listing.paths, restoringPaths: restoringPaths, progress: progress, timing: timing)
    for (reason, n) in listing.skipped { result.files.skipped[reason, default: 0] += n }
    result.inputFiles = Set(
      listing.paths.compactMap { path in
        (try? Platform.status(path)).map { FileIdentity(device: $0.device, inode: $0.inode) }
      })
    result.files.failed = listing.failures + result.files.failed
    result.files.failed.sortByPath()
    return result
  }

  /// Analyses the given files (no walking).
  public func analyze(
    files: [String], progress: (@Sendable (AnalysisProgress) -> Void)? = nil,
    timing: ((String) -> Void)? = nil
  ) -> TrailAnalysis {
    analyze(paths: files.map(RawPath.init), progress: progress, timing: timing)
  }

  /// Analyses the given files by their bytes (names that are not UTF-8 included).
  func analyze(
    paths files: [RawPath], restoringPaths: Bool = true, progress: (@Sendable (AnalysisProgress) -> Void)? = nil,
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
      var parts: [UsagePart] = []
      var cacheCounts = SummaryCache.Counts()
      while true {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        if index >= files.count { break }
        let outcome =
          cache.map { read(files[index], through: $0, scanner, accumulator, &cacheCounts) { parts.append($0) } }
          ?? read(files[index], scanner, accumulator) { parts.append($0) }
        outcomes.append((index, outcome))
        let done = filesDone.wrappingAdd(1, ordering: .relaxed).newValue
        let events = eventsSoFar.wrappingAdd(outcome.counts.records, ordering: .relaxed).newValue
        progress?(AnalysisProgress(filesDone: done, filesTotal: files.count, events: events))
      }
      slots.store(
        worker, WorkerResult(parts: [accumulator.finish()] + parts, outcomes: outcomes, cacheCounts: cacheCounts))
    }
    if count == 1 {
      run(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: count, execute: run)
    }
    if let timing { timing("workers") }
    let results = slots.results()
    var merged = UsageMerge.merge(
      results.flatMap(\.parts), outcomes: results.flatMap(\.outcomes), fileCount: files.count,
      restoringPaths: restoringPaths)
    if cache != nil {
      var counts = SummaryCache.Counts()
      for r in results { counts.add(r.cacheCounts) }
      merged.cacheCounts = counts
    }
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
    return UsageMerge.merge(
      [accumulator.finish()], outcomes: [(0, FileOutcome(path: path, counts: counts, error: error))], fileCount: 1)
  }

  /// What became of one input file.
  struct FileOutcome {
    /// The file as this run names it.
    var path: String
    var counts: ScanCounts
    var error: InputError?
    /// For a usage summary: what its run read.
    var summary: SummaryFiles? = nil
  }

  /// Reads one input: a trail file into the worker's tally, or a usage
  /// summary (told by its first bytes) into a part of its own.
  private func read(
    _ path: RawPath, _ scanner: RecordScanner, _ accumulator: Accumulator, _ addPart: (UsagePart) -> Void
  ) -> FileOutcome {
    var counts = ScanCounts()
    do {
      let reader =
        path.display == "-"
        ? try GzipReader(path: "-", limits: decompressionLimits)
        : try GzipReader(path: path, limits: decompressionLimits)
      if try reader.peek(UsageSummary.magic.count) == UsageSummary.magic {
        let summary = try SummaryReader.read(reader, filter: filter)
        addPart(summary.part)
        counts.invalid = summary.invalid
        return FileOutcome(path: path.display, counts: counts, error: nil, summary: summary.files)
      }
      try scanner.scan(reader, counts: &counts) { event in accumulator.add(event) }
      return FileOutcome(path: path.display, counts: counts, error: nil)
    } catch {
      return FileOutcome(path: path.display, counts: counts, error: error)
    }
  }

  /// Reads one input through the cache: an unchanged trail file from its
  /// entry; any other into a tally of its own, written as its entry when the
  /// run's time window left none of its records out, then added to the worker's.
  private func read(
    _ path: RawPath, through cache: SummaryCache, _ scanner: RecordScanner, _ accumulator: Accumulator,
    _ counts: inout SummaryCache.Counts, _ addPart: (UsagePart) -> Void
  ) -> FileOutcome {
    guard let source = cache.source(of: path) else { return read(path, scanner, accumulator, addPart) }
    if let entry = cache.lookup(source, shownAs: path.display) {
      counts.hits += 1
      accumulator.absorb(entry.part)
      var scanCounts = ScanCounts()
      scanCounts.invalid = entry.invalid
      return FileOutcome(path: path.display, counts: scanCounts, error: nil, summary: entry.files)
    }
    counts.misses += 1
    let own = Accumulator(filter: filter, mapper: mapper)
    var summaryPart: UsagePart? = nil
    let outcome = read(path, scanner, own) { summaryPart = $0 }
    if let summaryPart {  // a usage summary given as input: not cached
      addPart(summaryPart)
      return outcome
    }
    let part = own.finish()
    accumulator.absorb(part)
    if outcome.error == nil && part.counts.excluded[.time] == nil && cache.source(of: path) == source {
      do {
        try cache.store(part, outcome: outcome, source: source)
        counts.written += 1
      } catch {
        counts.unwritable += 1
        if counts.firstFailure == nil { counts.firstFailure = error.description }
      }
    }
    return outcome
  }

  struct WorkerResult: @unchecked Sendable {
    var parts: [UsagePart]
    var outcomes: [(Int, FileOutcome)]
    var cacheCounts = SummaryCache.Counts()
  }

  /// One result per worker, each written by its own worker only.
  final class WorkerSlots: @unchecked Sendable {
    private let lock = Mutex(())
    private var slots: [WorkerResult?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func store(_ index: Int, _ result: WorkerResult) { lock.withLock { _ in slots[index] = result } }
    func results() -> [WorkerResult] { lock.withLock { _ in slots.compactMap { $0 } } }
  }

}
