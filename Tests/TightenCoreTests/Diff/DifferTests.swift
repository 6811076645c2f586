import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

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

@Suite("Invalid policy entries")
struct InvalidEntriesTests {
  @Test(
    "an entry that names nothing IAM has: why, and the nearest real action",
    arguments: [
      ("s3:CreateBuckett", "unknown-action", "s3:CreateBucket"),
      ("S3:getobjekt", "unknown-action", "s3:GetObject"),
      ("s33:GetObject", "unknown-service", "s3:GetObject"),
      ("nosuchservicex:Get", "unknown-service", nil),
      ("s3:Frobnicate*", "matches-nothing", nil),
      ("dynamodb:Zzzzzzzzzzzz", "unknown-action", nil),
    ] as [(String, String, String?)])
  func invalid(_ entry: String, _ reason: String, _ suggestion: String?) throws {
    let found = try #require(InvalidEntries.check(entry, .shared))
    #expect(found.0.rawValue == reason)
    #expect(found.1 == suggestion)
  }

  @Test("real actions, wildcards that match some and wildcard services are not invalid")
  func valid() {
    for entry in ["s3:GetObject", "S3:GETOBJECT", "s3:Get*", "*", "s3:*", "*:Get*", "ec2:Describe?pcs"] {
      #expect(InvalidEntries.check(entry, .shared) == nil, "\(entry)")
    }
  }

  @Test("diff lists invalid entries of every policy type, and not as unused")
  func inDiff() throws {
    let a = DifferTests.analysis([Records.record(name: "GetObject")])
    var set = try policySet(
      #"{"Version":"2012-10-17","Statement":{"Sid":"S","Effect":"Allow","Action":["s3:GetObject","s3:GetObjekt"],"Resource":"*"}}"#
    )
    var boundary = try policySet(
      #"{"Version":"2012-10-17","Statement":{"Sid":"B","Effect":"Allow","NotAction":"iam:CreateUsr","Resource":"*"}}"#,
      name: "b.json")
    boundary.documents[0].layer = .boundary
    set.append(boundary)
    let result = Differ(policies: set, workers: 1).diff(a, policyFiles: ["p.json"])
    #expect(
      result.invalid == [
        .init(
          policy: "p.json", statement: "S", action: "s3:GetObjekt", reason: .unknownAction, suggestion: "s3:GetObject"),
        .init(
          policy: "b.json", statement: "B", action: "iam:CreateUsr", reason: .unknownAction,
          suggestion: "iam:CreateUser"),
      ])
    #expect(result.unused.isEmpty)
    #expect(result.missing.isEmpty)
  }

  @Test("the boundary's refusal is the missing call's reason")
  func layerReason() throws {
    let a = DifferTests.analysis([Records.record(name: "GetObject"), Records.record(name: "PutObject")])
    var set = try policySet(#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#)
    var boundary = try policySet(
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}"#, name: "b.json")
    boundary.documents[0].layer = .boundary
    set.append(boundary)
    let result = Differ(policies: set, workers: 1).diff(a, policyFiles: ["p.json"])
    #expect(result.missing.map { "\($0.action) \($0.reason.rawValue)" } == ["s3:PutObject boundary"])
    // Unused and overbroad are about the identity policies only.
    #expect(result.unused.isEmpty)
    #expect(result.overbroad.map(\.policy) == ["p.json"])
  }
}
