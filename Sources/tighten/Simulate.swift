import ArgumentParser
import TightenCore

struct Simulate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Would these policies allow a request? Evaluated offline, as IAM would, with no credentials.",
    discussion: """
      The counterpart of 'aws iam simulate-custom-policy'. Give one request with --action, --resource and \
      --context, or many with --requests FILE (JSON lines: {"action": …, "resource": …, "context": {KEY: \
      value or [values]}, "principal": …}; '-' reads standard input). A context key not given is absent, as \
      in IAM's simulator; each answer lists the keys its policies look at that were not given.

      Exit status: 0 every request allowed; 1 some request not allowed; 2 the run could not be done; \
      3 some request lines could not be read (the others were answered).
      """
  )

  @Option(name: .customLong("policy"), help: "An identity policy file. Repeatable; all files count together.")
  var policies: [String] = []

  @Option(help: "The action of the request (service:Action).")
  var action: String?

  @Option(help: "The resource ARN of the request (default '*').")
  var resource: String?

  @Option(
    name: .customLong("context"),
    help: "A context key's value, KEY=VALUE. Repeatable; a repeated key has several values.")
  var context: [String] = []

  @Option(help: "Requests as JSON lines, one per line; '-' reads standard input.")
  var requests: String?

  @OptionGroup var layers: PolicyLayerOptions

  @Option(
    help:
      "The principal's ARN: settles aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType and aws:username.")
  var principal: String?

  @Option(help: "Output format: text or json (one JSON line per request).")
  var format: SimulateFormat = .text

  func validate() throws {
    if policies.isEmpty { throw ValidationError("Give at least one --policy file.") }
    if requests == nil && action == nil {
      throw ValidationError("Give --action (with --resource), or --requests FILE.")
    }
    if requests != nil && (action != nil || resource != nil || !context.isEmpty) {
      throw ValidationError("--requests cannot be combined with --action, --resource or --context.")
    }
    let stdin = (policies + layers.scps + [layers.boundary, layers.sessionPolicy, requests].compactMap { $0 })
      .filter { $0 == "-" }
    if stdin.count > 1 {
      throw ValidationError(
        "Only one of --policy, --boundary, --scp, --session-policy and --requests can be '-' (standard input).")
    }
    if let action, ActionName(action) == nil {
      throw ValidationError("--action '\(action)' is not an action (expected service:Action).")
    }
  }

  func run() throws {
    let command = SimulateCommand(
      policyFiles: policies, boundaryFile: layers.boundary, organizationFiles: layers.scps,
      sessionPolicyFile: layers.sessionPolicy,
      principal: principal)
    let evaluator = try perform { () throws(RunError) in try command.evaluator() }
    for warning in evaluator.policies.warnings { Terminal.diagnose(warning.path, "warning", warning.message) }
    var allowed = 0
    var refused = 0
    var unreadable = 0
    func answer(_ request: SimulateCommand.Request) {
      let a = command.answer(request, with: evaluator)
      if a.decision == .allowed { allowed += 1 } else { refused += 1 }
      Terminal.write(format == .json ? SimulateReport.json(a) : SimulateReport.text(a))
    }
    if let requests {
      let lines = try perform { () throws(RunError) in try SimulateCommand.lines(of: requests) }
      for (number, line) in lines.enumerated() where !line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
        do throws(RequestError) {
          let place = "\(requests == "-" ? "<stdin>" : requests):\(number + 1)"
          answer(try SimulateCommand.request(line: line, place: place))
        } catch {
          unreadable += 1
          Terminal.diagnose(error.place, "error", error.message)
          if format == .json { Terminal.write(SimulateReport.json(error)) }
        }
      }
      if format == .text {
        Terminal.write(SimulateReport.summary(allowed: allowed, refused: refused, unreadable: unreadable))
      }
    } else {
      let pairs: [(key: String, values: [String])]
      do throws(RequestError) { pairs = try SimulateCommand.context(context) } catch {
        throw ValidationError(error.message)
      }
      answer(.init(action: action ?? "", resource: resource ?? "*", context: pairs))
    }
    if unreadable > 0 { throw ExitStatus.partial }
    if refused > 0 { throw ExitStatus.findings }
  }
}

enum SimulateFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}
