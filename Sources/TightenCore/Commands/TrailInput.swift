/// What every command reads: trail paths, the filters, and how many workers read them.
public struct TrailInput: Sendable {
  public var paths: [String]
  public var filter: TrailFilter
  /// nil: one per core.
  public var workers: Int?

  public init(paths: [String], filter: TrailFilter = .init(), workers: Int? = nil) {
    self.paths = paths
    self.filter = filter
    self.workers = workers
  }

  /// Reads the trails. A run that read no file and no event is an error: nothing to say anything about.
  func analyze(mapper: PermissionMapper, observer: RunObserver) throws(RunError) -> TrailAnalysis {
    let analyzer = TrailAnalyzer(filter: filter, mapper: mapper, workers: workers)
    let started = Platform.monotonicSeconds()
    let analysis = analyzer.analyze(paths: paths, progress: observer.progress) { phase in
      observer.phase?("\(phase) at", Platform.monotonicSeconds() - started)
    }
    observer.phase?("analysis", Platform.monotonicSeconds() - started)
    observer.analysed?(analysis)
    if analysis.files.read == 0 && analysis.events.total == 0 {
      throw analysis.files.failed.isEmpty ? .noTrailFiles(paths) : .noReadableInput
    }
    return analysis
  }
}
