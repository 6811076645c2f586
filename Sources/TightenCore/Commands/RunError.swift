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
  /// Every trail file was passed over by the time in its name (`--since`, `--until`).
  case allSkippedByTime(files: Int)
  /// A filter value that selects no call: what the trails hold, and the closest value.
  case unmatchedFilter(flag: String, value: String, held: [String], closest: String?)
  /// A trail file counted by two inputs (summaries, or a summary and the file).
  case repeatedFile(RepeatedFile)
  /// `simulate --requests`: the file cannot be read.
  case requests(path: String, message: String)

  /// The file the message is about (`tighten` when it is about the run).
  public var path: String {
    switch self {
    case .noTrailFiles, .noReadableInput, .generator, .needsOutputFolder, .unmatchedFilter, .allSkippedByTime: "tighten"
    case .policy(let e): e.path
    case .baseline(let e): e.path
    case .history(let e): e.path
    case .write(let path, _): path
    case .repeatedFile(let r): r.inputs.last ?? r.path
    case .requests(let path, _): path == "-" ? "<stdin>" : path
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
    case .write(_, let message), .requests(_, let message): message
    case .repeatedFile(let r):
      "holds trail file \(r.path), which is also read "
        + (r.inputs.first == r.path ? "on its own" : "through \(r.inputs.first ?? "another input")")
        + ": its events would be counted twice; give each trail file once"
    case .allSkippedByTime(let files):
      "all \(files) trail \(files == 1 ? "file was" : "files were") skipped by the time in their names: "
        + "none is within --since and --until"
    case .unmatchedFilter(let flag, let value, let held, let closest):
      "\(flag) '\(value)' matches no call in the trails, which hold "
        + (held.isEmpty
          ? "none"
          : held.prefix(20).joined(separator: ", ") + (held.count > 20 ? " and \(held.count - 20) more" : ""))
        + (closest.map { "; did you mean '\($0)'?" } ?? "")
    }
  }

  public var description: String { "\(path): \(message)" }
}
