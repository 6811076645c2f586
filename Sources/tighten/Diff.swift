import ArgumentParser
import TightenCore

struct Diff: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Compare what the trails show with the declared policies: missing, unused and overbroad grants.",
    discussion: """
      All --policy files count together, as the policies of one principal. A policy file is an IAM policy \
      document, a CloudFormation/CDK template (JSON or YAML) holding IAM policies, or the output of \
      'aws iam get-account-authorization-details' (then --principal picks the role or user, and the \
      permissions boundary attached to it applies). --boundary, --scp and --session-policy add the policy \
      types that limit them; a missing call's reason then names the one that refuses it.

      Exit status: 0 nothing to report under --fail-on (default missing); 1 findings under --fail-on; \
      2 the run could not be done (bad flags, no readable input, unreadable policy); 3 findings were \
      computed but some input files failed. With --baseline, only findings new since the baseline count.
      """
  )

  @OptionGroup var trails: TrailOptions

  @Option(name: .customLong("policy"), help: "A declared policy file. Repeatable; all files count together.")
  var policies: [String] = []

  @OptionGroup var layers: PolicyLayerOptions

  @Option(
    name: .customLong("template"),
    help: "The stack's CloudFormation template (JSON or YAML; CDK's cdk.out/*.template.json). Repeatable.")
  var templates: [String] = []

  @Option(help: "Output format: text, json, markdown (a pull-request comment) or sarif (SARIF 2.1.0).")
  var format: DiffFormat = .text

  @Option(
    name: .customLong("fail-on"),
    help: "Which findings make the exit status 1: missing, unused, overbroad, invalid, any (every kind) or never.")
  var failOn: DiffCommand.FailOn = .missing

  @Option(help: "A previous 'tighten diff --format json' result: report what is new and what was resolved since.")
  var baseline: String?

  func validate() throws {
    if trails.paths.isEmpty { throw TrailOptions.noPaths }
    if policies.isEmpty { throw ValidationError("Give at least one --policy file.") }
  }

  func run() throws {
    var command = DiffCommand(input: trails.input, policyFiles: policies, failOn: failOn, baselinePath: baseline)
    command.boundaryFile = layers.boundary
    command.organizationFiles = layers.scps
    command.sessionPolicyFile = layers.sessionPolicy
    command.templateFiles = templates
    let outcome = try perform { () throws(RunError) in try command.run(observer: trails.observer()) }
    let started = Platform.monotonicSeconds()
    for warning in outcome.result.warnings { Terminal.diagnose(warning.path, "warning", warning.message) }
    trails.warnIfMerged(outcome.result.analysis.principals)
    let (result, comparison) = (outcome.result, outcome.baseline)
    switch format {
    case .json: DiffReport.json(result, baseline: comparison, to: Terminal.standardOutput())
    case .markdown: Terminal.write(DiffReport.markdown(result, baseline: comparison))
    case .sarif: Terminal.write(DiffReport.sarif(result, files: outcome.files.map { ($0.name, $0.path) }))
    case .text:
      Terminal.write(
        DiffReport.text(result, baseline: comparison, style: .init(colour: Terminal.colour)))
    }
    if trails.timing { Terminal.error("timing: output \(Platform.monotonicSeconds() - started) s\n") }
    try finish(outcome.status)
  }
}

extension DiffCommand.FailOn: ExpressibleByArgument {}
