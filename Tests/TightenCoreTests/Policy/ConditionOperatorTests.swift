import Testing

@testable import TightenCore

/// One rule of IAM's evaluation, as a request against a one-statement policy,
/// with the documentation sentence it follows. The pages are in the IAM User
/// Guide (https://docs.aws.amazon.com/IAM/latest/UserGuide/):
/// OPS = reference_policies_elements_condition_operators.html,
/// SETS = reference_policies_condition-single-vs-multi-valued-context-keys.html,
/// LOGIC = reference_policies_condition-logic-multiple-context-keys-or-values.html,
/// VARS = reference_policies_variables.html, COND = reference_policies_elements_condition.html.
struct OperatorCase: CustomTestStringConvertible, Sendable {
  var name: String
  /// The statement's `Condition` (JSON), on `Allow s3:GetObject *`.
  var condition: String
  /// The request's context: keys not listed are absent.
  var context: [(key: String, values: [String])]
  var allowed: Bool
  /// The documentation sentence, with its page.
  var source: String
  var principal: String? = nil
  var testDescription: String { name }
}

/// Evaluates a simulated request (keys not given are absent) against policy text.
func simulate(
  _ documents: [(json: String, layer: PolicyLayer)], action: String = "s3:GetObject", resource: String = "*",
  context: [(key: String, values: [String])] = [], principal: String? = nil
) throws -> PolicyEvaluator.Result {
  var set = PolicySet()
  for (i, document) in documents.enumerated() {
    var reader = PolicyReader(path: "p\(i).json")
    reader.layer = document.layer
    set.documents.append(
      try reader.document(try PolicyValue.parseJSON(document.json, path: "p\(i).json"), name: "p\(i).json", place: ""))
  }
  let facts = CallFacts(
    action: action, resource: resource, context: CallContext(), given: GivenContext(context, principal: principal))
  return PolicyEvaluator(policies: set).evaluate(facts, matches: true)
}

