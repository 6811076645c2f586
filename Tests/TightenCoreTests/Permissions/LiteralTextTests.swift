import Testing
import TightenTestSupport

@testable import TightenCore

/// Characters a trail's own strings hold that IAM reads as wildcards or variables.
@Suite("LiteralText")
struct LiteralTextTests {
  @Test("`*`, `?` and `$` are written as IAM's escapes; other text is unchanged")
  func escaped() {
    #expect(LiteralText.escaped("logs/*/run?/$x") == "logs/${*}/run${?}/${$}x")
    #expect(LiteralText.escaped("arn:aws:s3:::b/k") == "arn:aws:s3:::b/k")
  }

  @Test(
    "an escaped character matches itself, `?` or `*`, and nothing else",
    arguments: [
      ("arn:aws:s3:::b/a${*}b", "arn:aws:s3:::b/a${*}b", true),
      ("arn:aws:s3:::b/a${*}b", "arn:aws:s3:::b/axb", false),
      ("arn:aws:s3:::b/a?b", "arn:aws:s3:::b/a${*}b", true),
      ("arn:aws:s3:::b/*", "arn:aws:s3:::b/a${*}b", true),
      ("arn:aws:s3:::b/a${?}b", "arn:aws:s3:::b/axb", false),
      ("arn:aws:s3:::b/a${$}b", "arn:aws:s3:::b/a${$}b", true),
    ])
  func covers(pattern: String, observed: String, expected: Bool) {
    #expect(Glob.covers(pattern, observed) == expected)
  }

  @Test("a recorded S3 key holding `*` is a literal resource, allowed by a policy that names it escaped")
  func keyWithStar() throws {
    let record = Records.record(extra: "").replacingOccurrences(
      of: #""requestParameters":{"bucketName":"b","key":"k"}"#,
      with: #""requestParameters":{"bucketName":"b","key":"logs/*/x"}"#)
    let analysis = TrailAnalyzer(workers: 1).analyze(bytes: Array(Records.file([record]).utf8))
    #expect(analysis.permissions.map(\.permission.resource) == ["arn:aws:s3:::b/logs/${*}/x"])
    let exact = try policySet(
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/logs/${*}/x"}]}"#
    )
    let facts = { (resource: String) in
      CallFacts(action: "s3:GetObject", resource: resource, context: CallContext(), firstSeen: nil, lastSeen: nil)
    }
    #expect(PolicyEvaluator(policies: exact).evaluate(facts("arn:aws:s3:::b/logs/${*}/x")).missing == nil)
    #expect(PolicyEvaluator(policies: exact).evaluate(facts("arn:aws:s3:::b/logs/other/x")).missing == .notGranted)
  }
}
