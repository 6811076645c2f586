import Foundation
import Testing
import TightenTestSupport

@Suite("tighten generate, end to end")
struct GenerateEndToEndTests {
  static let role = "cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1"

  @Test("prints one valid policy document, the same bytes every time")
  func stdout() throws {
    let a = try Binary.run([
      "generate", "SampleTrails/trails/deploy-1", "--principal", Self.role, "--lifecycle", "observed",
    ])
    let b = try Binary.run([
      "generate", "SampleTrails/trails/deploy-1", "--principal", Self.role, "--lifecycle", "observed", "--jobs", "3",
    ])
    #expect(a.status == 0)
    #expect(a.stdout == b.stdout)
    let policy = try Binary.json(a)
    #expect(policy["Version"] as? String == "2012-10-17")
    #expect((policy["Statement"] as? [[String: Any]])?.count == 14)
  }

  @Test("a policy that must be split needs --output: exit 2 and a message saying so")
  func needsOutput() throws {
    let r = try Binary.run([
      "generate", "SampleTrails/trails/deploy-1", "--max-size", "1000", "--lifecycle", "observed",
    ])
    #expect(r.status == 2)
    #expect(r.stderr.contains("write them with --output DIR"))
    #expect(r.stdout.isEmpty)
  }

  @Test("--output writes documents within --max-size and prints a summary")
  func output() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let r = try Binary.run([
      "generate", "SampleTrails/trails/deploy-1", "--max-size", "1000", "--lifecycle", "observed", "--output",
      root.path,
    ])
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("Wrote "))
    // The widened permissions close the summary; the stack is named, its id is not.
    let stack = "arn:aws:cloudformation:us-east-1:111122223333:stack/shop-dev/*  (pattern-not-named)"
    #expect(
      r.stdout.hasSuffix(
        "Widened: 4 of 50 permissions have a pattern for what the trail did not name:\n"
          + "  cloudformation:CreateChangeSet    \(stack)\n  cloudformation:DescribeChangeSet  \(stack)\n"
          + "  cloudformation:DescribeStacks     \(stack)\n  cloudformation:ExecuteChangeSet   \(stack)\n"))
    let files = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
    #expect(files.count >= 3)
    for file in files {
      let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
      #expect(text.unicodeScalars.filter { !$0.properties.isWhitespace }.count <= 1000)
      #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
    }
  }

  @Test("two turns of the cycle converge: nothing missing, nothing unused, and the history shows it")
  func cycle() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let history = root.appendingPathComponent("history.jsonl").path
    let one = root.appendingPathComponent("turn-1").path
    let two = root.appendingPathComponent("turn-2").path
    let first = try Binary.run([
      "generate", "SampleTrails/trails/deploy-1", "--principal", Self.role, "--policy",
      "SampleTrails/policies/deploy-declared.json", "--narrow", "--lifecycle", "observed", "--output", one, "--history",
      history,
    ])
    #expect(first.status == 0)
    #expect(first.stdout.contains("Changes: 4 added, 7 removed, 1 narrowed"))
    let second = try Binary.run([
      "generate", "SampleTrails/trails/deploy-2", "--principal", Self.role, "--policy", one + "/deploy-declared.json",
      "--keep-unused", "--lifecycle", "observed", "--output", two, "--history", history,
    ])
    #expect(second.status == 0)
    #expect(second.stdout.contains("     2  2026-11-21T10:00:44Z"))
    let check = try Binary.run([
      "diff", "--policy", two + "/deploy-declared.json", "SampleTrails/trails/deploy-1", "SampleTrails/trails/deploy-2",
      "--principal", Self.role, "--fail-on", "any",
    ])
    #expect(check.status == 0)
    #expect(check.stdout.contains("0 missing, 0 unused"))
    let lines = try String(contentsOfFile: history, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 2)
  }

  @Test("--history without --policy is a usage error")
  func historyNeedsPolicy() throws {
    let r = try Binary.run(["generate", "SampleTrails/trails/deploy-1", "--history", "/tmp/h.jsonl"])
    #expect(r.status == 2)
  }
}