@Suite("Condition operators, as the IAM documentation states them")
struct ConditionOperatorTests {
  static let cases: [OperatorCase] = [
    // Strings
    .init(
      name: "StringEquals is case-sensitive: John is not john", condition: #"{"StringEquals":{"aws:username":"john"}}"#,
      context: [("aws:username", ["John"])], allowed: false,
      source: "OPS: StringEquals \"Exact matching, case sensitive\""),
    .init(
      name: "StringEquals matches the exact value", condition: #"{"StringEquals":{"aws:username":"john"}}"#,
      context: [("aws:username", ["john"])], allowed: true,
      source: "OPS: StringEquals \"Exact matching, case sensitive\""),
    .init(
      name: "condition key names are not case-sensitive", condition: #"{"StringEquals":{"AWS:UserName":"john"}}"#,
      context: [("aws:username", ["john"])], allowed: true,
      source: "COND: \"Context key names are not case-sensitive.\""),
    .init(
      name: "StringEqualsIgnoreCase ignores case", condition: #"{"StringEqualsIgnoreCase":{"aws:username":"JOHN"}}"#,
      context: [("aws:username", ["John"])], allowed: true, source: "OPS: \"Exact matching, ignoring case\""),
    .init(
      name: "StringEquals has no wildcards: a* does not match abc", condition: #"{"StringEquals":{"s3:prefix":"a*"}}"#,
      context: [("s3:prefix", ["abc"])], allowed: false, source: "OPS: StringEquals \"Exact matching\""),
    .init(
      name: "StringLike: * and ? anywhere in the string",
      condition: #"{"StringLike":{"s3:prefix":"home/?ohn/*"}}"#, context: [("s3:prefix", ["home/john/docs"])],
      allowed: true,
      source:
        "OPS: StringLike \"The values can include multi-character match wildcards (*) and single-character match wildcards (?) anywhere in the string.\""
    ),
    .init(
      name: "StringLike is case-sensitive", condition: #"{"StringLike":{"s3:prefix":"Home/*"}}"#,
      context: [("s3:prefix", ["home/john"])], allowed: false, source: "OPS: StringLike \"Case-sensitive matching.\""),
    .init(
      name: "${*} is a literal asterisk", condition: #"{"StringLike":{"s3:prefix":"a${*}b"}}"#,
      context: [("s3:prefix", ["axb"])], allowed: false,
      source: "VARS: \"${*} - use where you need an * (asterisk) character.\""),
    .init(
      name: "${*} matches an asterisk", condition: #"{"StringEquals":{"s3:prefix":"a${*}b"}}"#,
      context: [("s3:prefix", ["a*b"])], allowed: true,
      source: "VARS: \"${*} - use where you need an * (asterisk) character.\""),
    // Absent keys
    .init(
      name: "an absent key does not match StringEquals", condition: #"{"StringEquals":{"aws:SourceVpc":"vpc-1"}}"#,
      context: [], allowed: false,
      source:
        "OPS: \"If the key that you specify in a policy condition is not present in the request context, the values do not match and the condition is false.\""
    ),
    .init(
      name: "an absent key matches StringNotEquals", condition: #"{"StringNotEquals":{"aws:SourceVpc":"vpc-1"}}"#,
      context: [], allowed: true,
      source:
        "OPS: \"If the policy condition requires that the key is not matched, such as StringNotLike or ArnNotLike, and the right key is not present, the condition is true.\""
    ),
    .init(
      name: "an absent key matches NotIpAddress", condition: #"{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
      context: [], allowed: true,
      source: "OPS: \"This logic applies to all condition operators except ...IfExists and Null check.\""),
    .init(
      name: "an absent key matches NumericNotEquals", condition: #"{"NumericNotEquals":{"s3:max-keys":"10"}}"#,
      context: [], allowed: true,
      source: "OPS: \"This logic applies to all condition operators except ...IfExists and Null check.\""),
    .init(
      name: "IfExists: an absent key is true", condition: #"{"StringLikeIfExists":{"ec2:InstanceType":"t3.*"}}"#,
      context: [], allowed: true,
      source: "OPS: \"If the key is not present, evaluate the condition element as true.\""),
    .init(
      name: "IfExists: a present key is tested", condition: #"{"StringLikeIfExists":{"ec2:InstanceType":"t3.*"}}"#,
      context: [("ec2:InstanceType", ["m5.large"])], allowed: false,
      source:
        "OPS: \"If the condition key is present in the context of the request, process the key as specified in the policy.\""
    ),
    .init(
      name: "Null true: the key is absent", condition: #"{"Null":{"aws:TokenIssueTime":"true"}}"#, context: [],
      allowed: true, source: "OPS: \"true (the key doesn't exist — it is null)\""),
    .init(
      name: "Null true fails when the key is present", condition: #"{"Null":{"aws:TokenIssueTime":"true"}}"#,
      context: [("aws:TokenIssueTime", ["2026-11-20T10:00:00Z"])], allowed: false,
      source: "OPS: \"true (the key doesn't exist — it is null)\""),
    .init(
      name: "Null false: the key is present", condition: #"{"Null":{"aws:TokenIssueTime":"false"}}"#, context: [],
      allowed: false, source: "OPS: \"false (the key exists and its value is not null)\""),
    // Sets
    .init(
      name: "ForAnyValue on an absent key is false", condition: #"{"ForAnyValue:StringEquals":{"aws:TagKeys":"a"}}"#,
      context: [], allowed: false,
      source:
        "SETS: ForAnyValue \"For no matching context key or if the key does not exist, the condition returns false.\""),
    .init(
      name: "ForAnyValue with a negated operator on an absent key is false",
      condition: #"{"ForAnyValue:StringNotEquals":{"aws:CalledVia":"cloudformation.amazonaws.com"}}"#, context: [],
      allowed: false,
      source:
        "SETS: ForAnyValue \"For no matching context key or if the key does not exist, the condition returns false.\""),
    .init(
      name: "ForAnyValue: one value of the request matches",
      condition: #"{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}"#, context: [("aws:TagKeys", ["x", "b"])],
      allowed: true,
      source:
        "SETS: ForAnyValue \"The condition returns true if any one of the context key values in the request matches any one of the context key values in the policy.\""
    ),
    .init(
      name: "ForAnyValue with a negated operator: one value matches none",
      condition: #"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["a","b"]}}"#,
      context: [("aws:TagKeys", ["a", "z"])], allowed: true,
      source: "OPS: negated ForAnyValue \"At least one context key value in the request must NOT match\""),
    .init(
      name: "ForAllValues on an absent key is true", condition: #"{"ForAllValues:StringEquals":{"aws:TagKeys":"a"}}"#,
      context: [], allowed: true,
      source: "SETS: ForAllValues \"It also returns true if there are no context keys in the request.\""),
    .init(
      name: "ForAllValues: every value must match",
      condition: #"{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}"#,
      context: [("aws:TagKeys", ["a", "c"])], allowed: false,
      source:
        "SETS: ForAllValues \"The condition returns true if every context key value in the request matches a context key value in the policy.\""
    ),
    .init(
      name: "ForAllValues: a subset matches", condition: #"{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}"#,
      context: [("aws:TagKeys", ["b"])], allowed: true,
      source:
        "SETS: ForAllValues \"The condition returns true if every context key value in the request matches a context key value in the policy.\""
    ),
    .init(
      name: "ForAllValues on an empty set is true", condition: #"{"ForAllValues:StringEquals":{"aws:TagKeys":"a"}}"#,
      context: [("aws:TagKeys", [])], allowed: true,
      source: "OPS: \"The ForAllValues qualifier returns true if ... the context key value resolves to a null dataset\""
    ),
    // Logic
    .init(
      name: "several values of one key: OR", condition: #"{"StringEquals":{"aws:username":["ann","john"]}}"#,
      context: [("aws:username", ["john"])], allowed: true,
      source:
        "LOGIC: \"If a single condition operator includes multiple values for a context key, those values are evaluated using a logical OR.\""
    ),
    .init(
      name: "several values under a negated operator: NOR",
      condition: #"{"StringNotEquals":{"aws:username":["ann","john"]}}"#,
      context: [("aws:username", ["john"])], allowed: false,
      source:
        "LOGIC: \"If a single negated matching condition operator includes multiple values for a context key, those values are evaluated using a logical NOR.\""
    ),
    .init(
      name: "several keys of one operator: AND",
      condition: #"{"StringEquals":{"aws:username":"john","aws:RequestedRegion":"eu-west-1"}}"#,
      context: [("aws:username", ["john"]), ("aws:RequestedRegion", ["us-east-1"])], allowed: false,
      source:
        "LOGIC: \"If your policy statement has multiple context keys attached to a single condition operator, the context keys are evaluated using a logical AND.\""
    ),
    .init(
      name: "several operators: AND",
      condition: #"{"StringEquals":{"aws:username":"john"},"Bool":{"aws:SecureTransport":"true"}}"#,
      context: [("aws:username", ["john"]), ("aws:SecureTransport", ["true"])], allowed: true,
      source:
        "LOGIC: \"If your policy statement has multiple condition operators, the condition operators are evaluated using a logical AND.\""
    ),
    // Other operators
    .init(
      name: "Bool compares true and false", condition: #"{"Bool":{"aws:SecureTransport":"true"}}"#,
      context: [("aws:SecureTransport", ["false"])], allowed: false,
      source:
        "OPS: \"Boolean conditions let you construct Condition elements that restrict access based on comparing a key to true or false.\""
    ),
    .init(
      name: "Bool on an absent key does not match", condition: #"{"Bool":{"aws:SecureTransport":"false"}}"#,
      context: [], allowed: false,
      source: "OPS: Bool table, \"No aws:SecureTransport in the request context\": No match"),
    .init(
      name: "BinaryEquals compares bytes with the base-64 value",
      condition: #"{"BinaryEquals":{"key":"QmluYXJ5VmFsdWU="}}"#,
      context: [("key", ["QmluYXJ5VmFsdWU="])], allowed: true,
      source:
        "OPS: BinaryEquals \"compares the value of the specified key byte for byte against a base-64 encoded representation of the binary value in the policy\""
    ),
    .init(
      name: "BinaryEquals: other bytes do not match", condition: #"{"BinaryEquals":{"key":"QmluYXJ5VmFsdWU="}}"#,
      context: [("key", ["T3RoZXI="])], allowed: false,
      source: "OPS: BinaryEquals \"compares the value of the specified key byte for byte\""),
    .init(
      name: "Numeric compares numbers: 9 < 10", condition: #"{"NumericLessThan":{"s3:max-keys":"10"}}"#,
      context: [("s3:max-keys", ["9"])], allowed: true,
      source: "OPS: \"comparing a key to an integer or decimal value\""),
    .init(
      name: "Numeric compares decimals", condition: #"{"NumericGreaterThanEquals":{"x:ratio":"2.5"}}"#,
      context: [("x:ratio", ["2.50"])], allowed: true, source: "OPS: \"comparing a key to an integer or decimal value\""
    ),
    .init(
      name: "NumericLessThanEquals: 11 is not <= 10", condition: #"{"NumericLessThanEquals":{"s3:max-keys":"10"}}"#,
      context: [("s3:max-keys", ["11"])], allowed: false,
      source: "OPS: \"comparing a key to an integer or decimal value\""),
    .init(
      name: "Date: ISO 8601", condition: #"{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}"#,
      context: [("aws:CurrentTime", ["2026-06-01T12:00:00Z"])], allowed: true,
      source:
        "OPS: \"You must specify date/time values with one of the W3C implementations of the ISO 8601 date formats or in epoch (UNIX) time.\""
    ),
    .init(
      name: "Date: epoch time", condition: #"{"DateLessThan":{"aws:EpochTime":"1767225600"}}"#,
      context: [("aws:EpochTime", ["1767225599"])], allowed: true,
      source: "OPS: \"… or in epoch (UNIX) time.\""),
    .init(
      name: "Date: an ISO 8601 value against epoch time",
      condition: #"{"DateEquals":{"aws:CurrentTime":"1767225600"}}"#,
      context: [("aws:CurrentTime", ["2026-01-01T00:00:00Z"])], allowed: true,
      source: "OPS: \"… ISO 8601 date formats or in epoch (UNIX) time.\""),
    .init(
      name: "IpAddress: IPv4 CIDR", condition: #"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
      context: [("aws:SourceIp", ["203.0.113.10"])], allowed: true,
      source:
        "OPS: \"The value must be in the standard CIDR format (for example, 203.0.113.0/24 or 2001:DB8:1234:5678::/64).\""
    ),
    .init(
      name: "IpAddress: IPv6 CIDR", condition: #"{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}"#,
      context: [("aws:SourceIp", ["2001:db8:1234:5678::abcd"])], allowed: true,
      source:
        "OPS: \"The value must be in the standard CIDR format (for example, 203.0.113.0/24 or 2001:DB8:1234:5678::/64).\""
    ),
    .init(
      name: "IpAddress: an address without a prefix is a /32",
      condition: #"{"IpAddress":{"aws:SourceIp":"203.0.113.10"}}"#,
      context: [("aws:SourceIp", ["203.0.113.11"])], allowed: false,
      source:
        "OPS: \"If you specify an IP address without the associated routing prefix, IAM uses the default prefix value of /32.\""
    ),
    .init(
      name: "NotIpAddress: outside the range", condition: #"{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
      context: [("aws:SourceIp", ["198.51.100.7"])], allowed: true,
      source: "OPS: NotIpAddress \"All IP addresses except the specified IP address or range\""),
    .init(
      name: "ArnLike checks each of the six parts: a wildcard stays within its part",
      condition: #"{"ArnLike":{"aws:SourceArn":"arn:aws:ec2:*:111122223333:instance/*"}}"#,
      context: [("aws:SourceArn", ["arn:aws:ec2:us-east-1:999999999999:111122223333:instance/i-1"])], allowed: false,
      source:
        "OPS: ArnLike \"Each of the six colon-delimited components of the ARN is checked separately and each can include multi-character match wildcards (*) or single-character match wildcards (?).\""
    ),
    .init(
      name: "StringLike lets the same wildcard reach across colons",
      condition: #"{"StringLike":{"aws:SourceArn":"arn:aws:ec2:*:111122223333:instance/*"}}"#,
      context: [("aws:SourceArn", ["arn:aws:ec2:us-east-1:999999999999:111122223333:instance/i-1"])], allowed: true,
      source: "OPS: StringLike \"wildcards (*) ... anywhere in the string\""),
    .init(
      name: "ArnEquals behaves as ArnLike",
      condition: #"{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:*:111122223333:topic-?"}}"#,
      context: [("aws:SourceArn", ["arn:aws:sns:eu-west-1:111122223333:topic-a"])], allowed: true,
      source: "OPS: \"The ArnEquals and ArnLike condition operators behave identically.\""),
    .init(
      name: "ArnNotLike on an absent key is true", condition: #"{"ArnNotLike":{"aws:SourceArn":"arn:aws:sns:*:*:t"}}"#,
      context: [], allowed: true,
      source: "OPS: \"such as StringNotLike or ArnNotLike, and the right key is not present, the condition is true\""),
    // Variables
    .init(
      name: "a policy variable in a condition value",
      condition: #"{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::${aws:PrincipalAccount}:role/deployer"}}"#,
      context: [], allowed: true,
      source:
        "VARS: \"You can use a policy variable for Condition values in any condition that involves the string operators or the ARN operators.\"",
      principal: "arn:aws:iam::111122223333:role/deployer"),
    .init(
      name: "a policy variable in a condition value: another role",
      condition: #"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::${aws:PrincipalAccount}:role/deployer"}}"#,
      context: [], allowed: false,
      source:
        "VARS: \"You can use a policy variable for Condition values in any condition that involves the string operators or the ARN operators.\"",
      principal: "arn:aws:iam::111122223333:role/other"),
    .init(
      name: "a variable with no value: StringEquals does not match",
      condition: #"{"StringEquals":{"s3:prefix":"${aws:PrincipalTag/team}"}}"#, context: [("s3:prefix", ["x"])],
      allowed: false,
      source:
        "VARS: \"Condition operators like StringEquals or StringLike do not match, and the policy statement does not take effect.\""
    ),
    .init(
      name: "a variable with no value: StringNotEquals matches",
      condition: #"{"StringNotEquals":{"s3:prefix":"${aws:PrincipalTag/team}"}}"#, context: [("s3:prefix", ["x"])],
      allowed: true,
      source:
        "VARS: \"Inverted condition operators like StringNotEquals or StringNotLike do match against a null value\""),
    .init(
      name: "a variable's default stands for an absent key",
      condition: #"{"StringEquals":{"s3:prefix":"${aws:PrincipalTag/team, 'company-wide'}"}}"#,
      context: [("s3:prefix", ["company-wide"])], allowed: true,
      source:
        "VARS: \"To add a default value to a variable, surround the default value with single quotes (' '), and separate the variable text and the default value with a comma and space (, ).\""
    ),
    .init(
      name: "a variable takes the key's value over its default",
      condition: #"{"StringEquals":{"s3:prefix":"${aws:PrincipalTag/team, 'company-wide'}"}}"#,
      context: [("s3:prefix", ["company-wide"]), ("aws:PrincipalTag/team", ["web"])], allowed: false,
      source: "VARS: default values apply \"when a key is not present\""),
    .init(
      name: "a multivalued key cannot be a variable", condition: #"{"StringEquals":{"s3:prefix":"${aws:TagKeys}"}}"#,
      context: [("s3:prefix", ["a"]), ("aws:TagKeys", ["a", "b"])], allowed: false,
      source: "VARS: \"You can't use a multivalued condition key as a variable.\""),
    .init(
      name: "no variables in Numeric values", condition: #"{"NumericEquals":{"s3:max-keys":"${x:n}"}}"#,
      context: [("s3:max-keys", ["5"]), ("x:n", ["5"])], allowed: false,
      source:
        "VARS: \"You can't use a policy variable with other operators, such as Numeric, Date, Boolean, Binary, IP Address, or Null operators.\""
    ),
  ]

