import ArgumentParser
import Foundation
import TightenCore

struct Diff: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Compare what the trails show with the declared policies: missing, unused and overbroad grants.",
    discussion: """
      All --policy files count together, as the policies of one principal. A policy file is an IAM policy \
      document, a CloudFormation/CDK template (JSON or YAML) holding IAM policies, or the output of \
      'aws iam get-account-authorization-details' (then --principal picks the role or user).

      Exit status: 0 nothing to report under --fail-on (default missing); 1 findings under --fail-on; \
      2 the run could not be done (bad flags, no readable input, unreadable policy); 3 findings were \
      computed but some input files failed. With --baseline, only findings new since the baseline count.
      """
  )

  enum FailOn: String, ExpressibleByArgument, CaseIterable {
    case missing, unused, any, never
  }

  @OptionGroup var trails: TrailOptions

  @Option(name: .customLong("policy"), help: "A declared policy file. Repeatable; all files count together.")
  var policies: [String] = []

  @Option(help: "Output format: text, json or markdown.")
  var format: OutputFormat = .text

  @Option(name: .customLong("fail-on"), help: "Which findings make the exit status 1: missing, unused, any or never.")
  var failOn: FailOn = .missing

  @Option(help: "A previous 'tighten diff --format json' result: report what is new and what was resolved since.")
  var baseline: String?

  func validate() throws {
    if policies.isEmpty { throw ValidationError("Give at least one --policy file.") }
  }

  func run() throws {
    // Read the policies once before the trails, so a bad file stops the run at once.
    var loader = PolicyLoader(principals: trails.principals)
    _ = try loadPolicies(loader, policies)
    let baselineText: String?
    if let baseline {
      guard let text = try? String(contentsOfFile: baseline, encoding: .utf8) else {
        Terminal.diagnose(baseline, "error", "cannot read the baseline file")
        throw ExitStatus.cannotRun
      }
      baselineText = text
    } else {
      baselineText = nil
    }
    let mapper = PermissionMapper()
    let analysis = try trails.analyze(mapper: mapper)
    loader.account =
      trails.accounts.count == 1 ? trails.accounts[0] : analysis.accounts.count == 1 ? analysis.accounts.first : nil
    loader.region =
      trails.regions.count == 1 ? trails.regions[0] : analysis.regions.count == 1 ? analysis.regions.first : nil
    var phaseStart = ProgressLine.now()
    let set = try loadPolicies(loader, policies)
    trails.timed("policies", since: &phaseStart)
    for warning in set.warnings { Terminal.diagnose(warning.path, "warning", warning.message) }
    let result = Differ(policies: set, mapper: mapper, workers: trails.jobs).diff(
      analysis, policyFiles: policies.map { URL(fileURLWithPath: $0).lastPathComponent })
    trails.timed("diff", since: &phaseStart)
    var comparison: BaselineComparison? = nil
    if let baselineText, let baseline {
      do {
        comparison = try BaselineComparison.compare(result, baselineText: baselineText, path: baseline)
      } catch {
        Terminal.diagnose(error.path, "error", error.message)
        throw ExitStatus.cannotRun
      }
    }
    switch format {
    case .json: DiffReport.json(result, baseline: comparison, to: Terminal.standardOutput())
    case .markdown: Terminal.write(DiffReport.markdown(result, baseline: comparison))
    case .text:
      Terminal.write(
        DiffReport.text(result, baseline: comparison, style: .init(colour: Terminal.standardOutputIsTerminal)))
    }
    trails.timed("output", since: &phaseStart)
    if analysis.isPartial { throw ExitStatus.partial }
    let missing = comparison.map { !$0.newMissing.isEmpty } ?? !result.missing.isEmpty
    let unused =
      comparison.map { $0.newUnused.contains { $0.kind == .unused } } ?? result.unused.contains { $0.kind == .unused }
    let findings: Bool
    switch failOn {
    case .missing: findings = missing
    case .unused: findings = unused
    case .any: findings = missing || unused
    case .never: findings = false
    }
    if findings { throw ExitStatus.findings }
  }

}
