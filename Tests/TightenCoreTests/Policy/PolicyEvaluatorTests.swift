import Testing
import TightenTestSupport

@testable import TightenCore

/// Builds a one-document policy set from JSON text.
func policySet(_ json: String, name: String = "p.json") throws -> PolicySet {
  let context = PolicyReader(path: name)
  let document = try context.document(try PolicyValue.parseJSON(json, path: name), name: name, place: "")
  return PolicySet(documents: [document], warnings: context.warnings)
}

func decide(
  _ json: String, _ action: String, _ resource: String,
  context: CallContext = .init(
    principal: "arn:aws:iam::111122223333:role/deployer", principalAccount: "111122223333", region: "us-east-1",
    sourceIP: "203.0.113.10"), time: Int64? = Timestamp.parse("2026-11-20T10:00:00Z")
) throws -> MissingReason? {
  let evaluator = PolicyEvaluator(policies: try policySet(json))
  return evaluator.evaluate(
    CallFacts(action: action, resource: resource, context: context, firstSeen: time, lastSeen: time)
  )
  .missing
}

@Suite("PolicyEvaluator")
struct PolicyEvaluatorTests {
  static let bucket = "arn:aws:s3:::data/k"

  @Test("an explicit Deny wins over any Allow")
  func denyWins() throws {
    let json = #"""
      {"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"s3:*","Resource":"*"},
        {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::data/*"}]}
      """#
    #expect(try decide(json, "s3:DeleteObject", Self.bucket) == .explicitDeny)
    #expect(try decide(json, "s3:GetObject", Self.bucket) == nil)
  }

  @Test("a Deny with NotResource denies everything but the listed resources (not the other way round)")
  func denyNotResource() throws {
    let json = #"""
      {"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
        {"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::safe","arn:aws:s3:::safe/*"]}]}
      """#
    #expect(try decide(json, "s3:GetObject", "arn:aws:s3:::safe/a") == nil)
    #expect(try decide(json, "s3:GetObject", "arn:aws:s3:::other/a") == .explicitDeny)
  }

  @Test("an Allow with NotAction allows every action except those listed")
  func allowNotAction() throws {
    let json = #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}"#
    #expect(try decide(json, "s3:GetObject", Self.bucket) == nil)
    #expect(try decide(json, "iam:CreateRole", "arn:aws:iam::1:role/x") == .notGranted)
  }

  @Test("actions match without regard to case; resources with regard to it")
  func caseRules() throws {
    let json =
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"S3:getobject","Resource":"arn:aws:s3:::Data/*"}}"#
    #expect(try decide(json, "s3:GetObject", "arn:aws:s3:::Data/k") == nil)
    #expect(try decide(json, "s3:GetObject", "arn:aws:s3:::data/k") == .notGranted)
  }

  @Test("? matches exactly one character, * any run")
  func wildcards() throws {
    let json =
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get?bject","Resource":"arn:aws:s3:::d*/k?"}}"#
    #expect(try decide(json, "s3:GetObject", "arn:aws:s3:::data/k1") == nil)
    #expect(try decide(json, "s3:GetObject", "arn:aws:s3:::data/k12") == .notGranted)
    #expect(try decide(json, "s3:GetObjectAcl", "arn:aws:s3:::data/k1") == .notGranted)
  }

  @Test("a resource-level grant does not cover an action whose only resource is *")
  func starOnlyActions() throws {
    let json =
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"kms:*","Resource":"arn:aws:kms:*:*:key/*"}}"#
    #expect(try decide(json, "kms:CreateKey", "*") == .notGranted)
    #expect(try decide(json, "kms:Decrypt", "arn:aws:kms:us-east-1:1:key/k") == nil)
  }