  @Test("each rule", arguments: cases)
  func rule(_ c: OperatorCase) throws {
    let json =
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":"#
      + c.condition + "}}"
    let result = try simulate([(json, .identity)], context: c.context, principal: c.principal)
    #expect((result.missing == nil) == c.allowed, "\(c.source)")
    #expect(result.missing == nil || result.missing == .notGranted)
  }

  @Test("variables are literal text in a 2008-10-17 policy")
  func oldVersion() throws {
    // VARS: "If you don't include the Version element and set it to an appropriate version date, variables like ${aws:username} are treated as literal strings in the policy."
    let json =
      #"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"s3:prefix":"${aws:username}"}}}}"#
    #expect(try simulate([(json, .identity)], context: [("s3:prefix", ["${aws:username}"])]).missing == nil)
    #expect(
      try simulate([(json, .identity)], context: [("s3:prefix", ["bob"])], principal: "arn:aws:iam::1:user/bob")
        .missing == .notGranted)
  }

  @Test("variables in a resource are read only after the fifth colon")
  func resourceVariables() throws {
    // VARS: "You can use a policy variable in the Resource element, but only in the resource portion of the ARN. This portion of the ARN appears after the fifth colon (:)."
    let after =
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}}"#
    let bob = "arn:aws:iam::111122223333:user/bob"
    #expect(try simulate([(after, .identity)], resource: "arn:aws:s3:::home/bob/a", principal: bob).missing == nil)
    #expect(
      try simulate([(after, .identity)], resource: "arn:aws:s3:::home/ann/a", principal: bob).missing == .notGranted)
    let before =
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:q"}}"#
    #expect(
      try simulate(
        [(before, .identity)], action: "sqs:SendMessage", resource: "arn:aws:sqs:us-east-1:111122223333:q",
        principal: bob
      ).missing == .notGranted)
    // VARS: "If a variable that has no value in the authorization context is used as part of the Resource or NotResource element of a policy, the resource that includes a policy variable with no value will not match any resource."
    let tag =
      #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:PrincipalTag/team}/*"}}"#
    #expect(try simulate([(tag, .identity)], resource: "arn:aws:s3:::b//x").missing == .notGranted)
  }

  @Test("a wildcard in an IAM ARN's resource type matches nothing; one after it does")
  func iamResourceType() throws {
    // reference_identifiers.html: "Don't use a wildcard in the user/, group/, or policy/ part of the ARN.
    // For example, IAM does not allow the following: arn:aws:iam::123456789012:u*"
    func decide(_ pattern: String) throws -> MissingReason? {
      let json =
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GetUser","Resource":"\#(pattern)"}}"#
      return try simulate([(json, .identity)], action: "iam:GetUser", resource: "arn:aws:iam::123456789012:user/bob")
        .missing
    }
    #expect(try decide("arn:aws:iam::123456789012:u*") == .notGranted)
    #expect(try decide("arn:aws:iam::123456789012:*/bob") == .notGranted)
    #expect(try decide("arn:aws:iam::123456789012:us?r/bob") == .notGranted)
    #expect(try decide("arn:aws:iam::123456789012:user/*") == nil)
    #expect(try decide("arn:aws:iam::123456789012:user/b*") == nil)
    #expect(try decide("arn:aws:iam::123456789012:*") == nil)
    #expect(try decide("arn:aws:iam::*:user/bob") == nil)
    #expect(try decide("*") == nil)
  }
}

