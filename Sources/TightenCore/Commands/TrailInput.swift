/// What every command reads: trail paths, the filters, and how many workers read them.
public struct TrailInput: Sendable {
  public var paths: [String]
  public var filter: TrailFilter
  /// nil: one per core.
  public var workers: Int?
  /// `--cache DIR`: the folder of per-file summaries, nil without.
  public var cache: String?

  public init(paths: [String], filter: TrailFilter = .init(), workers: Int? = nil, cache: String? = nil) {
    self.paths = paths
    self.filter = filter
    self.workers = workers
    self.cache = cache
  }

  /// Reads the trails. A run that read no file and no event is an error: nothing to say anything about.
  /// `summarizing`: for a usage summary, which keeps IAM paths as the files
  /// show them and may hold no call of a filter's value (another shard may).
  func analyze(mapper: PermissionMapper, observer: RunObserver, summarizing: Bool = false) throws(RunError)
    -> TrailAnalysis
  {
    var analyzer = TrailAnalyzer(filter: filter, mapper: mapper, workers: workers)
    analyzer.cache = cache.map { SummaryCache(folder: $0, filter: filter) }
    let started = Platform.monotonicSeconds()
    let analysis = analyzer.analyze(paths: paths, restoringPaths: !summarizing, progress: observer.progress) { phase in
      observer.phase?("\(phase) at", Platform.monotonicSeconds() - started)
    }
    observer.phase?("analysis", Platform.monotonicSeconds() - started)
    if let repeated = analysis.repeatedFiles.first { throw .repeatedFile(repeated) }
    observer.analysed?(analysis)
    // A summary of files that were all passed over or failed still counts them: another shard may hold the rest.
    if summarizing && (analysis.files.read > 0 || analysis.files.skippedCount > 0 || !analysis.files.failed.isEmpty) {
      return analysis
    }
    if analysis.files.read == 0 && analysis.events.total == 0 {
      if analysis.files.failed.isEmpty, let byTime = analysis.files.skipped[.outsideTime], byTime > 0 {
        throw .allSkippedByTime(files: byTime)
      }
      throw analysis.files.failed.isEmpty ? .noTrailFiles(paths) : .noReadableInput
    }
    if !summarizing { try checkFilters(analysis, mapper: mapper) }
    return analysis
  }

  /// A `--principal`, `--region` or `--account` value that selects no call is
  /// an error, not an empty result: a typo must not pass a CI gate with
  /// nothing checked. The message lists what the trails hold (read again
  /// without that flag) and the closest value.
  private func checkFilters(_ analysis: TrailAnalysis, mapper: PermissionMapper) throws(RunError) {
    let counted = analysis.principals.map(\.arn)
    var wider = filter
    let flag: String
    let value: String
    if let p = filter.principals.first(where: { p in !counted.contains { TrailFilter.matches(p, principalArn: $0) } }) {
      (flag, value) = ("--principal", p)
      wider.principals = []
    } else if let r = filter.regions.first(where: { !analysis.regions.contains($0) }) {
      (flag, value) = ("--region", r)
      wider.regions = []
    } else if analysis.events.counted == 0, let a = filter.accounts.first(where: { !analysis.accounts.contains($0) }) {
      // The account filter also keeps calls recorded for the account by callers of others: only an empty run is sure.
      (flag, value) = ("--account", a)
      wider.accounts = []
    } else {
      return
    }
    let all = TrailAnalyzer(filter: wider, mapper: mapper, workers: workers).analyze(paths: paths, progress: nil) { _ in
    }
    let held: [String]
    switch flag {
    case "--principal": held = all.principals.map { "\($0.arn) (\($0.events) \($0.events == 1 ? "event" : "events"))" }
    case "--region": held = all.regions.sorted()
    default: held = all.accounts.sorted()
    }
    let candidates: [String] =
      flag == "--principal"
      ? all.principals.map(\.arn) : flag == "--region" ? all.regions.sorted() : all.accounts.sorted()
    throw .unmatchedFilter(
      flag: flag, value: value, held: held,
      closest: Self.closest(value, among: candidates, byName: flag == "--principal"))
  }

  /// The candidate nearest to `value`, case ignored (principals compared by their names when `value` is a name).
  static func closest(_ value: String, among candidates: [String], byName: Bool) -> String? {
    let key = { (s: String) -> String in
      guard byName, !value.hasPrefix("arn:"), let last = s.split(separator: "/").last else { return s.lowercased() }
      return String(last).lowercased()
    }
    let target = Array(value.lowercased().utf8)
    return candidates.map { (InvalidEntries.distance(target, Array(key($0).utf8)), $0) }.min { $0 < $1 }.map(\.1).map {
      byName && !value.hasPrefix("arn:") ? String($0.split(separator: "/").last ?? Substring($0)) : $0
    }
  }
}
