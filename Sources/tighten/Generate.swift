import ArgumentParser
import Foundation
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

  @Option(help: "With --policy: append this turn's changes to a history file (JSON lines) and show the cycle so far.")
  var history: String?

  func validate() throws {
    if maxSize < 200 { throw ValidationError("--max-size must be at least 200.") }
    if history != nil && policies.isEmpty { throw ValidationError("--history goes with --policy (a refinement).") }
  }

  func run() throws {
    var loader = PolicyLoader(principals: trails.principals)
    if !policies.isEmpty { _ = try loadPolicies(loader, policies) }
    let mapper = PermissionMapper()
    let analysis = try trails.analyze(mapper: mapper)
    let generator = Generator(
      options: .init(
        resources: .init(rawValue: resources.rawValue)!, anyAccount: anyAccount, anyRegion: anyRegion,
        actionWildcards: actionWildcards, maxSize: maxSize, keepUnused: keepUnused, narrow: narrow))
    var documents: [PolicyDocument]
    var changelog: Changelog? = nil
    var diff: DiffResult? = nil
    do {
      if policies.isEmpty {
        documents = try generator.documents(generator.statements(from: analysis), name: "policy")
      } else {
        loader.account = analysis.accounts.count == 1 ? analysis.accounts.first : nil
        loader.region = analysis.regions.count == 1 ? analysis.regions.first : nil
        let set = try loadPolicies(loader, policies)
        for warning in set.warnings { Terminal.diagnose(warning.path, "warning", warning.message) }
        let result = Differ(policies: set, mapper: mapper, workers: trails.jobs).diff(analysis, policyFiles: policies)
        let refined = generator.refine(analysis, policies: set, diff: result)
        documents = []
        for document in refined.documents {
          let pieces = try generator.documents(document.statements, name: document.name)
          documents += pieces
        }
        if documents.count > 10 { throw GeneratorError.tooManyDocuments(documents.count) }
        changelog = refined.changelog
        diff = result
      }
    } catch let error as GeneratorError {
      Terminal.diagnose("tighten", "error", error.description)
      throw ExitStatus.cannotRun
    }
    if let output {
      try write(documents, to: output)
    } else {
      guard documents.count <= 1 else {
        Terminal.diagnose(
          "tighten", "error",
          "the policy needs \(documents.count) documents of at most \(maxSize) characters; write them with --output DIR"
        )
        throw ExitStatus.cannotRun
      }
      Terminal.write(
        documents.first.map(PolicyWriter.json) ?? "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n")
    }
    if let changelog {
      let text = ChangelogReport.text(changelog)
      if output == nil { Terminal.error(text) } else { Terminal.write(text) }
      if let history, let diff {
        let line = ChangelogReport.historyLine(changelog, diff: diff, trails: trails.paths)
        do {
          let table = try ChangelogReport.append(line, to: history)
          if output == nil { Terminal.error(table) } else { Terminal.write(table) }
        } catch {
          Terminal.diagnose(history, "error", "cannot write the history (\(error.localizedDescription))")
          throw ExitStatus.cannotRun
        }
      }
    }
    if analysis.isPartial { throw ExitStatus.partial }
  }

  private func write(_ documents: [PolicyDocument], to folder: String) throws {
    let url = URL(fileURLWithPath: folder)
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      var lines: [String] = []
      for document in documents {
        let text = PolicyWriter.json(document)
        try Data(text.utf8).write(to: url.appendingPathComponent(document.name))
        lines.append(
          "  \(document.name)  \(document.statements.count) statements, \(PolicyWriter.size(document)) of \(maxSize) characters"
        )
      }
      Terminal.write(
        "Wrote \(documents.count) polic\(documents.count == 1 ? "y" : "ies") to \(folder):\n"
          + lines.joined(separator: "\n") + "\n")
    } catch {
      Terminal.diagnose(folder, "error", "cannot write the policies (\(error.localizedDescription))")
      throw ExitStatus.cannotRun
    }
  }
}
