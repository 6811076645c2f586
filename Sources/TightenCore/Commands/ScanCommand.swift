/// `tighten scan`: what was called, one row per permission.
public struct ScanCommand: Sendable {
  public var input: TrailInput

  public init(input: TrailInput) { self.input = input }

  public func run(observer: RunObserver = .init()) throws(RunError) -> (analysis: TrailAnalysis, status: RunStatus) {
    let analysis = try input.analyze(mapper: PermissionMapper(), observer: observer)
    return (analysis, analysis.isPartial ? .partial : .clean)
  }
}
