import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("PolicyLoader")
struct PolicyLoaderTests {
  static func load(_ text: String, name: String = "policy.json", loader: PolicyLoader = .init()) throws -> PolicySet {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let path = try Fixtures.write(text, to: name, in: root)
    return try loader.load([path])
  }

  static func error(_ text: String, name: String = "policy.json", loader: PolicyLoader = .init()) -> PolicyError? {
    do {
      _ = try load(text, name: name, loader: loader)
      return nil
    } catch let e as PolicyError {
      return e
    } catch {
      return nil
    }
  }

  @Test("accepts the grammar's freedoms: one statement or many, strings or arrays, Sid or not")
  func grammar() throws {
    let set = try Self.load(
      #"""
      {"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
        {"Sid":"Two","Effect":"Deny","NotAction":["iam:*","sts:*"],"NotResource":"arn:aws:iam::1:role/x",
         "Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"s3:max-keys":[10, 20]}}}]}
      """#)
    let statements = try #require(set.documents.first).statements
    #expect(statements.map(\.label) == ["#0", "Two"])
    #expect(statements[0].actions == ["s3:GetObject"])
    #expect(statements[1].notActions == ["iam:*", "sts:*"])
    #expect(
      statements[1].conditions == [
        ConditionClause(op: "Bool", key: "aws:SecureTransport", values: ["false"]),
        ConditionClause(op: "NumericLessThan", key: "s3:max-keys", values: ["10", "20"]),
      ])
    let single = try Self.load(#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#)
    #expect(single.documents.first?.statements.first?.label == "#0")
  }

  @Test(
    "a bad policy names the place and the reason",
    arguments: [
      (
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject""#, "line 1, column 79",
        "invalid JSON: the JSON ends too early"
      ),
      (#"{"Version":"2012-10-17","Statement":[]}"#, "Statement", "Statement is empty"),
      (#"{"Version":"2012-10-17"}"#, "", "the policy has no Statement"),
      (
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3GetObject"],"Resource":"*"}]}"#,
        "Statement[0].Action[1]", "action 's3GetObject' has no service prefix"
      ),
      (
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Actions":"s3:*","Resource":"*"}]}"#,
        "Statement[0].Actions", "unknown field 'Actions'"
      ),
      (
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"s3:*","Resource":"*"}]}"#,
        "Statement[0].Effect", "Effect must be Allow or Deny"
      ),
      (#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}"#, "Statement[0]", "no Resource"),
      (
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}"#,
        "Statement[0].Principal", "not allowed in an identity-based policy"
      ),
      (#"{"Version":"2012-10-16","Statement":[]}"#, "Version", "Version must be"),
      (#"{"Foo": 1}"#, "", "not an IAM policy"),
      (#"[1, 2]"#, "", "expected a JSON or YAML object"),
    ])
  func errors(_ text: String, _ place: String, _ reason: String) throws {
    let error = try #require(Self.error(text))
    #expect(error.place == place)
    #expect(error.reason.contains(reason), "\(error.reason)")
    #expect(error.path.hasSuffix("policy.json"))
  }

  @Test("reads a template's IAM policies, resolving what the trail knows and warning for the rest")
  func jsonTemplate() throws {
    let loader = PolicyLoader(account: "111122223333", region: "eu-west-1")
    let set = try loader.load([Fixtures.path("policies/template.json")])
    #expect(set.documents.map(\.name) == ["template.json:Role/inline", "template.json:Extra"])
    let resources = set.documents.flatMap(\.statements).map { $0.resources ?? [] }
    #expect(
      resources == [
        ["*"], ["arn:aws:dynamodb:eu-west-1:111122223333:table/app-dev"], ["arn:aws:s3:::*/*"],
        ["arn:aws:logs:eu-west-1:111122223333:log-group:${Literal}"],
      ])
    #expect(set.warnings.map(\.message).contains { $0.contains("Fn::GetAtt") })
    #expect(set.warnings.map(\.message).contains { $0.contains("Ref Secret") })
  }

  @Test("reads YAML templates with short-form tags")
  func yamlTemplate() throws {
    let loader = PolicyLoader(account: "111122223333", region: "us-east-1")
    let set = try loader.load([Fixtures.sampleTrails.appendingPathComponent("policies/bootstrap-template.yaml").path])
    let statements = try #require(set.documents.first).statements
    #expect(statements.first?.resources == ["arn:aws:dynamodb:us-east-1:111122223333:table/shop-dev-*"])
    #expect(statements[2].resources == ["arn:aws:iam::111122223333:role/shop-dev-*"])
    #expect(statements[3].label == "Everything else the deploy touches")
    #expect(set.warnings.isEmpty)
  }

  @Test("an unknown account in a template becomes * with a warning")
  func unknownAccount() throws {
    let set = try PolicyLoader().load([
      Fixtures.sampleTrails.appendingPathComponent("policies/bootstrap-template.yaml").path
    ])
    #expect(set.documents.first?.statements.first?.resources == ["arn:aws:dynamodb:*:*:table/shop-dev-*"])
    #expect(set.warnings.contains { $0.message.contains("AWS::AccountId") })
  }

  @Test("authorization details: a role's inline and attached policies, default versions only")
  func authorizationDetailsRole() throws {
    let path = Fixtures.path("policies/authorization-details.json")
    let set = try PolicyLoader(principals: ["arn:aws:iam::111122223333:role/deploy/cfn-exec"]).load([path])
    #expect(
      set.documents.map(\.name) == ["authorization-details.json:cfn-exec/inline", "authorization-details.json:Deploy"])
    #expect(set.documents[1].statements.first?.actions == ["lambda:*"])
    #expect(
      set.warnings.map(\.message) == [
        "managed policy arn:aws:iam::aws:policy/AdministratorAccess is not in the file; its permissions are not counted"
      ])
  }

  @Test("authorization details: a user's own, group and group-attached policies")
  func authorizationDetailsUser() throws {
    let set = try PolicyLoader(principals: ["alice"]).load([Fixtures.path("policies/authorization-details.json")])
    #expect(
      set.documents.map(\.name) == [
        "authorization-details.json:alice/own", "authorization-details.json:developers/read",
        "authorization-details.json:ReadOnlyLogs",
      ])
    #expect(set.documents[1].statements.first?.actions == ["ec2:Describe*"])  // URL-encoded document
  }

  @Test("authorization details need --principal, and a principal that is in the file")
  func authorizationDetailsPrincipal() throws {
    let path = Fixtures.path("policies/authorization-details.json")
    #expect(throws: PolicyError.self) { try PolicyLoader().load([path]) }
    let error = #expect(throws: PolicyError.self) { try PolicyLoader(principals: ["nobody"]).load([path]) }
    #expect(error?.reason.contains("no role or user matching") == true)
  }

  @Test("a missing file is an error naming it")
  func missingFile() {
    let error = #expect(throws: PolicyError.self) { try PolicyLoader().load(["/nonexistent/p.json"]) }
    #expect(error?.path == "/nonexistent/p.json")
  }
}

@Suite("Differ")
struct DifferTests {
  static func analysis(_ records: [String]) -> TrailAnalysis {
    TrailAnalyzer(workers: 1).analyze(bytes: Array(Records.file(records).utf8))
  }

  @Test("missing rows sum calls and keep the most severe reason")
  func missing() throws {
    let a = Self.analysis([
      Records.record(name: "PutObject"), Records.record(name: "PutObject", errorCode: "AccessDenied"),
      Records.record(name: "GetObject"),
    ])
    let set = try policySet(
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#)
    let result = Differ(policies: set, workers: 1).diff(a, policyFiles: ["p.json"])
    #expect(
      result.missing == [
        DiffResult.Missing(
          action: "s3:PutObject", resource: "arn:aws:s3:::b/k", count: 2, denied: 1, reason: .notGranted)
      ])
  }

  @Test("grants of data-event actions are unobservable when the trail holds no data events, unused otherwise")
  func unobservable() throws {
    let set = try policySet(
      #"""
      {"Version":"2012-10-17","Statement":{"Sid":"S","Effect":"Allow","Action":["s3:GetObject","s3:CreateBucket","ec2:Describe*"],"Resource":"*"}}
      """#)
    let management = Self.analysis([
      Records.record(source: "ec2.amazonaws.com", name: "DescribeVpcs", extra: #""eventCategory":"Management""#)
    ])
    let result = Differ(policies: set, workers: 1).diff(management, policyFiles: ["p.json"])
    #expect(result.unused.map { "\($0.action) \($0.kind)" } == ["s3:GetObject unobservable", "s3:CreateBucket unused"])
    let withData = Self.analysis([
      Records.record(source: "ec2.amazonaws.com", name: "DescribeVpcs"),
      Records.record(name: "PutObject", extra: #""eventCategory":"Data""#),
    ])
    let second = Differ(policies: set, workers: 1).diff(withData, policyFiles: ["p.json"])
    #expect(second.unused.map { "\($0.action) \($0.kind)" } == ["s3:GetObject unused", "s3:CreateBucket unused"])
  }

  @Test("wildcards of which only some actions were used are overbroad, with the used ones")
  func overbroad() throws {
    let set = try policySet(
      #"{"Version":"2012-10-17","Statement":{"Sid":"All","Effect":"Allow","Action":["s3:*","s3:Get*"],"Resource":"*"}}"#
    )
    let a = Self.analysis([Records.record(name: "GetObject")])
    let result = Differ(policies: set, workers: 1).diff(a, policyFiles: ["p.json"])
    #expect(result.overbroad.map(\.action) == ["s3:*", "s3:Get*"])
    #expect(result.overbroad.first?.usedActions == ["s3:GetObject"])
    #expect(result.unused.isEmpty)
  }

  @Test("an unused NotAction statement is reported as such")
  func notAction() throws {
    let set = try policySet(
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"arn:aws:s3:::other/*"}}"#)
    let result = Differ(policies: set, workers: 1).diff(
      Self.analysis([Records.record(name: "GetObject")]), policyFiles: ["p.json"])
    #expect(result.unused.map(\.action) == ["NotAction: iam:*"])
  }

  @Test("the same findings whatever the number of workers")
  func deterministic() throws {
    let a = TrailAnalyzer().analyze(paths: [Fixtures.path("trails/invictus-aws-dataset")])
    let set = try policySet(
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["ec2:Describe*","s3:*"],"Resource":"*"}}"#)
    let one = DiffReport.json(Differ(policies: set, workers: 1).diff(a, policyFiles: ["p.json"]))
    let many = DiffReport.json(Differ(policies: set, workers: 4).diff(a, policyFiles: ["p.json"]))
    #expect(one == many)
  }

  @Test("a baseline tells new findings from resolved ones")
  func baseline() throws {
    let set = try policySet(
      #"{"Version":"2012-10-17","Statement":{"Sid":"S","Effect":"Allow","Action":["s3:GetObject","s3:DeleteObject"],"Resource":"*"}}"#
    )
    let before = Differ(policies: set, workers: 1).diff(
      Self.analysis([Records.record(name: "PutObject")]), policyFiles: ["p.json"])
    let after = Differ(policies: set, workers: 1).diff(
      Self.analysis([Records.record(name: "GetObject"), Records.record(name: "ListBuckets")]), policyFiles: ["p.json"])
    let comparison = try BaselineComparison.compare(after, baselineText: DiffReport.json(before), path: "before.json")
    #expect(comparison.newMissing.map(\.action) == ["s3:ListAllMyBuckets"])
    #expect(comparison.resolvedMissing.map(\.action) == ["s3:PutObject"])
    #expect(comparison.newUnused.isEmpty)
    #expect(comparison.resolvedUnused.map(\.action) == ["s3:GetObject"])
  }
}

@Suite("Fuzzer findings")
struct FuzzerFindingTests {
  @Test("a YAML scalar shaped like an overflowing base-60 number is text, not a crash (found by the policy fuzzer)")
  func sexagesimal() throws {
    let text =
      "Statement:\n  Effect: Allow\n  Action: \"*\"\n  Resource: \"*\"\n  Sid: 1:59:59:59:59:59:59:59:59:59:59:59:59:59:59\n"
    let set = try PolicyLoader().load(text: text, name: "t.yaml")
    #expect(set.documents.first?.statements.first?.label == "1:59:59:59:59:59:59:59:59:59:59:59:59:59:59")
  }
}
