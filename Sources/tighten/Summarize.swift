import ArgumentParser
import TightenCore

struct Summarize: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a usage summary: what scan counts, in a file every command reads in place of the trails.",
    discussion: """
      Summaries of any split of the trail files, given to any command (mixed \
      with trail files or not), give the same output as one run over all the \
      files. A command reads a summary only with the same filters it was made \
      with, and only from the same tighten and IAM catalogue version.

      Exit status: 0 when every input was read; 2 when nothing could be read \
      or the summary could not be written; 3 when some input files failed.
      """
  )

  @OptionGroup var trails: TrailOptions

  @Option(help: "The summary file to write (gzip'd JSON lines).")
  var output: String

  func validate() throws {
    if trails.paths.isEmpty { throw TrailOptions.noPaths }
  }

  func run() throws {
    let result = try perform { () throws(RunError) in
      try SummarizeCommand(input: trails.input, output: output).run(observer: trails.observer())
    }
    Terminal.write(SummarizeCommand.text(result, output: output))
    try finish(result.status)
  }
}
