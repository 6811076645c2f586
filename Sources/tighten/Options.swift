import ArgumentParser
import TightenCore

/// Paths and the filters every command shares.
struct TrailOptions: ParsableArguments {
  @Argument(help: "Trail files or folders (walked recursively); '-' reads standard input.")
  var paths: [String] = []

  @Option(
    name: .customLong("principal"),
    help: "Only calls by this principal: a role or user ARN or name, or an assumed-role session ARN. Repeatable.")
  var principals: [String] = []

  @Option(help: "Only calls at or after this time (ISO 8601 date or date-time, UTC).")
  var since: String?

  @Option(help: "Only calls at or before this time (ISO 8601 date or date-time, UTC).")
  var until: String?

  @Option(name: .customLong("region"), help: "Only calls in this region. Repeatable.")
  var regions: [String] = []

  @Option(name: .customLong("account"), help: "Only calls recorded for this account ID. Repeatable.")
  var accounts: [String] = []

  @Option(
    help: ArgumentHelp(
      "Keep a usage summary per trail file in this folder; later runs read only new or changed files.",
      valueName: "dir"))
  var cache: String?

  @Option(name: .customLong("jobs"), help: .hidden)
  var jobs: Int?

  @Flag(name: .customLong("quiet"), help: "No progress line on standard error.")
  var quiet = false

  @Flag(name: .customLong("timing"), help: .hidden)
  var timing = false

  @Flag(name: .customLong("memory"), help: .hidden)
  var memory = false

  /// Each command asks for paths (`generate --template` may go without).
  static let noPaths = ValidationError("Give at least one trail file or folder (or '-' for standard input).")

  func validate() throws {
    if let since, Timestamp.parse(since) == nil {
      throw ValidationError("--since '\(since)' is not an ISO 8601 date or date-time.")
    }
    if let until, Timestamp.parse(until) == nil {
      throw ValidationError("--until '\(until)' is not an ISO 8601 date or date-time.")
    }
    if let s = since.flatMap(Timestamp.parse), let u = until.flatMap(untilBound), s > u {
      throw ValidationError("--since is after --until.")
    }
    for account in accounts where account.count != 12 || !account.allSatisfy(\.isNumber) {
      throw ValidationError("--account '\(account)' is not a 12-digit account ID.")
    }
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1.") }
  }

  /// A bare date for --until means the whole of that day.
  func untilBound(_ text: String) -> Int64? {
    guard let t = Timestamp.parse(text) else { return nil }
    return text.count == 10 ? t + 86_399 : t
  }

  var filter: TrailFilter {
    TrailFilter(
      principals: principals, since: since.flatMap(Timestamp.parse), until: until.flatMap(untilBound),
      regions: regions, accounts: accounts)
  }

  var input: TrailInput { TrailInput(paths: paths, filter: filter, workers: jobs, cache: cache) }

  /// Shows progress on a terminal, phase times with --timing, the files that
  /// failed once the trails are read, and with --memory the run's peak memory
  /// as the process ends (after every phase, the output included).
  func observer() -> RunObserver {
    // A progress line only where it can redraw itself: a terminal that is not `TERM=dumb`, and not --quiet.
    let progress = Terminal.standardErrorIsTerminal && !quiet && !Terminal.isDumb ? ProgressLine() : nil
    if memory { Platform.atExit { Terminal.error("memory: peak \(Platform.peakResidentMegabytes()) MB\n") } }
    let quiet = self.quiet
    var observer = RunObserver()
    if let progress {
      observer.progress = { @Sendable (p: AnalysisProgress) in progress.update(p) }
    }
    if timing {
      observer.phase = { @Sendable (phase: String, seconds: Double) in
        Terminal.error("timing: \(phase) \(seconds) s\n")
      }
    }
    observer.analysed = { @Sendable (analysis: TrailAnalysis) in
      progress?.finish()
      for failure in analysis.files.failed { Terminal.diagnose(failure.path, "error", failure.message) }
      for warning in analysis.files.warnings { Terminal.diagnose(warning.path, "warning", warning.message) }
      if let cache = analysis.cacheCounts {
        if cache.unwritable > 0 {
          Terminal.diagnose(
            "tighten", "warning",
            "\(cache.unwritable) cache \(cache.unwritable == 1 ? "entry" : "entries") could not be written: "
              + (cache.firstFailure ?? "?"))
        }
        if !quiet {
          Terminal.error(
            "tighten: cache: \(cache.hits) \(cache.hits == 1 ? "file" : "files") from the cache, \(cache.misses) read"
              + " (\(cache.written) written)\n")
        }
      }
    }
    return observer
  }
}

extension TrailOptions {
  /// `diff` and `generate` without `--principal` on the calls of several principals: their policies are merged.
  func warnIfMerged(_ principals: [TrailAnalysis.PrincipalCount]) {
    guard self.principals.isEmpty, principals.count > 1 else { return }
    let names = principals.prefix(5).map(\.arn).joined(separator: ", ")
    Terminal.diagnose(
      "tighten", "warning",
      "the calls of \(principals.count) principals are merged into one (\(names)\(principals.count > 5 ? ", …" : "")); "
        + "give --principal to pick one")
  }
}

/// Runs a library command: a run that cannot be done prints its reason and exits with 2.
func perform<T>(_ body: () throws(RunError) -> T) throws -> T {
  do {
    return try body()
  } catch {
    Terminal.diagnose(error.path, "error", error.message)
    throw ExitStatus.cannotRun
  }
}

/// The exit status of a run that was done.
func finish(_ status: RunStatus) throws {
  switch status {
  case .clean: return
  case .findings: throw ExitStatus.findings
  case .partial: throw ExitStatus.partial
  }
}

/// `diff`'s formats.
enum DiffFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, markdown, sarif
}

/// `scan` writes text or JSON only, and `--help` offers only those.
enum ScanFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

/// The policy types that limit a principal's identity policies (`diff` and `simulate`).
struct PolicyLayerOptions: ParsableArguments {
  @Option(help: "A permissions boundary policy file (replaces the one authorization details attach).")
  var boundary: String?

  @Option(
    name: .customLong("scp"),
    help:
      "A service or resource control policy file: one level of the organisation (root, each OU, the account). Repeatable, root first."
  )
  var scps: [String] = []

  @Option(name: .customLong("session-policy"), help: "A session policy file.")
  var sessionPolicy: String?
}
