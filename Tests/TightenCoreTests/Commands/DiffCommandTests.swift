import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("DiffCommand")
struct DiffCommandTests {
  static let trails = Fixtures.sampleTrails.appendingPathComponent("trails/deploy-1").path
  static let declared = Fixtures.sampleTrails.appendingPathComponent("policies/deploy-declared.json").path
  static let broad = Fixtures.sampleTrails.appendingPathComponent("policies/broad.json").path

  static func run(_ failOn: DiffCommand.FailOn, _ policies: [String]) throws -> DiffCommand.Outcome {
    try DiffCommand(input: TrailInput(paths: [trails], workers: 1), policyFiles: policies, failOn: failOn).run()
  }

  @Test("the verdict follows --fail-on")
  func verdicts() throws {
    // The declared policy misses some calls; the broad one misses none but grants much unused.
    let declared = try Self.run(.missing, [Self.declared])
    #expect(!declared.result.missing.isEmpty)
    #expect(declared.status == .findings)
    #expect(try Self.run(.never, [Self.declared]).status == .clean)
    let broad = try Self.run(.missing, [Self.broad])
    #expect(broad.result.missing.isEmpty)
    #expect(broad.status == .clean)
    #expect(try Self.run(.unused, [Self.broad]).status == .findings)
    #expect(try Self.run(.any, [Self.broad]).status == .findings)
  }

  @Test("policies are named by their file's base name")
  func names() throws {
    #expect(
      try Self.run(.never, [Self.declared, Self.broad]).result.policies == ["deploy-declared.json", "broad.json"])
  }

  @Test("a bad policy stops the run before the trails are read, naming the file")
  func badPolicy() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let bad = try Fixtures.write(#"{"Version":"2012-10-17"}"#, to: "bad.json", in: root)
    let read = Counter()
    let command = DiffCommand(input: TrailInput(paths: [Self.trails]), policyFiles: [bad])
    let error = #expect(throws: RunError.self) { try command.run(observer: RunObserver(analysed: { _ in read.add() })) }
    #expect(error?.path == bad)
    #expect(error?.message == "the policy has no Statement")
    #expect(read.value == 0)
  }

  @Test("no trail files is an error that names the paths")
  func noTrails() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let command = DiffCommand(input: TrailInput(paths: [root.path]), policyFiles: [Self.declared])
    let error = #expect(throws: RunError.self) { try command.run() }
    #expect(error == .noTrailFiles([root.path]))
    #expect(error?.description == "tighten: no trail files found in \(root.path)")
  }
}

/// A count shared with a `@Sendable` callback.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func add() { lock.withLock { count += 1 } }
  var value: Int { lock.withLock { count } }
}
