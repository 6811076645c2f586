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
    let started = Stopwatch.seconds()
    let analysis = analyzer.analyze(paths: paths, progress: observer.progress) { phase in
      observer.phase?("\(phase) at", Stopwatch.seconds() - started)
    }
    observer.phase?("analysis", Stopwatch.seconds() - started)
    observer.analysed?(analysis)
    if analysis.files.read == 0 && analysis.events.total == 0 {
      throw analysis.files.failed.isEmpty ? .noTrailFiles(paths) : .noReadableInput
    }
    return analysis
  }
}

/// Callbacks through which a command shows its progress; all optional.
public struct RunObserver: Sendable {
  /// Files and events done so far, from any worker thread.
  public var progress: (@Sendable (AnalysisProgress) -> Void)?
  /// A phase of the run ended: its name and the seconds it took.
  public var phase: (@Sendable (String, Double) -> Void)?
  /// The trails were read (before anything else is decided): to report failed files at once.
  public var analysed: (@Sendable (TrailAnalysis) -> Void)?

  public init(
    progress: (@Sendable (AnalysisProgress) -> Void)? = nil, phase: (@Sendable (String, Double) -> Void)? = nil,
    analysed: (@Sendable (TrailAnalysis) -> Void)? = nil
  ) {
    self.progress = progress
    self.phase = phase
    self.analysed = analysed
  }

  /// Times the phases that follow one another: `lap("diff")` reports the time since the last lap.
  final class Laps: @unchecked Sendable {
    private var last = Stopwatch.seconds()
    private let observer: RunObserver
    init(_ observer: RunObserver) { self.observer = observer }
    func lap(_ phase: String) {
      let now = Stopwatch.seconds()
      observer.phase?(phase, now - last)
      last = now
    }
  }
}

/// How a run ended, for the exit status: CLI.md's 0, 1 and 3.
public enum RunStatus: Sendable, Equatable {
  /// Nothing to report.
  case clean
  /// Findings under `--fail-on`.
  case findings
  /// Some input files failed; the rest was analysed.
  case partial
}

/// A run that could not be done (exit status 2): what to print, and where.
public enum RunError: Error, Equatable, Sendable, CustomStringConvertible {
  case noTrailFiles([String])
  case noReadableInput
  case policy(PolicyError)
  case baseline(BaselineError)
  case history(HistoryError)
  case generator(GeneratorError)
  /// The policy needs several documents and no `--output` folder was given.
  case needsOutputFolder(documents: Int, maxSize: Int)
  /// Writing an output file failed.
  case write(path: String, message: String)

  /// The file the message is about (`tighten` when it is about the run).
  public var path: String {
    switch self {
    case .noTrailFiles, .noReadableInput, .generator, .needsOutputFolder: "tighten"
    case .policy(let e): e.path
    case .baseline(let e): e.path
    case .history(let e): e.path
    case .write(let path, _): path
    }
  }

  public var message: String {
    switch self {
    case .noTrailFiles(let paths): "no trail files found in \(paths.joined(separator: ", "))"
    case .noReadableInput: "no readable input"
    case .policy(let e): e.message
    case .baseline(let e): e.message
    case .history(let e): e.message
    case .generator(let e): e.description
    case .needsOutputFolder(let n, let size):
      "the policy needs \(n) documents of at most \(size) characters; write them with --output DIR"
    case .write(_, let message): message
    }
  }

  public var description: String { "\(path): \(message)" }
}

/// Seconds on a monotonic clock, for phase timings.
enum Stopwatch {
  private static let origin = ContinuousClock.now

  static func seconds() -> Double {
    let elapsed = ContinuousClock.now - origin
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  }
}
