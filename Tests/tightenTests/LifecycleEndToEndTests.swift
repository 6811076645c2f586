import Foundation
import Testing
import TightenTestSupport

/// The whole life of the sample stack: the policy generated from its first
/// deploy must allow its update and its destroy.
@Suite("The stack's whole life, end to end")
struct LifecycleEndToEndTests {
  static let role = "cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1"

  func policies(_ folder: String) throws -> [String] {
    // As a deploy step's `DIR/*.json` sees them: not the manifest (a dot file).
    try FileManager.default.contentsOfDirectory(atPath: folder).sorted().filter { !$0.hasPrefix(".") }.flatMap {
      ["--policy", folder + "/" + $0]
    }
  }

  @Test(
    "the lifecycle policy of the first deploy allows the update and the destroy; the observed-only one refuses them")
  func destroy() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let all = root.appendingPathComponent("all").path
    let observed = root.appendingPathComponent("observed").path
    let made = try Binary.run(["generate", "SampleTrails/trails/deploy-1", "--principal", Self.role, "--output", all])
    #expect(made.status == 0)
    #expect(made.stdout.contains("\nPredicted: "))
    #expect(
      try Binary.run([
        "generate", "SampleTrails/trails/deploy-1", "--principal", Self.role, "--lifecycle", "observed", "--output",
        observed,
      ]).status == 0)
    let later = ["SampleTrails/trails/deploy-2", "SampleTrails/trails/destroy", "--principal", Self.role]
    let allowed = try Binary.run(["diff"] + (try policies(all)) + later + ["--format", "json"])
    #expect(allowed.status == 0)
    #expect((try Binary.json(allowed)["missing"] as? [Any])?.isEmpty == true)
    let refused = try Binary.run(["diff"] + (try policies(observed)) + later + ["--format", "json"])
    #expect(refused.status == 1)
    let missing = try #require(try Binary.json(refused)["missing"] as? [[String: Any]])
    let actions = Set(missing.compactMap { $0["action"] as? String })
    for action in ["dynamodb:DeleteTable", "lambda:DeleteFunction", "iam:DeleteRole", "logs:DeleteLogGroup"] {
      #expect(actions.contains(action), "\(action)")
    }
    #expect(missing.count == 26)
  }

  @Test("--fail-on unused does not count grants the stack's resources need later")
  func failOnUnused() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let policy = try Fixtures.write(
      #"{"Version":"2012-10-17","Statement":[{"Sid":"Delete","Effect":"Allow","Action":"dynamodb:DeleteTable","Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/shop-dev-*"}]}"#,
      to: "p.json", in: root)
    let r = try Binary.run([
      "diff", "--policy", policy, "SampleTrails/trails/deploy-1", "--principal", Self.role, "--fail-on", "unused",
      "--format", "json",
    ])
    let unused = try #require(try Binary.json(r)["unused"] as? [[String: Any]])
    #expect(unused.map { $0["kind"] as? String } == ["lifecycle"])
    #expect(r.status == 0)
    let predicted = try #require(try Binary.json(r)["predicted"] as? [[String: Any]])
    #expect(predicted.contains { $0["action"] as? String == "lambda:DeleteFunction" })
  }

  @Test("before the first deploy: the starting policy from the template alone")
  func templateOnly() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("out").path
    let r = try Binary.run([
      "generate", "--template", Fixtures.path("templates/api.yaml"), "--output", out,
    ])
    #expect(r.status == 0)
    let text = try FileManager.default.contentsOfDirectory(atPath: out).map {
      try String(contentsOfFile: out + "/" + $0, encoding: .utf8)
    }.joined()
    #expect(text.contains("\"lambda:CreateFunction\""))
    #expect(text.contains("\"lambda:DeleteFunction\""))
    #expect(text.contains("arn:aws:lambda:*:*:function:*api*"))
    #expect(text.contains("\"ec2:DescribeSubnets\""))
    #expect(try Binary.run(["generate", "--output", out]).status == 2)  // neither trail nor template
  }

  @Test("refinement keeps what the stack needs, marks what it predicts in the history, and promotes it when seen")
  func history() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let history = root.appendingPathComponent("history.jsonl").path
    let one = root.appendingPathComponent("one").path
    let first = try Binary.run([
      "generate", "SampleTrails/trails/deploy-1", "--principal", Self.role, "--policy",
      "SampleTrails/policies/deploy-declared.json", "--output", one, "--history", history,
    ])
    #expect(first.status == 0)
    #expect(first.stdout.contains("Changes: 4 added, 2 removed, 0 narrowed"))
    #expect(first.stdout.contains("5 kept for the stack's life"))
    #expect(
      first.stdout.contains(
        "  = dynamodb:DeleteTable  (deploy-declared.json Tables): the stack's resources need it, kept\n"))
    let two = root.appendingPathComponent("two").path
    let second = try Binary.run(
      ["generate", "SampleTrails/trails/destroy", "--principal", Self.role, "--output", two, "--history", history]
        + (try policies(one)))
    #expect(second.status == 0)
    #expect(second.stdout.contains("promoted to observed"))
    #expect(
      second.stdout.contains(
        "  ^ lambda:DeleteEventSourceMapping arn:aws:lambda:us-east-1:111122223333:event-source-mapping:*  (predicted before, observed now)\n"
      ))
    let turns = try String(contentsOfFile: history, encoding: .utf8).split(separator: "\n")
    #expect(turns.count == 2)
    #expect(turns[0].contains("\"predicted\": ["))
    #expect(turns[1].contains("\"promoted\": ["))
  }
}
