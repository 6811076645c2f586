import Foundation
import Testing
import TightenTestSupport

@Suite("tighten diff, end to end")
struct DiffEndToEndTests {
  static let trail = "SampleTrails/trails/deploy-1"
  static let declared = "SampleTrails/policies/deploy-declared.json"
  static let role = "cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1"

  func diff(_ extra: [String], policy: String = declared) throws -> Binary.Result {
    try Binary.run(["diff", "--policy", policy, Self.trail, "--principal", Self.role] + extra)
  }

  @Test("JSON: the fields of the contract, missing and unused as a person checked them")
  func json() throws {
    let r = try diff(["--format", "json"])
    #expect(r.status == 1)  // missing permissions, the default --fail-on
    let j = try Binary.json(r)
    #expect(j["policies"] as? [String] == ["deploy-declared.json"])
    let missing = try #require(j["missing"] as? [[String: Any]])
    #expect(
      missing.map { "\($0["action"]!) \($0["resource"]!) \($0["reason"]!)" } == [
        "iam:PassRole arn:aws:iam::111122223333:role/shop-dev-CheckoutRole not-granted",
        "lambda:CreateEventSourceMapping * not-granted",
        "ssm:PutParameter arn:aws:ssm:us-east-1:111122223333:parameter/shop-dev/api-url not-granted",
        "states:CreateStateMachine arn:aws:states:us-east-1:111122223333:stateMachine:shop-dev-Checkout not-granted",
      ])
    #expect(missing.first?["denied"] as? Int == 1)
    #expect(
      missing.map { $0["resourceBasis"] as? String } == ["exact", "no-resource-type", "exact", "exact"])
    let unused = try #require(j["unused"] as? [[String: Any]])
    #expect(
      unused.map { "\($0["statement"]!) \($0["action"]!)" } == [
        "Tables dynamodb:DeleteTable", "Functions lambda:DeleteFunction", "Roles iam:DeleteRole",
        "Queues sqs:SetQueueAttributes", "Logs logs:DeleteLogGroup", "Monitoring sns:CreateTopic",
        "Monitoring sns:Subscribe",
      ])
    // The Delete* grants and the queue's update are needed by the stack's resources later: lifecycle, not unused.
    #expect(
      unused.map { $0["kind"] as? String } == [
        "lifecycle", "lifecycle", "lifecycle", "lifecycle", "lifecycle", "unused", "unused",
      ])
    let tables = try #require(unused.first?["neededBy"] as? [[String: String]])
    #expect(
      tables == [
        [
          "resourceType": "AWS::DynamoDB::Table",
          "resource": "arn:aws:dynamodb:us-east-1:111122223333:table/shop-dev-OrdersTable", "phase": "delete",
        ],
        [
          "resourceType": "AWS::DynamoDB::Table",
          "resource": "arn:aws:dynamodb:us-east-1:111122223333:table/shop-dev-UsersTable", "phase": "delete",
        ],
      ])
    #expect(unused.allSatisfy { $0["policy"] as? String == "deploy-declared.json" })
    let overbroad = try #require(j["overbroad"] as? [[String: Any]])
    #expect(overbroad.map { $0["action"] as? String } == ["s3:*"])
  }

  @Test("exit status under --fail-on", arguments: [("missing", 1), ("unused", 1), ("any", 1), ("never", 0)])
  func failOn(_ mode: String, _ status: Int32) throws {
    #expect(try diff(["--fail-on", mode, "--format", "json"]).status == status)
  }

  @Test("a policy that allows every call exits 0 under the default --fail-on")
  func clean() throws {
    let r = try diff(["--format", "json"], policy: "SampleTrails/policies/bootstrap-template.yaml")
    #expect(r.status == 0)
    let j = try Binary.json(r)
    #expect((j["missing"] as? [Any])?.isEmpty == true)
    #expect((j["unused"] as? [Any])?.isEmpty == true)
  }

  @Test("text groups unused entries by policy and statement")
  func text() throws {
    let r = try diff([])
    #expect(r.stdout.contains("4 missing, 2 unused, 0 unobservable, 1 overbroad, 5 kept for the stack's life, "))
    #expect(r.stdout.contains("  deploy-declared.json\n    \"Monitoring\"\n      sns:CreateTopic\n"))
    #expect(
      r.stdout.contains(
        "\n    \"Tables\"\n      dynamodb:DeleteTable  needed by AWS::DynamoDB::Table arn:aws:dynamodb:us-east-1:111122223333:table/shop-dev-OrdersTable (delete), "
      ))
    #expect(!r.stdout.contains("\u{1B}["))  // no colour off a terminal
  }

  @Test("markdown for a pull request")
  func markdown() throws {
    let r = try diff(["--format", "markdown", "--fail-on", "never"])
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("## tighten diff\n"))
    #expect(
      r.stdout.contains(
        "| `iam:PassRole` | `arn:aws:iam::111122223333:role/shop-dev-CheckoutRole` | 1 | 1 | not-granted |"))
    #expect(r.stdout.contains("\n<details><summary><b>Unused</b> (7)</summary>\n"))
  }

  @Test("a bad policy stops diff with exit 2 and names the place")
  func badPolicy() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let bad = try Fixtures.write(
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3GetObject","Resource":"*"}]}"#,
      to: "bad.json", in: root)
    let r = try diff([], policy: bad)
    #expect(r.status == 2)
    #expect(
      r.stderr
        == "\(bad): error: Statement[0].Action[0]: action 's3GetObject' has no service prefix (expected service:Action)\n"
    )
    #expect(r.stdout.isEmpty)
  }

  @Test("findings with a failed input file exit 3")
  func partial() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    try Fixtures.write("{\"Records\": [", to: "cut.json", in: root)
    let r = try Binary.run([
      "diff", "--policy", Self.declared, Self.trail, root.path, "--principal", Self.role, "--format", "json",
    ])
    #expect(r.status == 3)
    #expect(r.stderr.contains("cut.json: error:"))
  }

  @Test("--baseline reports what is new and resolved, and --fail-on counts only new findings")
  func baseline() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let first = try diff(["--format", "json"])
    let baseline = try Fixtures.write(first.stdout, to: "baseline.json", in: root)
    let again = try diff(["--format", "json", "--baseline", baseline])
    #expect(again.status == 0)  // nothing new since the baseline
    let j = try Binary.json(again)
    let comparison = try #require(j["baseline"] as? [String: Any])
    #expect((comparison["newMissing"] as? [Any])?.isEmpty == true)
    let second = try Binary.run([
      "diff", "--policy", Self.declared, "SampleTrails/trails/deploy-2", "--principal", Self.role, "--format", "json",
      "--baseline", baseline,
    ])
    let later = try #require(try Binary.json(second)["baseline"] as? [String: Any])
    let newMissing = try #require(later["newMissing"] as? [[String: Any]])
    #expect(newMissing.map { $0["action"] as? String }.contains("lambda:UpdateFunctionCode"))
    let resolved = try #require(later["resolvedMissing"] as? [[String: Any]])
    #expect(resolved.map { $0["action"] as? String }.contains("ssm:PutParameter"))
  }

  @Test("authorization-details output without --principal is refused with exit 2")
  func detailsNeedPrincipal() throws {
    let details = Fixtures.path("policies/authorization-details.json")
    let r = try Binary.run(["diff", "--policy", details, Self.trail])
    #expect(r.status == 2)
    #expect(r.stderr.contains("needs --principal"))
  }
}
