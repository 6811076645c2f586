import Foundation
import Testing
import TightenTestSupport

/// tighten as a CI gate runs it: typos, duplicate names and old output folders must never pass silently
/// or cost a user's files.
@Suite("A gate teams can trust, end to end")
struct GateEndToEndTests {
  static let trail = "SampleTrails/trails/deploy-1"
  static let role = "cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1"
  static let declared = "SampleTrails/policies/deploy-declared.json"

  @Test(
    "a filter value that selects no call is exit 2, naming what the trails hold and the closest value",
    arguments: [
      (
        ["--principal", "cdk-hnb659fds-cfn-exec-role-111122223333-us-east-2"],
        "tighten: error: --principal 'cdk-hnb659fds-cfn-exec-role-111122223333-us-east-2' matches no call in the trails, which hold arn:aws:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1 (39 events), arn:aws:iam::111122223333:role/cdk-hnb659fds-deploy-role-111122223333-us-east-1 (7 events), arn:aws:iam::111122223333:role/cdk-hnb659fds-file-publishing-role-111122223333-us-east-1 (1 event), arn:aws:iam::111122223333:user/alice (3 events); did you mean 'cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1'?\n"
      ),
      (
        ["--principal", GateEndToEndTests.role, "--principal", "Alice"],
        "tighten: error: --principal 'Alice' matches no call in the trails, which hold arn:aws:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1 (39 events), arn:aws:iam::111122223333:role/cdk-hnb659fds-deploy-role-111122223333-us-east-1 (7 events), arn:aws:iam::111122223333:role/cdk-hnb659fds-file-publishing-role-111122223333-us-east-1 (1 event), arn:aws:iam::111122223333:user/alice (3 events); did you mean 'alice'?\n"
      ),
      (
        ["--region", "us-east1"],
        "tighten: error: --region 'us-east1' matches no call in the trails, which hold eu-west-1, us-east-1; did you mean 'us-east-1'?\n"
      ),
      (
        ["--account", "111122223334"],
        "tighten: error: --account '111122223334' matches no call in the trails, which hold 111122223333; did you mean '111122223333'?\n"
      ),
    ])
  func unmatched(_ filter: [String], _ message: String) throws {
    for command in [["scan"], ["diff", "--policy", Self.declared, "--fail-on", "never"], ["generate"]] {
      let r = try Binary.run(command + [Self.trail] + filter)
      #expect(r.status == 2, "\(command)")
      #expect(r.stderr == message, "\(command)")
      #expect(r.stdout.isEmpty)
    }
  }

