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
    private var last = Platform.monotonicSeconds()
    private let observer: RunObserver
    init(_ observer: RunObserver) { self.observer = observer }
    func lap(_ phase: String) {
      let now = Platform.monotonicSeconds()
      observer.phase?(phase, now - last)
      last = now
    }
  }
}
