import ArgumentParser
import TightenCore

@main
struct Tighten: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tighten",
    abstract: "Turn CloudTrail logs into least-privilege IAM policies.",
    discussion: """
      Point tighten at CloudTrail folders downloaded from S3 (AWSLogs/…), at \
      lookup-events output or at JSON lines. It reads every call, works out the \
      IAM permission each one needed, and compares them with declared policies.
      """,
    version: TightenVersion.description,
    subcommands: [Scan.self, Diff.self, Generate.self, Simulate.self, Summarize.self]
  )

  /// As ArgumentParser's, but bad flags exit with 2 as CLI.md says (not 64).
  static func main() {
    do {
      var command = try parseAsRoot(rawArguments())
      try command.run()
      // The output is written: skip tearing down large tables on the way out.
      terminate(0)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        // --help and --version: written as any output is, so that a failed write is exit 2.
        Terminal.write(fullMessage(for: error) + "\n")
        terminate(0)
      }
      if code == .validationFailure {
        Terminal.error(fullMessage(for: error) + "\n" + hint(for: CommandLine.arguments.dropFirst()))
        terminate(ExitStatus.cannotRun.rawValue)
      }
      if let code = error as? ExitCode, code != .validationFailure, code != .success {
        terminate(code.rawValue)  // the report is out; nothing left to print
      }
      exit(withError: error)
    }
  }
}

/// A hint for a habit from other tools: `--output json` (the AWS CLI's) where tighten says `--format json`.
private func hint(for arguments: ArraySlice<String>) -> String {
  guard let command = arguments.first, ["scan", "diff", "simulate"].contains(command),
    let i = arguments.firstIndex(of: "--output") ?? arguments.firstIndex(where: { $0.hasPrefix("--output=") })
  else { return "" }
  let value =
    arguments[i].hasPrefix("--output=")
    ? String(arguments[i].dropFirst("--output=".count))
    : arguments.dropFirst(i - arguments.startIndex + 1).first ?? "json"
  return "hint: tighten \(command) writes to standard output; the format is --format (--format \(value)).\n"
}

/// The arguments as the system passed them: one that is not UTF-8 (a file
/// name) is given in its shown form (`RawPath.show`: bad bytes as `\xNN`),
/// which the walker opens by its bytes; `CommandLine.arguments` would have
/// replaced the bad bytes and lost the name.
private func rawArguments() -> [String] {
  let given = Array(CommandLine.arguments.dropFirst())
  guard let bytes = Platform.readFile("/proc/self/cmdline", limit: 1 << 20) else { return given }
  let raw = bytes.split(separator: 0, omittingEmptySubsequences: false).dropFirst().map { RawPath.show(Array($0)) }
  // A trailing NUL ends the list; anything else unexpected: keep what the runtime gave.
  let arguments = raw.last == "" ? Array(raw.dropLast()) : raw
  return arguments.count == given.count ? arguments : given
}

/// Exits, unless the output could not be written: that is exit status 2,
/// whatever the run decided, with the reason (but for a reader that went away).
private func terminate(_ code: Int32) -> Never {
  if let failure = Terminal.outputFailure {
    if failure != .brokenPipe { Terminal.diagnose("tighten", "error", "cannot write the output (\(failure))") }
    Platform.exit(ExitStatus.cannotRun.rawValue)
  }
  Platform.exit(code)
}

/// The exit statuses of CLI.md.
enum ExitStatus {
  static let findings = ExitCode(1)
  static let cannotRun = ExitCode(2)
  static let partial = ExitCode(3)
}