  @Test("a principal given as its session ARN, or its role's, matches")
  func sessionMatches() throws {
    let session = "arn:aws:sts::111122223333:assumed-role/\(Self.role)/AWSCloudFormation"
    #expect(try Binary.run(["scan", Self.trail, "--principal", session]).status == 0)
    #expect(
      try Binary.run(["scan", Self.trail, "--principal", "arn:aws:iam::111122223333:role/\(Self.role)"]).status == 0)
  }

  @Test("diff and generate without --principal on several principals' calls warn which were merged")
  func merged() throws {
    let r = try Binary.run(["diff", "--policy", Self.declared, Self.trail, "--fail-on", "never"])
    #expect(r.status == 0)
    #expect(
      r.stderr
        == "tighten: warning: the calls of 4 principals are merged into one (arn:aws:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1, arn:aws:iam::111122223333:role/cdk-hnb659fds-deploy-role-111122223333-us-east-1, arn:aws:iam::111122223333:role/cdk-hnb659fds-file-publishing-role-111122223333-us-east-1, arn:aws:iam::111122223333:user/alice); give --principal to pick one\n"
    )
    #expect(
      try Binary.run(["diff", "--policy", Self.declared, Self.trail, "--principal", Self.role, "--fail-on", "never"])
        .stderr.isEmpty)
  }

  @Test("two policy files of one base name keep distinct names in reports and in generate's output")
  func duplicateNames() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let prod = try Fixtures.write(
      #"{"Version":"2012-10-17","Statement":{"Sid":"P","Effect":"Allow","Action":"sns:Publish","Resource":"*"}}"#,
      to: "prod/deploy.json", in: root)
    let dev = try Fixtures.write(
      #"{"Version":"2012-10-17","Statement":{"Sid":"D","Effect":"Allow","Action":"sqs:CreateQueue","Resource":"*"}}"#,
      to: "dev/deploy.json", in: root)
    let r = try Binary.run([
      "diff", "--policy", prod, "--policy", dev, Self.trail, "--principal", Self.role, "--format", "json",
      "--fail-on", "never",
    ])
    let j = try Binary.json(r)
    #expect(j["policies"] as? [String] == ["prod/deploy.json", "dev/deploy.json"])
    let out = root.appendingPathComponent("out").path
    let g = try Binary.run([
      "generate", Self.trail, "--principal", Self.role, "--policy", prod, "--policy", dev, "--lifecycle", "observed",
      "--output", out,
    ])
    #expect(g.status == 0)
    let written = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
    #expect(written == [".tighten-manifest.json", "dev.deploy.json", "prod.deploy.json"])
  }

  @Test(
    "an output folder: tighten's stale split files go, a user's files stay, a file it did not write is not replaced")
  func staleFolder() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("out").path
    let base = ["generate", Self.trail, "--principal", Self.role, "--lifecycle", "observed", "--output", out]
    #expect(try Binary.run(base + ["--max-size", "2000"]).status == 0)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: out).sorted() == [
        ".tighten-manifest.json", "policy-1.json", "policy-2.json",
      ])
    let mine = try Fixtures.write("keep me\n", to: "out/README.md", in: root)
    #expect(try Binary.run(base).status == 0)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: out).sorted() == [
        ".tighten-manifest.json", "README.md", "policy.json",
      ])
    #expect(try String(contentsOfFile: mine, encoding: .utf8) == "keep me\n")
    // The user edits the policy: the next run does not overwrite it without --force.
    try "{\"edited\": true}\n".write(toFile: out + "/policy.json", atomically: true, encoding: .utf8)
    let refused = try Binary.run(base)
    #expect(refused.status == 2)
    #expect(
      refused.stderr
        == "\(out)/policy.json: error: exists and tighten did not write it (or it changed since); give --force to replace it\n"
    )
    #expect(try String(contentsOfFile: out + "/policy.json", encoding: .utf8) == "{\"edited\": true}\n")
    #expect(try Binary.run(base + ["--force"]).status == 0)
    #expect(try String(contentsOfFile: out + "/policy.json", encoding: .utf8).hasPrefix("{\n  \"Version\""))
  }
}

@Suite("Gate edges found in review, end to end")
struct GateReviewTests {
  @Test("an output file tighten cannot read is not replaced without --force")
  func unreadable() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("out").path
    let secret = try Fixtures.write("mine\n", to: "out/policy.json", in: root)
    try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: secret)
    defer { try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret) }
    let r = try Binary.run([
      "generate", GateEndToEndTests.trail, "--principal", GateEndToEndTests.role, "--lifecycle", "observed",
      "--output", out,
    ])
    // root reads any file: then it is simply not tighten's, and refused as such.
    #expect(r.status == 2)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret)
    #expect(try String(contentsOfFile: secret, encoding: .utf8) == "mine\n")
  }

  @Test("standard input can feed only one of simulate's files; a refinement needs a trail")
  func usage() throws {
    let p = "SampleTrails/policies/broad.json"
    #expect(try Binary.run(["simulate", "--policy", "-", "--requests", "-"]).status == 2)
    #expect(try Binary.run(["simulate", "--policy", p, "--scp", "-", "--requests", "-"]).status == 2)
    #expect(try Binary.run(["generate", "--policy", p, "--template", Fixtures.path("templates/api.yaml")]).status == 2)
  }
}
