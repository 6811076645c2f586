import ArgumentParser
import TightenCore

struct Generate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Propose a tightened policy: every permission the trails show, nothing else.",
    discussion: """
      From the trails alone, or with --policy, one turn of the deploy → trail → tighten cycle: the declared \
      policies with what was used kept as written, unused entries removed, and what was missing added.

      Without --output, prints one policy document (exit 2 if it must be split); with --output DIR, writes \
      DIR/*.json, each at most --max-size characters not counting white space, and prints a summary. \
      Exit status 3 when some input files failed (the policy covers the rest).
      """
  )

  @OptionGroup var trails: TrailOptions

  @Option(name: .customLong("policy"), help: "A declared policy file to refine. Repeatable.")
  var policies: [String] = []

  @Option(help: "Write the documents to this folder (created if needed).")
  var output: String?

  @Option(name: .customLong("max-size"), help: "Largest document, in characters not counting white space.")
  var maxSize: Int = 6144

  enum ResourceMode: String, ExpressibleByArgument, CaseIterable {
    case exact, prefix, wildcard
  }

  @Option(help: "Resources: exact ARNs, a common prefix of names of one kind (prefix), or the kind's wildcard.")
  var resources: ResourceMode = .exact

  @Flag(name: .customLong("any-account"), help: "Write * for the account in ARNs (one policy for several accounts).")
  var anyAccount = false

  @Flag(name: .customLong("any-region"), help: "Write * for the region in ARNs.")
  var anyRegion = false

  @Flag(
    name: .customLong("action-wildcards"),
    help: "Collapse three or more Describe/List/Get actions of a service into a wildcard.")
  var actionWildcards = false

  @Flag(name: .customLong("keep-unused"), help: "With --policy: keep entries no call used.")
  var keepUnused = false

  @Flag(help: "With --policy: replace wildcard entries of which only some actions were used by those actions.")
  var narrow = false

  @Flag(
    help:
      "With --output: replace or remove files in the folder that tighten did not write there (or that changed since).")
  var force = false

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case json, cloudformation, terraform, cdk
  }

  @Option(
    help:
      "json: IAM policy documents; cloudformation: a template of AWS::IAM::ManagedPolicy (YAML); terraform: aws_iam_policy_document data blocks; cdk: TypeScript PolicyStatements."
  )
  var format: Format = .json

  @Option(help: "With --policy: append this turn's changes to a history file (JSON lines) and show the cycle so far.")
  var history: String?

  @Option(
    name: .customLong("template"),
    help:
      "The stack's CloudFormation template (JSON or YAML; CDK's cdk.out/*.template.json). Repeatable. With no trail, the starting policy comes from it alone."
  )
  var templates: [String] = []

  enum Lifecycle: String, ExpressibleByArgument, CaseIterable {
    case all, observed
  }

  @Option(
    help:
      "all: include what the stack's resources will need to be updated, rolled back and deleted; observed: only what the trails show."
  )
  var lifecycle: Lifecycle = .all

  func validate() throws {
    if trails.paths.isEmpty && (templates.isEmpty || !policies.isEmpty) { throw TrailOptions.noPaths }
    if maxSize < 200 { throw ValidationError("--max-size must be at least 200.") }
    if history != nil && policies.isEmpty { throw ValidationError("--history goes with --policy (a refinement).") }
    if narrow && policies.isEmpty { throw ValidationError("--narrow goes with --policy (a refinement).") }
    if keepUnused && policies.isEmpty { throw ValidationError("--keep-unused goes with --policy (a refinement).") }
    if force && output == nil { throw ValidationError("--force goes with --output.") }
  }

  func run() throws {
    var options = GeneratorOptions(
      resources: .init(rawValue: resources.rawValue)!, anyAccount: anyAccount, anyRegion: anyRegion,
      actionWildcards: actionWildcards, maxSize: maxSize, keepUnused: keepUnused, narrow: narrow)
    options.lifecycle = lifecycle == .all
    var command = GenerateCommand(
      input: trails.input, options: options, policyFiles: policies, historyPath: history, outputFolder: output)
    command.templateFiles = templates
    command.force = force
    command.format = .init(rawValue: format.rawValue)!
    let outcome = try perform { () throws(RunError) in try command.run(observer: trails.observer()) }
    for warning in outcome.policyWarnings { Terminal.diagnose(warning.path, "warning", warning.message) }
    trails.warnIfMerged(outcome.principals)
    for note in outcome.notes { Terminal.diagnose("tighten", "warning", note) }
    for name in outcome.leftInPlace {
      Terminal.diagnose(
        (output ?? ".") + "/" + name, "warning",
        "left in place: an earlier run wrote it and it changed since (--force removes it)")
    }
    // With --output the documents are written and the summary is the output; else the document is.
    let notes: (String) -> Void = { text in if output == nil { Terminal.error(text) } else { Terminal.write(text) } }
    if let code = outcome.code {
      Terminal.write(code)
    } else if let output, command.format.fileName != nil {
      Terminal.write(
        GenerateReport.written(outcome.documents, files: outcome.codeFiles, folder: output, maxSize: maxSize))
      Terminal.write(GenerateReport.widened(outcome.widened, of: outcome.permissions))
    } else if let output {
      Terminal.write(GenerateReport.written(outcome.documents, folder: output, maxSize: maxSize))
      Terminal.write(GenerateReport.widened(outcome.widened, of: outcome.permissions))
    } else {
      Terminal.write(outcome.documents.first.map(PolicyWriter.json) ?? PolicyWriter.empty)
    }
    if let changelog = outcome.changelog { notes(ChangelogReport.text(changelog)) }
    if !outcome.predicted.isEmpty { notes(GenerateReport.predicted(outcome.predicted)) }
    if let turns = outcome.history, let history { notes(ChangelogReport.history(turns, path: history)) }
    try finish(outcome.status)
  }
}
