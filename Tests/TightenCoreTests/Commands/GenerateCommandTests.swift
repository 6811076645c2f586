import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("GenerateCommand")
struct GenerateCommandTests {
  static let trails = Fixtures.sampleTrails.appendingPathComponent("trails").path
  static let declared = Fixtures.sampleTrails.appendingPathComponent("policies/deploy-declared.json").path

  @Test("a policy that needs several documents needs an output folder, and nothing is written")
  func needsFolder() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let history = root.appendingPathComponent("history.jsonl").path
    let command = GenerateCommand(
      input: TrailInput(paths: [Self.trails]), options: GeneratorOptions(maxSize: 1000, lifecycle: false),
      policyFiles: [Self.declared],
      historyPath: history)
    let error = #expect(throws: RunError.self) { try command.run() }
    guard case .needsOutputFolder(let documents, 1000)? = error else {
      Issue.record("unexpected \(String(describing: error))")
      return
    }
    #expect(documents > 1)
    #expect(!FileManager.default.fileExists(atPath: history))
  }

  @Test("with an output folder, writes every document and appends the turn to the history")
  func writes() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let history = root.appendingPathComponent("history.jsonl").path
    let out = root.appendingPathComponent("out").path
    let command = GenerateCommand(
      input: TrailInput(paths: [Self.trails]), options: GeneratorOptions(maxSize: 1000, lifecycle: false),
      policyFiles: [Self.declared],
      historyPath: history, outputFolder: out)
    let outcome = try command.run()
    let written = try FileManager.default.contentsOfDirectory(atPath: out).sorted().filter { !$0.hasPrefix(".") }
    #expect(written == outcome.documents.map(\.name).sorted())
    #expect(outcome.history?.count == 1)
    #expect(outcome.history?.first?["iteration"]?.scalarText == "1")
    #expect(outcome.status == .clean)
    // The same turn again is not a new turn; another trail is.
    let again = try command.run()
    #expect(again.history?.map { $0["iteration"]?.scalarText ?? "" } == ["1"])
    var next = command
    next.input.paths = [Self.trails + "/deploy-2"]
    let other = try next.run()
    #expect(other.history?.map { $0["iteration"]?.scalarText ?? "" } == ["1", "2"])
  }
}
