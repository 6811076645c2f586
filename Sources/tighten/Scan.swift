import ArgumentParser
import TightenCore

struct Scan: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List what was called: one row per IAM permission (action and resource).",
    discussion: """
      Exit status: 0 when every input was read; 2 when nothing could be read; \
      3 when some input files failed (the rest were still analysed).
      """
  )

  @OptionGroup var trails: TrailOptions

  @Option(help: "Output format: text or json.")
  var format: ScanFormat = .text

  func validate() throws {
    if trails.paths.isEmpty { throw TrailOptions.noPaths }

  }

  func run() throws {
    let (analysis, status) = try perform { () throws(RunError) in
      try ScanCommand(input: trails.input).run(observer: trails.observer())
    }
    switch format {
    case .json:
      let started = Platform.monotonicSeconds()
      ScanReport.json(analysis, to: Terminal.standardOutput(), threads: trails.jobs ?? Platform.processorCount)
      if trails.timing { Terminal.error("timing: output \(Platform.monotonicSeconds() - started) s\n") }
    default: Terminal.write(ScanReport.text(analysis))
    }
    try finish(status)
  }
}