  @Test("a call whose resource the trail does not name is not held against a resource-scoped grant")
  func unknownResource() throws {
    let json =
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"lambda:GetFunction","Resource":"arn:aws:lambda:*:*:function:app-*"}}"#
    #expect(try decide(json, "lambda:GetFunction", "*") == nil)
  }

  @Test("a pattern grant covers a pattern resource only when it covers all it stands for")
  func patternCoverage() throws {
    let vpc =
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:CreateVpc","Resource":"arn:aws:ec2:*:*:vpc/*"}}"#
    #expect(try decide(vpc, "ec2:CreateVpc", "arn:aws:ec2:us-east-1:111122223333:vpc/*") == nil)
    let narrow =
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::b/tmp*"}}"#
    #expect(try decide(narrow, "s3:DeleteObject", "arn:aws:s3:::b/*") == .notGranted)
  }

  @Test("StringLike on aws:PrincipalArn matches the role, with its path, by wildcard")
  func principalArnLike() throws {
    let json = #"""
      {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
       "Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/deploy/*"}}}}
      """#
    let inPath = CallContext(principal: "arn:aws:iam::1:role/deploy/cfn", region: "us-east-1")
    let elsewhere = CallContext(principal: "arn:aws:iam::1:role/cfn", region: "us-east-1")
    #expect(try decide(json, "s3:GetObject", Self.bucket, context: inPath) == nil)
    #expect(try decide(json, "s3:GetObject", Self.bucket, context: elsewhere) == .notGranted)
  }

  @Test("a condition on a key the trail cannot settle is condition-unknown, never a guess")
  func unknownKey() throws {
    let json = #"""
      {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
       "Condition":{"StringEquals":{"aws:ResourceTag/team":"data"}}}}
      """#
    #expect(try decide(json, "s3:GetObject", Self.bucket) == .conditionUnknown)
  }

  @Test("a Deny under an unsettled condition makes an allowed call condition-unknown")
  func unknownDeny() throws {
    let json = #"""
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},
       {"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}
      """#
    #expect(try decide(json, "s3:GetObject", Self.bucket) == .conditionUnknown)
  }

  @Test("RequestedRegion settles region conditions")
  func requestedRegion() throws {
    let json = #"""
      {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sqs:*","Resource":"*",
       "Condition":{"StringEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}}}}
      """#
    #expect(try decide(json, "sqs:CreateQueue", "arn:aws:sqs:us-east-1:1:q") == .notGranted)
    let eu = CallContext(principal: "arn:aws:iam::1:role/r", region: "eu-west-1")
    #expect(try decide(json, "sqs:CreateQueue", "arn:aws:sqs:eu-west-1:1:q", context: eu) == nil)
  }

  @Test("IfExists passes when the key is absent; a plain operator fails; a negated one passes")
  func absentKeys() throws {
    let viaService = CallContext(
      principal: "arn:aws:iam::1:role/r", region: "us-east-1", sourceIP: "cloudformation.amazonaws.com",
      invokedBy: "cloudformation.amazonaws.com")
    func cond(_ op: String) -> String {
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"\#(op)":{"aws:SourceIp":"203.0.113.0/24"}}}}"#
    }
    #expect(try decide(cond("IpAddressIfExists"), "s3:GetObject", Self.bucket, context: viaService) == nil)
    #expect(try decide(cond("IpAddress"), "s3:GetObject", Self.bucket, context: viaService) == .notGranted)
    #expect(try decide(cond("NotIpAddress"), "s3:GetObject", Self.bucket, context: viaService) == nil)
    #expect(try decide(cond("IpAddress"), "s3:GetObject", Self.bucket) == nil)  // 203.0.113.10 is in the range
  }

  @Test("Null tests whether a key is there")
  func nullOperator() throws {
    let json = #"""
      {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*",
       "Condition":{"Null":{"aws:MultiFactorAuthPresent":"true"}}}}
      """#
    let withMFA = CallContext(principal: "arn:aws:iam::1:role/r", region: "us-east-1", mfa: true)
    #expect(try decide(json, "s3:GetObject", Self.bucket) == nil)  // long-term credentials: no MFA key
    #expect(try decide(json, "s3:GetObject", Self.bucket, context: withMFA) == .notGranted)
  }

  @Test("Bool on aws:MultiFactorAuthPresent")
  func mfa() throws {
    let json = #"""
      {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*",
       "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}
      """#
    let without = CallContext(principal: "arn:aws:iam::1:role/r", region: "us-east-1", mfa: false)
    #expect(try decide(json, "iam:GetRole", "arn:aws:iam::1:role/x", context: without) == .notGranted)
  }

  @Test("date conditions read the time of the calls, first and last")
  func dates() throws {
    let json = #"""
      {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*",
       "Condition":{"DateLessThan":{"aws:CurrentTime":"2026-11-21T00:00:00Z"}}}}
      """#
    #expect(try decide(json, "s3:GetObject", Self.bucket) == nil)
    #expect(try decide(json, "s3:GetObject", Self.bucket, time: Timestamp.parse("2026-12-01")) == .notGranted)
    // Calls on both sides of the date: not every call is allowed, and the trail cannot say which.
    let evaluator = PolicyEvaluator(policies: try policySet(json))
    let span = evaluator.evaluate(
      CallFacts(
        action: "s3:GetObject", resource: Self.bucket, context: .init(region: "us-east-1"),
        firstSeen: Timestamp.parse("2026-11-20"), lastSeen: Timestamp.parse("2026-11-22")))
    #expect(span.missing == .conditionUnknown)
  }

  @Test("ForAnyValue over aws:CalledVia")
  func calledVia() throws {
    let json = #"""
      {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*",
       "Condition":{"ForAnyValue:StringEquals":{"aws:CalledVia":"cloudformation.amazonaws.com"}}}}
      """#
    let cfn = CallContext(
      principal: "arn:aws:iam::1:role/r", region: "us-east-1", invokedBy: "cloudformation.amazonaws.com")
    #expect(try decide(json, "dynamodb:CreateTable", "arn:aws:dynamodb:us-east-1:1:table/t", context: cfn) == nil)
    #expect(try decide(json, "dynamodb:CreateTable", "arn:aws:dynamodb:us-east-1:1:table/t") == .notGranted)
  }

  @Test("iam:PassedToService settles PassRole to the service named")
  func passedToService() throws {
    let json = #"""
      {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:PassRole","Resource":"*",
       "Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}}
      """#
    let toLambda = CallContext(
      principal: "arn:aws:iam::1:role/r", region: "us-east-1", passedToService: "lambda.amazonaws.com")
    let toStates = CallContext(
      principal: "arn:aws:iam::1:role/r", region: "us-east-1", passedToService: "states.amazonaws.com")
    #expect(try decide(json, "iam:PassRole", "arn:aws:iam::1:role/x", context: toLambda) == nil)
    #expect(try decide(json, "iam:PassRole", "arn:aws:iam::1:role/x", context: toStates) == .notGranted)
  }

  @Test("policy variables are read in resources with Version 2012-10-17, literal before it")
  func variables() throws {
    let user = CallContext(principal: "arn:aws:iam::1:user/alice", principalAccount: "1", region: "us-east-1")
    let modern =
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}}"#
    #expect(try decide(modern, "s3:GetObject", "arn:aws:s3:::home/alice/x", context: user) == nil)
    #expect(try decide(modern, "s3:GetObject", "arn:aws:s3:::home/bob/x", context: user) == .notGranted)
    let old =
      #"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}}"#
    #expect(try decide(old, "s3:GetObject", "arn:aws:s3:::home/alice/x", context: user) == .notGranted)
  }

  @Test("a pattern holds a variable only where `${` appears, wherever it is")
  func variableDetection() {
    #expect(Variables.hasVariable("${aws:username}"))
    #expect(Variables.hasVariable("arn:aws:s3:::home/${aws:username}/*"))
    #expect(Variables.hasVariable("x$${"))
    #expect(!Variables.hasVariable("arn:aws:s3:::cost$/{x}"))
    #expect(!Variables.hasVariable("arn:aws:s3:::b/$"))
    #expect(!Variables.hasVariable(""))
    #expect(!Variables.hasVariable("ünïcödé/{}"))
  }

  @Test("numeric operators compare numbers, not text")
  func numeric() {
    #expect(Conditions.numeric("9", "10") { $0 < $1 } == .yes)
    #expect(Conditions.numeric("x", "10") { $0 < $1 } == .no)  // not a number: the value does not match
  }

  @Test(
    "IP ranges of both families",
    arguments: [
      ("10.1.2.3", "10.0.0.0/8", true), ("11.0.0.1", "10.0.0.0/8", false), ("2001:db8::1", "2001:db8::/32", true),
      ("2001:db9::1", "2001:db8::/32", false), ("192.0.2.7", "192.0.2.7", true),
    ])
  func ipRanges(_ address: String, _ range: String, _ inside: Bool) throws {
    let a = try #require(IPAddress(address))
    let n = try #require(IPNetwork(range))
    #expect(n.contains(a) == inside)
  }
}

@Suite("PolicyEvaluator on trail calls: keys the trail settles and keys it does not")
struct TrailConditionTests {
  @Test("a variable in a condition value is substituted: the role itself is granted, a Deny for others spares it")
  func conditionVariable() throws {
    let allow = #"""
      {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
       "Condition":{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::${aws:PrincipalAccount}:role/deployer"}}}}
      """#
    #expect(try decide(allow, "s3:GetObject", "arn:aws:s3:::b/k") == nil)
    let deny = #"""
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},
       {"Effect":"Deny","Action":"s3:*","Resource":"*",
        "Condition":{"StringNotEquals":{"aws:PrincipalArn":"arn:aws:iam::${aws:PrincipalAccount}:role/deployer"}}}]}
      """#
    #expect(try decide(deny, "s3:GetObject", "arn:aws:s3:::b/k") == nil)
  }

  @Test("a variable naming a key the trail cannot settle gives condition-unknown, not an answer")
  func unknownVariable() throws {
    let json = #"""
      {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
       "Condition":{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/${aws:PrincipalTag/x}"}}}}
      """#
    #expect(try decide(json, "s3:GetObject", "arn:aws:s3:::b/k") == .conditionUnknown)
  }

  @Test("a Deny with ForAnyValue:StringNotEquals on aws:CalledVia spares a direct call")
  func forAnyValueAbsent() throws {
    let json = #"""
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"},
       {"Effect":"Deny","Action":"kms:Decrypt","Resource":"*",
        "Condition":{"ForAnyValue:StringNotEquals":{"aws:CalledVia":"cloudformation.amazonaws.com"}}}]}
      """#
    #expect(try decide(json, "kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k") == nil)
    var viaEC2 = CallContext(
      principal: "arn:aws:iam::111122223333:role/deployer", principalAccount: "111122223333", region: "us-east-1")
    viaEC2.invokedBy = "ec2.amazonaws.com"
    #expect(
      try decide(json, "kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k", context: viaEC2) == .explicitDeny)
  }
}

@Suite("A resource-scoped Deny and a call whose resource the trail does not name")
struct UnknownResourceDenyTests {
  @Test("the Deny may or may not apply: condition-unknown, not a definite refusal; a Deny on * applies")
  func deny() throws {
    let scoped = #"""
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},
       {"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::audit-logs"}]}
      """#
    #expect(try decide(scoped, "s3:DeleteBucket", "*") == .conditionUnknown)
    #expect(try decide(scoped, "s3:DeleteBucket", "arn:aws:s3:::other") == nil)
    let everything = #"""
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},
       {"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}
      """#
    #expect(try decide(everything, "s3:DeleteBucket", "*") == .explicitDeny)
  }

  @Test("a call decided by its resource's bytes alone gets the same decision as with its facts")
  func resourceBytesPath() throws {
    let json = #"""
      {"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":["s3:GetObject","s3:Put*"],"Resource":["arn:aws:s3:::orders-prod-*","arn:aws:s3:::x/k?"]},
        {"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::orders-prod-audit/*"},
        {"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::orders-*"},
        {"Effect":"Allow","Action":"iam:GetRole","Resource":"arn:aws:iam::1:ro*/*"}]}
      """#
    let evaluator = PolicyEvaluator(policies: try policySet(json))
    let cases: [(String, String)] = [
      ("s3:GetObject", "arn:aws:s3:::orders-prod-data/2026/11/01/017sut9H94Pe.parquet"),
      ("s3:GetObject", "arn:aws:s3:::orders-prod-audit/2026/a"),
      ("s3:GetObject", "arn:aws:s3:::orders-prod-audit"),
      ("s3:GetObject", "arn:aws:s3:::elsewhere/a"),
      ("s3:GetObject", "arn:aws:s3:::orders-dev/a"),
      ("s3:GetObject", "arn:aws:s3:::x/k1"),
      ("s3:GetObject", "arn:aws:s3:::x/k*"),
      ("s3:PutObject", "arn:aws:s3:::orders-prod-data/*"),
      ("s3:PutObject", "*"),
      ("s3:ListAllMyBuckets", "*"),
      ("iam:GetRole", "arn:aws:iam::1:role/deployer"),
      ("iam:GetRole", "arn:aws:iam::1:user/deployer"),
    ]
    var decidedByBytes = 0
    for (action, resource) in cases {
      let plan = evaluator.plan(action: action)
      let slow = evaluator.evaluate(CallFacts(action: action, resource: resource, context: CallContext()), plan: plan)
      var bytes = resource
      let fast = bytes.withUTF8 { evaluator.evaluate(resource: $0, plan: plan) }
      guard let fast else { continue }
      decidedByBytes += 1
      #expect(fast.missing == slow.missing, "\(action) \(resource)")
      #expect(fast.used == slow.used, "\(action) \(resource)")
      #expect(fast.layer == slow.layer && fast.denied == slow.denied, "\(action) \(resource)")
    }
    #expect(decidedByBytes == cases.count)
    // The deny wins; the NotResource allow covers what is not orders-*; IAM's resource type is not a wildcard.
    let get = evaluator.plan(action: "s3:GetObject")
    var audit = "arn:aws:s3:::orders-prod-audit/2026/a"
    #expect(audit.withUTF8 { evaluator.evaluate(resource: $0, plan: get)?.missing } == .explicitDeny)
    var role = "arn:aws:iam::1:role/deployer"
    #expect(
      role.withUTF8 { evaluator.evaluate(resource: $0, plan: evaluator.plan(action: "iam:GetRole"))?.missing }
        == .notGranted)
  }

  @Test(
    "statements that read more than the resource, or a resource with an escape or beyond ASCII: decided with the facts")
  func resourceBytesDeclined() throws {
    let conditioned = #"""
      {"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}]}
      """#
    let variables = #"""
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}]}
      """#
    let plain = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
    for (json, resource, declined) in [
      (conditioned, "arn:aws:s3:::b/k", true), (variables, "arn:aws:s3:::b/k", true),
      (plain, "arn:aws:s3:::b/a${*}b", true), (plain, "arn:aws:s3:::b/k", false),
      (plain, "arn:aws:s3:::b/caf\u{E9}", true),
    ] {
      let evaluator = PolicyEvaluator(policies: try policySet(json))
      var bytes = resource
      let fast = bytes.withUTF8 { evaluator.evaluate(resource: $0, plan: evaluator.plan(action: "s3:GetObject")) }
      #expect((fast == nil) == declined, "\(resource)")
    }
    // Bytes that are not UTF-8 are the facts path's: it matches them as repaired (U+FFFD, one character).
    let evaluator = PolicyEvaluator(
      policies: try policySet(
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/k?"}]}"#
      ))
    let plan = evaluator.plan(action: "s3:GetObject")
    let invalid: [UInt8] = Array("arn:aws:s3:::b/k".utf8) + [0xFF]
    #expect(invalid.withUnsafeBufferPointer { evaluator.evaluate(resource: $0, plan: plan) } == nil)
    let repaired = CallFacts(
      action: "s3:GetObject", resource: String(decoding: invalid, as: UTF8.self), context: CallContext())
    #expect(evaluator.evaluate(repaired, plan: plan).missing == nil)
  }
}