@Suite("Policy types: boundaries, organisation policies, session policies")
struct PolicyLayerTests {
  static let allowAll = #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#
  static let allowS3 =
    #"{"Version":"2012-10-17","Statement":{"Sid":"S3","Effect":"Allow","Action":"s3:*","Resource":"*"}}"#
  static let denyDelete =
    #"{"Version":"2012-10-17","Statement":{"Sid":"NoDelete","Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}}"#

  // reference_policies_evaluation-logic.html, permissions boundaries: "The effective permissions are the
  // intersection of both policy types. An explicit deny in either of these policies overrides the allow."
  @Test("a boundary limits the identity policies; its refusal names it")
  func boundary() throws {
    let r = try simulate([(Self.allowAll, .identity), (Self.allowS3, .boundary)], action: "ec2:RunInstances")
    #expect(r.missing == .boundary)
    #expect(r.layer == .boundary)
    #expect(!r.denied)
    #expect(try simulate([(Self.allowAll, .identity), (Self.allowS3, .boundary)]).missing == nil)
    // The boundary grants nothing by itself.
    #expect(try simulate([(Self.allowS3, .boundary)]).missing == .notGranted)
  }

  @Test("an explicit Deny in a boundary wins and is named")
  func boundaryDeny() throws {
    let r = try simulate(
      [(Self.allowAll, .identity), (Self.allowAll, .boundary), (Self.denyDelete, .boundary)], action: "s3:DeleteBucket")
    #expect(r.missing == .boundary)
    #expect(r.denied)
  }

