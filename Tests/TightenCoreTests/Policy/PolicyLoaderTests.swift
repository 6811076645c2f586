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
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:","Resource":"*"}]}"#,
        "Statement[0].Action[0]", "action 's3:' has no action name after 's3:'"
      ),
      (
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"aws:username":"x"}}}]}"#,
        "Statement[0].Condition.StringEqualz", "'StringEqualz' is not a condition operator IAM has"
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

@Suite("Policy types from files")
struct PolicyLayerLoadingTests {
  @Test("authorization details apply the permissions boundary attached to the role")
  func attachedBoundary() throws {
    let path = Fixtures.path("policies/authorization-details-boundary.json")
    let set = try DeclaredPolicies.load([path], principals: ["deployer"]).bound(to: .unknown)
    #expect(
      set.documents.map { "\($0.name) \($0.layer.name)" } == [
        "authorization-details-boundary.json:PowerDeploy identity",
        "authorization-details-boundary.json:DeployBoundary boundary",
      ])
    #expect(set.warnings.isEmpty)
  }

  @Test("--boundary replaces the attached boundary, and says so")
  func givenBoundary() throws {
    let folder = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let boundary = try Fixtures.write(
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#, to: "b.json",
      in: folder)
    let path = Fixtures.path("policies/authorization-details-boundary.json")
    let set = try DeclaredPolicies.load([path], principals: ["deployer"], boundary: boundary).bound(to: .unknown)
    #expect(
      set.documents.map { "\($0.name) \($0.layer.name)" } == [
        "authorization-details-boundary.json:PowerDeploy identity", "b.json boundary",
      ])
    #expect(
      set.warnings.map(\.message) == [
        "the permissions boundary authorization-details-boundary.json:DeployBoundary is not applied: --boundary \(boundary) replaces it"
      ])
  }

  @Test("organisation files are levels, root first; one that names a Principal is a resource control policy")
  func levels() throws {
    let folder = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let root = try Fixtures.write(
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#, to: "root.json",
      in: folder)
    let rcp = try Fixtures.write(
      #"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}"#,
      to: "rcp.json", in: folder)
    let session = try Fixtures.write(
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#, to: "s.json",
      in: folder)
    let declared = try DeclaredPolicies.load([root], organization: [root, rcp], session: session)
    #expect(
      try declared.bound(to: .unknown).documents.map(\.layer) == [
        .identity, .organization(level: 0), .resourceControl(level: 1), .session,
      ])
    #expect(declared.names == ["root.json"])
    // A Principal stays refused in an identity policy.
    #expect(throws: PolicyError.self) { try DeclaredPolicies.load([rcp]) }
  }
}
