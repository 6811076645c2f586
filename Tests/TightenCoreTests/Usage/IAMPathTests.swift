import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("IAM paths")
struct IAMPathTests {
  static func iam(
    _ name: String, _ parameters: String, source: String = "iam.amazonaws.com", account: String = "111122223333"
  ) -> String {
    #"{"eventSource":"\#(source)","eventName":"\#(name)","awsRegion":"us-east-1","recipientAccountId":"\#(account)","eventTime":"2026-11-20T10:00:00Z","eventType":"AwsApiCall","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/deployer/s","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/deployer","userName":"deployer"}}},"requestParameters":\#(parameters)}"#
  }

  static func permissions(_ records: [String]) -> [String] {
    let json = #"{"Records":["# + records.joined(separator: ",") + "]}"
    let analysis = TrailAnalyzer(workers: 1).analyze(bytes: Array(json.utf8))
    return analysis.permissions.map { "\($0.permission.action) \($0.permission.resource) \($0.stats.count)" }
  }

  @Test("a role named without its path gets the path the trail shows for that name")
  func roleNamedByName() {
    let got = Self.permissions([
      Self.iam("CreateRole", #"{"roleName":"svc","path":"/service-role/","assumeRolePolicyDocument":"{}"}"#),
      Self.iam("PutRolePolicy", #"{"roleName":"svc","policyName":"p","policyDocument":"{}"}"#),
      Self.iam("PutRolePolicy", #"{"roleName":"svc","policyName":"q","policyDocument":"{}"}"#),
      Self.iam("PutRolePolicy", #"{"roleName":"other","policyName":"p","policyDocument":"{}"}"#),
    ])
    #expect(
      got == [
        "iam:CreateRole arn:aws:iam::111122223333:role/service-role/svc 1",
        "iam:PutRolePolicy arn:aws:iam::111122223333:role/other 1",
        "iam:PutRolePolicy arn:aws:iam::111122223333:role/service-role/svc 2",
      ])
  }

  @Test("a role handed to a service with its full ARN gives the path to calls by name")
  func pathFromPassRole() {
    let got = Self.permissions([
      Self.iam(
        "CreateFunction20150331", #"{"functionName":"api","role":"arn:aws:iam::111122223333:role/app/fn-role"}"#,
        source: "lambda.amazonaws.com"),
      Self.iam("AttachRolePolicy", #"{"roleName":"fn-role","policyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}"#),
    ])
    #expect(got.contains("iam:AttachRolePolicy arn:aws:iam::111122223333:role/app/fn-role 1"))
    #expect(got.contains("iam:PassRole arn:aws:iam::111122223333:role/app/fn-role 1"))
  }

  @Test("a name seen under two paths, or in another account, is left as the record names it")
  func ambiguous() {
    let got = Self.permissions([
      Self.iam("CreateRole", #"{"roleName":"svc","path":"/a/","assumeRolePolicyDocument":"{}"}"#),
      Self.iam("CreateRole", #"{"roleName":"svc","path":"/b/","assumeRolePolicyDocument":"{}"}"#),
      Self.iam("GetRole", #"{"roleName":"svc"}"#),
      Self.iam("CreateRole", #"{"roleName":"app","path":"/x/","assumeRolePolicyDocument":"{}"}"#),
      Self.iam("GetRole", #"{"roleName":"app"}"#, account: "444455556666"),
    ])
    #expect(got.contains("iam:GetRole arn:aws:iam::111122223333:role/svc 1"))
    #expect(got.contains("iam:GetRole arn:aws:iam::444455556666:role/app 1"))
  }

  /// A merged table: the strings interned in byte order.
  static func table(_ strings: [String]) -> TrailAnalysis {
    let sorted = strings.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
    let table = Interner()
    for s in sorted { _ = s.withUnsafeBufferPointer { table.intern($0) } }
    return TrailAnalysis(strings: table)
  }

  static func ranged(_ analysis: TrailAnalysis) -> [String] {
    analysis.iamARNRanges().flatMap { $0.map(analysis.string) }
  }

  @Test("the IAM ARNs of a merged table are found by partition, without reading the other strings")
  func iamRanges() {
    let analysis = Self.table([
      "", "a", "arn:", "arn:aws", "arn:aws-cn:iam::1:role/a", "arn:aws-cn:s3:::b", "arn:aws:iam::1:role/a",
      "arn:aws:iam::1:user/b", "arn:aws:iam:us-east-1:1:x", "arn:aws:iamx::1", "arn:aws:s3:::b", "arn:aws;x",
      "arn:aws-us-gov:iam::2:role/c", "arnx", "zzz", "arn:aws:iam:", "arn:aws:iam::",
    ])
    #expect(
      Self.ranged(analysis) == [
        "arn:aws-cn:iam::1:role/a", "arn:aws-us-gov:iam::2:role/c", "arn:aws:iam::", "arn:aws:iam::1:role/a",
        "arn:aws:iam::1:user/b",
      ])
    #expect(Self.ranged(Self.table(["arn:aws:s3:::b", "s3:GetObject"])) == [])
    #expect(Self.ranged(Self.table([])) == [])
  }

  @Test("the ranges hold exactly the strings that begin arn:PARTITION:iam::, on random tables")
  func iamRangesRandom() {
    var random = SeededRandom(seed: 0x6A09_E667_F3BC_C908)
    let pieces = ["arn:", "aws", "-cn", ":", "iam", "::", ";", "s3", "x", "1", "role/r"]
    for _ in 0..<300 {
      let strings = Set(
        (0..<random.next(41)).map { _ in
          (0..<1 + random.next(7)).map { _ in pieces[random.next(pieces.count)] }.joined()
        })
      let expected = strings.filter { s in
        let b = Array(s.utf8)
        guard b.starts(with: Array("arn:".utf8)), let colon = b[4...].firstIndex(of: UInt8(ascii: ":")) else {
          return false
        }
        return b[colon...].starts(with: Array(":iam::".utf8))
      }
      #expect(
        Self.ranged(Self.table(Array(strings)))
          == expected.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }.map {
            String(decoding: $0, as: UTF8.self)
          })
    }
  }

  @Test(
    "only roles, users, groups and instance profiles without wildcards have a path-less form",
    arguments: [
      ("arn:aws:iam::1:role/service-role/svc", "arn:aws:iam::1:role/svc", true),
      ("arn:aws:iam::1:role/svc", "arn:aws:iam::1:role/svc", false),
      ("arn:aws-cn:iam::1:instance-profile/a/b/ip", "arn:aws-cn:iam::1:instance-profile/ip", true),
      ("arn:aws:iam::1:user/people/u", "arn:aws:iam::1:user/u", true),
      ("arn:aws:iam::1:role/aws-service-role/x.amazonaws.com/*", nil, false),
      ("arn:aws:iam::1:policy/app/p", nil, false),
      ("arn:aws:iam::aws:policy/ReadOnlyAccess", nil, false),
      ("arn:aws:s3:::role/x/y", nil, false),
      ("arn:aws:iam::1:role/x/", nil, false),
    ] as [(String, String?, Bool)])
  func nameForm(arn: String, pathless: String?, hasPath: Bool) {
    let form = TrailAnalysis.iamNameForm(arn)
    #expect(form?.pathless == pathless)
    if pathless != nil { #expect(form?.hasPath == hasPath) }
    let bytes = Array(arn.utf8)
    let cheap = bytes.withUnsafeBufferPointer { TrailAnalysis.mayBeIAMARN($0) }
    #expect(cheap == arn.contains(":iam::"))
  }
}
