import Foundation
import Testing
import TightenTestSupport

/// `tighten simulate` and the policy-type options of `diff`, run as a user runs them.
@Suite("tighten simulate, end to end")
struct SimulateEndToEndTests {
  static let policy = #"""
    {"Version":"2012-10-17","Statement":[
     {"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
     {"Sid":"Deployer","Effect":"Allow","Action":"iam:GetRole","Resource":"*",
      "Condition":{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::${aws:PrincipalAccount}:role/deployer"}}},
     {"Sid":"Keys","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"},
     {"Sid":"OnlyViaS3","Effect":"Deny","Action":"kms:Decrypt","Resource":"*",
      "Condition":{"ForAnyValue:StringNotEquals":{"aws:CalledVia":"s3.amazonaws.com"}}}]}
    """#
  static let boundary =
    #"{"Version":"2012-10-17","Statement":{"Sid":"NoIAM","Effect":"Allow","NotAction":"iam:*","Resource":"*"}}"#
  static let scp =
    #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"NoKMS","Effect":"Deny","Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}"#

  static func files() throws -> (URL, String, String, String) {
    let folder = try Fixtures.temporaryFolder()
    return (
      folder, try Fixtures.write(policy, to: "p.json", in: folder),
      try Fixtures.write(boundary, to: "boundary.json", in: folder), try Fixtures.write(scp, to: "scp.json", in: folder)
    )
  }

  @Test("one request from flags: the decision, the statement that decided it, exit 0")
  func allowed() throws {
    let (folder, policy, _, _) = try Self.files()
    defer { try? FileManager.default.removeItem(at: folder) }
    let r = try Binary.run([
      "simulate", "--policy", policy, "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k",
    ])
    #expect(r.status == 0)
    #expect(r.stdout == "allowed  s3:GetObject  arn:aws:s3:::b/k\n  Allow: p.json \"Read\"\n")
    let json = try Binary.run(
      [
        "simulate", "--policy", policy, "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k", "--format",
        "json",
      ])
    #expect(
      json.stdout
        == #"{"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "decision": "allowed", "matched": [{"policy": "p.json", "statement": "Read", "effect": "Allow"}], "missingContextKeys": []}"#
        + "\n")
  }

  @Test("--principal settles the principal's keys; without it they are named as not given, and the request is refused")
  func principal() throws {
    let (folder, policy, _, _) = try Self.files()
    defer { try? FileManager.default.removeItem(at: folder) }
    let base = [
      "simulate", "--policy", policy, "--action", "iam:GetRole", "--resource", "arn:aws:iam::111122223333:role/x",
    ]
    let given = try Binary.run(base + ["--principal", "arn:aws:iam::111122223333:role/deployer"])
    #expect(given.status == 0)
    let missing = try Binary.run(base + ["--format", "json"])
    #expect(missing.status == 1)
    #expect(
      missing.stdout
        == #"{"action": "iam:GetRole", "resource": "arn:aws:iam::111122223333:role/x", "decision": "not-granted", "layer": "identity", "matched": [], "missingContextKeys": ["aws:PrincipalAccount", "aws:PrincipalArn"]}"#
        + "\n")
  }

  @Test("a boundary's and an SCP's refusals name their layer; a repeated --context key has several values")
  func layers() throws {
    let (folder, policy, boundary, scp) = try Self.files()
    defer { try? FileManager.default.removeItem(at: folder) }
    let iam = try Binary.run([
      "simulate", "--policy", policy, "--boundary", boundary, "--action", "iam:GetRole", "--resource", "*",
      "--principal", "arn:aws:iam::111122223333:role/deployer",
    ])
    #expect(iam.status == 1)
    #expect(iam.stdout == "not-granted  iam:GetRole  *  (boundary)\n")
    let kms = try Binary.run([
      "simulate", "--policy", policy, "--scp", scp, "--action", "kms:Decrypt", "--resource", "*", "--context",
      "aws:RequestedRegion=us-east-1", "--context", "aws:CalledVia=s3.amazonaws.com", "--context",
      "aws:CalledVia=athena.amazonaws.com",
    ])
    #expect(kms.status == 1)
    #expect(kms.stdout == "explicit-deny  kms:Decrypt  *  (identity)\n  Deny: p.json \"OnlyViaS3\"\n")
    let region = try Binary.run([
      "simulate", "--policy", policy, "--scp", scp, "--action", "kms:Decrypt", "--resource", "*", "--context",
      "aws:RequestedRegion=eu-west-1", "--context", "aws:CalledVia=s3.amazonaws.com",
    ])
    #expect(region.stdout == "explicit-deny  kms:Decrypt  *  (scp)\n  Deny: scp.json \"NoKMS\"\n")
  }

  @Test("--requests: one JSON line per request, in order; a bad line is named and answered in place, exit 3")
  func requests() throws {
    let (folder, policy, _, _) = try Self.files()
    defer { try? FileManager.default.removeItem(at: folder) }
    let lines = """
      {"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"}
      {"action": "s3:GetObject", "resource": "arn:aws:s3:::other/k"}
      {"action": "s3GetObject"}

      {"action": "kms:Decrypt", "context": {"aws:CalledVia": ["s3.amazonaws.com"]}}
      """
    let r = try Binary.run(
      ["simulate", "--policy", policy, "--requests", "-", "--format", "json"], stdin: Data(lines.utf8))
    #expect(r.status == 3)
    let out = r.stdout.split(separator: "\n").map(String.init)
    #expect(out.count == 4)
    #expect(out[0].contains(#""decision": "allowed""#))
    #expect(out[1].contains(#""decision": "not-granted""#))
    #expect(out[2] == #"{"error": "<stdin>:3: 's3GetObject' is not an action (expected service:Action)"}"#)
    #expect(out[3].contains(#""decision": "allowed""#) && out[3].contains(#""statement": "Keys""#))
    #expect(r.stderr == "<stdin>:3: error: 's3GetObject' is not an action (expected service:Action)\n")
  }

  @Test("a requests file that cannot be read, and bad flags, exit 2")
  func cannotRun() throws {
    let (folder, policy, _, _) = try Self.files()
    defer { try? FileManager.default.removeItem(at: folder) }
    let missing = try Binary.run(["simulate", "--policy", policy, "--requests", folder.path + "/none.jsonl"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("none.jsonl: error: cannot read the requests file"))
    #expect(try Binary.run(["simulate", "--policy", policy]).status == 2)
    #expect(try Binary.run(["simulate", "--policy", policy, "--action", "s3GetObject"]).status == 2)
    #expect(
      try Binary.run(["simulate", "--policy", policy, "--action", "s3:GetObject", "--context", "novalue"]).status == 2)
  }
}

@Suite("tighten diff with a boundary, organisation policies and invalid entries, end to end")
struct DiffLayersEndToEndTests {
  static let trail = "SampleTrails/trails/deploy-1"
  static let role = "cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1"

  @Test("missing calls carry the layer that refuses them; --fail-on invalid fails on a typo")
  func layers() throws {
    let folder = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let boundary = try Fixtures.write(
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}"#, to: "b.json",
      in: folder)
    let root = try Fixtures.write(
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#, to: "root.json",
      in: folder)
    let ou = try Fixtures.write(
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"lambda:*","Resource":"*"}]}"#,
      to: "ou.json", in: folder)
    let r = try Binary.run([
      "diff", "--policy", "SampleTrails/policies/broad.json", Self.trail, "--principal", Self.role, "--boundary",
      boundary, "--scp", root, "--scp", ou, "--format", "json",
    ])
    #expect(r.status == 1)
    let j = try Binary.json(r)
    let missing = try #require(j["missing"] as? [[String: Any]])
    var reasons: [String: Int] = [:]
    for m in missing {
      reasons["\(m["action"]!)".components(separatedBy: ":")[0] + " " + "\(m["reason"]!)", default: 0] += 1
    }
    #expect(reasons == ["iam boundary": 11, "lambda scp": 6])
    #expect(j["policies"] as? [String] == ["broad.json"])

    let typo = try Fixtures.write(
      #"{"Version":"2012-10-17","Statement":{"Sid":"T","Effect":"Allow","Action":["s3:*","lambda:CreateFuntion"],"Resource":"*"}}"#,
      to: "typo.json", in: folder)
    let clean = try Binary.run(["diff", "--policy", typo, Self.trail, "--principal", Self.role, "--fail-on", "never"])
    #expect(clean.status == 0)
    #expect(
      clean.stdout.contains(
        "\nInvalid: entries that name no action IAM has\n  typo.json\n    \"T\"\n      lambda:CreateFuntion  (no such action; did you mean lambda:CreateFunction?)\n"
      ))
    let gate = try Binary.run(["diff", "--policy", typo, Self.trail, "--principal", Self.role, "--fail-on", "invalid"])
    #expect(gate.status == 1)
  }
}
