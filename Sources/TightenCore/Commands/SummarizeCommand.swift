/// `tighten summarize`: what the trails show, as a usage summary that any
/// command reads in place of the trails (`UsageSummary`).
public struct SummarizeCommand: Sendable {
  public var input: TrailInput
  public var output: String

  public init(input: TrailInput, output: String) {
    self.input = input
    self.output = output
  }

  /// What was written.
  public struct Result: Sendable {
    public var analysis: TrailAnalysis
    public var bytes: Int
    public var status: RunStatus
  }

  public func run(observer: RunObserver = .init()) throws(RunError) -> Result {
    let analysis = try input.analyze(mapper: PermissionMapper(), observer: observer, summarizing: true)
    let bytes = SummaryWriter.write(analysis, filter: input.filter, paths: analysis.readPaths)
    do {
      try? Platform.makeFolders(FileWriter.folder(of: output))
      try FileWriter(inputs: analysis.inputFiles).write(bytes, to: output)
    } catch {
      throw .write(path: error.path, message: error.message)
    }
    return Result(analysis: analysis, bytes: bytes.count, status: analysis.isPartial ? .partial : .clean)
  }

  /// `summarised 2000 files (1000000 events, 310388 rows) into s.json.gz: 5.1 MB`.
  public static func text(_ r: Result, output: String) -> String {
    let a = r.analysis
    let files = a.files.read
    return "summarised \(files) trail \(files == 1 ? "file" : "files") (\(a.events.total) "
      + "\(a.events.total == 1 ? "event" : "events"), \(a.rows.count) \(a.rows.count == 1 ? "row" : "rows")) "
      + "into \(output): \(r.bytes) bytes\n"
  }
}
