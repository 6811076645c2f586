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

  /// Walks `paths` and analyses every trail file found.
  public func analyze(
    paths: [String], progress: (@Sendable (AnalysisProgress) -> Void)? = nil, timing: ((String) -> Void)? = nil
  ) -> TrailAnalysis {
    let listing = TrailWalker(since: filter.since, until: filter.until).list(paths)
    var result = analyze(paths: listing.paths, progress: progress, timing: timing)
    result.files.skipped = listing.skipped
    result.inputFiles = Set(
      listing.paths.compactMap { path in
        (try? Platform.status(path)).map { FileIdentity(device: $0.device, inode: $0.inode) }
      })
    result.files.failed = (listing.failures + result.files.failed).sorted { $0.path < $1.path }
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
    paths files: [RawPath], progress: (@Sendable (AnalysisProgress) -> Void)? = nil,
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
    let merged = UsageMerge.merge(slots.results(), fileCount: files.count)
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
    return UsageMerge.merge(
      [WorkerResult(accumulator: accumulator, outcomes: [(0, FileOutcome(counts: counts, error: error))])], fileCount: 1
    )
  }

  struct FileOutcome {
    var counts: ScanCounts
    var error: InputError?
  }

  private static func scan(
    _ path: RawPath, _ scanner: RecordScanner, _ accumulator: Accumulator, _ limits: DecompressionLimits
  ) -> FileOutcome {
    var counts = ScanCounts()
    do {
      let reader =
        path.display == "-" ? try GzipReader(path: "-", limits: limits) : try GzipReader(path: path, limits: limits)
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

}
