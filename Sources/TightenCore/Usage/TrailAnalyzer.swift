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
    var result = analyze(
      paths: listing.paths, statuses: listing.statuses, restoringPaths: restoringPaths, progress: progress,
      timing: timing)
    for (reason, n) in listing.skipped { result.files.skipped[reason, default: 0] += n }
    result.inputFiles = Set(listing.statuses.compactMap { $0.map { FileIdentity(device: $0.device, inode: $0.inode) } })
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
  /// - Parameter statuses: Each file's status as a walk met it, when there was one.
  func analyze(
    paths files: [RawPath], statuses: [Platform.FileStatus?]? = nil, restoringPaths: Bool = true,
    progress: (@Sendable (AnalysisProgress) -> Void)? = nil, timing: ((String) -> Void)? = nil
  ) -> TrailAnalysis {
    let eventsSoFar = Atomic<Int>(0)
    let filesDone = Atomic<Int>(0)
    let report = { @Sendable (n: Int, events: Int) in
      let done = filesDone.wrappingAdd(n, ordering: .relaxed).newValue
      let events = eventsSoFar.wrappingAdd(events, ordering: .relaxed).newValue
      progress?(AnalysisProgress(filesDone: done, filesTotal: files.count, events: events))
    }
    // With the cache, folders first: each unchanged folder's rollup stands for its files.
    let folders = cache.map { Self.folders(files, statuses: statuses, in: $0) } ?? []
    let rollups: [SummaryReader.Summary?] =
      cache.map { cache in
        Parallel.map(folders.count, threads: workers) { i -> SummaryReader.Summary? in
          let folder = folders[i]
          let entry = cache.lookupRollup(folder.sources, shownAs: folder.range.map { files[$0].display })
          if entry != nil { report(folder.range.count, 0) }
          return entry
        }
      } ?? []
    if let timing { timing("rollups") }
    var pending = [Bool](repeating: true, count: files.count)
    var parts: [UsagePart] = []
    var outcomes: [(Int, FileOutcome)] = []
    var cacheCounts = SummaryCache.Counts()
    for (folder, entry) in zip(folders, rollups) {
      guard let entry else { continue }
      for i in folder.range { pending[i] = false }
      parts.append(entry.part)
      outcomes.append(
        (folder.range.lowerBound, FileOutcome(path: files[folder.range.lowerBound].display, entry: entry)))
      cacheCounts.hits += folder.range.count
    }
    let toRead = files.indices.filter { pending[$0] }
    let count = min(workers, max(toRead.count, 1))
    let next = Atomic<Int>(0)
    let results = Parallel.map(count, threads: count) { _ in
      let accumulator = Accumulator(filter: filter, mapper: mapper)
      let scanner = RecordScanner(limits: scanLimits)
      var outcomes: [(Int, FileOutcome)] = []
      var parts: [UsagePart] = []
      var cacheCounts = SummaryCache.Counts()
      while true {
        let n = next.wrappingAdd(1, ordering: .relaxed).oldValue
        if n >= toRead.count { break }
        let index = toRead[n]
        let outcome =
          cache.map { read(files[index], through: $0, scanner, accumulator, &cacheCounts) { parts.append($0) } }
          ?? read(files[index], scanner, accumulator) { parts.append($0) }
        outcomes.append((index, outcome))
        report(1, outcome.counts.records)
      }
      return WorkerResult(parts: [accumulator.finish()] + parts, outcomes: outcomes, cacheCounts: cacheCounts)
    }
    if let timing { timing("workers") }
    for r in results { cacheCounts.add(r.cacheCounts) }
    outcomes += results.flatMap(\.outcomes)
    if let cache {
      // Folders read file by file whose files all have an entry now: their rollups, for the next run.
      var cached = [Bool](repeating: false, count: files.count)
      for (index, outcome) in outcomes where outcome.cached { cached[index] = true }
      let missing = zip(folders, rollups).filter { folder, entry in
        entry == nil && folder.range.allSatisfy { cached[$0] }
      }.map(\.0)
      let written = Parallel.map(missing.count, threads: workers) { i in
        var counts = SummaryCache.Counts()
        do throws(FileWriteError) {
          _ = try cache.storeRollup(missing[i].sources, mapper: mapper)
        } catch {
          counts.unwritable += 1
          counts.firstFailure = error.description
        }
        return counts
      }
      for counts in written { cacheCounts.add(counts) }
      if let timing { timing("rollups written") }
    }
    var merged = UsageMerge.merge(
      parts + results.flatMap(\.parts), outcomes: outcomes, fileCount: files.count, restoringPaths: restoringPaths,
      threads: workers)
    if cache != nil { merged.cacheCounts = cacheCounts }
    if let timing { timing("merge") }
    return merged
  }

  /// A run of two or more trail files in one folder, none given twice, as the cache knows them.
  struct Folder {
    var range: Range<Int>
    var sources: [SummaryCache.Source]
  }

  /// The folders of `files`: runs of files side by side in the list with
  /// the same parent folder (a walked folder's files are listed together).
  static func folders(_ files: [RawPath], statuses: [Platform.FileStatus?]? = nil, in cache: SummaryCache) -> [Folder] {
    var folders: [Folder] = []
    var start = 0
    while start < files.count {
      let parent = FileWriter.folder(of: files[start].display)
      var end = start + 1
      while end < files.count && FileWriter.folder(of: files[end].display) == parent { end += 1 }
      let range = start..<end
      start = end
      guard range.count >= 2, Set(range.map { files[$0].display }).count == range.count else { continue }
      let sources = range.compactMap { i in
        statuses.map { cache.source(of: files[i], status: $0[i]) } ?? cache.source(of: files[i])
      }
      if sources.count == range.count { folders.append(Folder(range: range, sources: sources)) }
    }
    return folders
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
    /// With the cache: the file has an entry (read from it, or written).
    var cached = false

    init(path: String, counts: ScanCounts, error: InputError?) {
      self.path = path
      self.counts = counts
      self.error = error
    }

    /// An input whose tally was read from a usage summary (given, or a cache entry).
    init(path: String, entry: SummaryReader.Summary, cached: Bool = false) {
      self.path = path
      counts = ScanCounts()
      counts.invalid = entry.invalid
      summary = entry.files
      self.cached = cached
    }
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
        return FileOutcome(path: path.display, entry: summary)
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
      return FileOutcome(path: path.display, entry: entry, cached: true)
    }
    counts.misses += 1
    let own = Accumulator(filter: filter, mapper: mapper, sharing: accumulator)
    var summaryPart: UsagePart? = nil
    var outcome = read(path, scanner, own) { summaryPart = $0 }
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
        outcome.cached = true
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

}