  // orgs_manage_policies_scps_evaluation.html: "For a permission to be allowed for a specific account, there
  // must be an explicit Allow statement at every level from the root through each OU in the direct path to the
  // account (including the target account itself)."
  @Test("SCPs: an Allow at every level, a Deny at none")
  func scps() throws {
    let levels: [(String, PolicyLayer)] = [
      (Self.allowAll, .identity), (Self.allowAll, .organization(level: 0)), (Self.allowS3, .organization(level: 1)),
    ]
    #expect(try simulate(levels).missing == nil)
    let ec2 = try simulate(levels, action: "ec2:RunInstances")
    #expect(ec2.missing == .scp)
    #expect(ec2.layer == .organization(level: 1))
    let denied = try simulate(levels + [(Self.denyDelete, .organization(level: 0))], action: "s3:DeleteBucket")
    #expect(denied.missing == .scp)
    #expect(denied.denied)
  }

  // orgs_manage_policies_rcps_evaluation.html: "RCPFullAWSAccess ... is automatically attached to the
  // organization root, every OU, and every account ... You cannot detach this policy."
  @Test("an RCP level allows what it does not deny")
  func rcps() throws {
    let rcp =
      #"{"Version":"2012-10-17","Statement":{"Sid":"NoPublic","Effect":"Deny","Principal":"*","Action":"s3:PutBucketPolicy","Resource":"*"}}"#
    #expect(try simulate([(Self.allowAll, .identity), (rcp, .organization(level: 0))]).missing == nil)
    let r = try simulate([(Self.allowAll, .identity), (rcp, .organization(level: 0))], action: "s3:PutBucketPolicy")
    #expect(r.missing == .scp)
    #expect(r.layer == .resourceControl(level: 0))
  }

