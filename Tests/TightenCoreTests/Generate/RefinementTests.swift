import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("Refinement")
struct RefinementTests {
  static let policy = #"""
    {"Version":"2012-10-17","Statement":[
      {"Sid":"Keep","Effect":"Allow","Action":["s3:GetObject","s3:DeleteBucket"],"Resource":"*"},
      {"Sid":"Wide","Effect":"Allow","Action":"dynamodb:*","Resource":"*"},
      {"Sid":"Data","Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*"},
      {"Sid":"Everything","Effect":"Allow","NotAction":"iam:*","Resource":"arn:aws:sns:*:*:never"},
      {"Sid":"Guard","Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}
    """#

  func refine(_ records: [String], options: GeneratorOptions = .init()) throws -> ([PolicyDocument], Changelog) {
    let set = try policySet(Self.policy, name: "team.json")
    let analysis = TrailAnalyzer(workers: 1).analyze(bytes: Array(Records.file(records).utf8))
    let diff = Differ(policies: set, workers: 1).diff(analysis, policyFiles: ["team.json"])
    let result = Generator(options: options).refine(analysis, policies: set, diff: diff)
    return (result.documents, result.changelog)
  }

  static let calls = [
    Records.record(name: "GetObject"), Records.record(source: "dynamodb.amazonaws.com", name: "GetItem"),
    Records.record(source: "sqs.amazonaws.com", name: "CreateQueue", extra: #""requestParameters":{"queueName":"q"}"#),
  ]

  @Test("keeps what was used as written, removes the unused, keeps Deny, adds the missing")
  func turn() throws {
    let (documents, log) = try refine(Self.calls)
    let statements = try #require(documents.first).statements
    #expect(statements.map(\.label) == ["Keep", "Wide", "Data", "Guard", "AddedSqsQueue"])
    #expect(statements[0].actions == ["s3:GetObject"])
    #expect(statements[1].actions == ["dynamodb:*"])  // not narrowed unless asked
    #expect(log.removed.map(\.action) == ["s3:DeleteBucket", "NotAction: iam:*"])
    #expect(log.keptUnobservable.map(\.action) == ["lambda:InvokeFunction"])  // no data events in the trail
    #expect(log.added == [Permission(action: "sqs:CreateQueue", resource: "arn:aws:sqs:us-east-1:111122223333:q")])
  }

  @Test("--narrow replaces overbroad wildcards by the actions used; --keep-unused keeps entries")
  func options() throws {
    let (narrowed, log) = try refine(Self.calls, options: .init(keepUnused: true, narrow: true))
    let statements = try #require(narrowed.first).statements
    #expect(statements[1].actions == ["dynamodb:GetItem"])
    #expect(statements[0].actions == ["s3:GetObject", "s3:DeleteBucket"])
    #expect(log.narrowed.map(\.to) == [["dynamodb:GetItem"]])
    #expect(log.removed.isEmpty)
  }

  @Test("the refined policy allows every call of the trail")
  func complete() throws {
    let analysis = TrailAnalyzer(workers: 1).analyze(bytes: Array(Records.file(Self.calls).utf8))
    let (documents, _) = try refine(Self.calls, options: .init(narrow: true))
    GeneratorTests.checkNothingLost(analysis, documents)  // Deny and unobservable grants stay by design
  }

  @Test("output names follow the declared files")
  func names() {
    #expect(Generator.outputName("deploy.json") == "deploy.json")
    #expect(Generator.outputName("bootstrap.yaml:ExecutionPolicy") == "bootstrap.ExecutionPolicy.json")
    #expect(Generator.outputName("details.json:cfn-exec/inline") == "details.cfn-exec.inline.json")
  }
}

@Suite("Refinement with other policy types")
struct RefinementLayerTests {
  @Test("only identity policies are refined and written; an Allow is added only where it can help")
  func layers() throws {
    var set = try policySet(
      #"{"Version":"2012-10-17","Statement":[{"Sid":"S3","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
      name: "team.json")
    var boundary = try policySet(
      #"{"Version":"2012-10-17","Statement":[{"Sid":"B","Effect":"Allow","Action":["s3:GetObject","sqs:CreateQueue"],"Resource":"*"}]}"#,
      name: "boundary.json")
    boundary.documents[0].layer = .boundary
    set.append(boundary)
    let analysis = TrailAnalyzer(workers: 1).analyze(
      bytes: Array(
        Records.file([
          Records.record(name: "GetObject"),
          Records.record(
            source: "sqs.amazonaws.com", name: "CreateQueue", extra: #""requestParameters":{"queueName":"q"}"#),
          Records.record(source: "sns.amazonaws.com", name: "CreateTopic", extra: #""requestParameters":{"name":"t"}"#),
        ]).utf8))
    let diff = Differ(policies: set, workers: 1).diff(analysis, policyFiles: ["team.json"])
    #expect(
      diff.missing.map { "\($0.action) \($0.reason.rawValue)" } == [
        "sns:CreateTopic not-granted", "sqs:CreateQueue not-granted",
      ])
    let result = Generator(options: .init(lifecycle: false)).refine(analysis, policies: set, diff: diff)
    #expect(result.documents.map(\.name) == ["team.json"])
    // sqs:CreateQueue is added (the boundary allows it); sns:CreateTopic is not: the boundary would still refuse it.
    #expect(result.changelog.added.map(\.action) == ["sqs:CreateQueue"])
  }
}