  // access_policies.html#policies_session: "The permissions for a session are the intersection of the
  // identity-based policies for the IAM entity (user or role) used to create the session and the session policies."
  @Test("a session policy limits the session")
  func session() throws {
    #expect(try simulate([(Self.allowAll, .identity), (Self.allowS3, .session)]).missing == nil)
    #expect(
      try simulate([(Self.allowAll, .identity), (Self.allowS3, .session)], action: "sqs:SendMessage").missing
        == .sessionPolicy)
  }

  @Test("a Deny anywhere wins over a refusal elsewhere; the identity policy's own Deny is explicit-deny")
  func order() throws {
    let r = try simulate(
      [(Self.denyDelete, .identity), (Self.allowS3, .identity), (Self.allowS3, .organization(level: 0))],
      action: "s3:DeleteBucket")
    #expect(r.missing == .explicitDeny)
    #expect(r.layer == .identity)
    // Not allowed by an SCP level and not by the identity policies: IAM checks SCPs first.
    let both = try simulate(
      [(Self.allowS3, .identity), (Self.allowS3, .organization(level: 0))], action: "ec2:RunInstances")
    #expect(both.missing == .scp)
  }
}

@Suite("A simulated request's keys")
struct GivenContextTests {
  @Test("--principal settles the principal's keys; a session's aws:PrincipalArn is its role's")
  func principal() {
    let session = GivenContext([], principal: "arn:aws:sts::111122223333:assumed-role/deployer/s1")
    #expect(session.value("aws:PrincipalArn") == .values(["arn:aws:iam::111122223333:role/deployer"]))
    #expect(session.value("AWS:PRINCIPALACCOUNT") == .values(["111122223333"]))
    #expect(session.value("aws:PrincipalType") == .values(["AssumedRole"]))
    #expect(session.value("aws:username") == .absent)
    let user = GivenContext(
      [("aws:PrincipalArn", ["arn:aws:iam::1:user/x"])], principal: "arn:aws:iam::111122223333:user/bob")
    #expect(user.value("aws:username") == .values(["bob"]))
    // What the user gave wins over what the principal settles.
    #expect(user.value("aws:PrincipalArn") == .values(["arn:aws:iam::1:user/x"]))
    #expect(user.value("aws:SourceIp") == .absent)
  }

  @Test("a repeated key has every value given")
  func repeated() {
    let c = GivenContext([("aws:CalledVia", ["a"]), ("AWS:CalledVia", ["b"])])
    #expect(c.value("aws:calledvia") == .values(["a", "b"]))
  }
}
