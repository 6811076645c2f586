import Testing

@testable import TightenCore

@Suite("ARN")
struct ARNTests {
  @Test("parses the five parts once, the resource keeping its colons and slashes")
  func parsing() throws {
    let function = try #require(ARN("arn:aws:lambda:us-east-1:111122223333:function:f:alias"))
    #expect(function.partition == "aws")
    #expect(function.service == "lambda")
    #expect(function.region == "us-east-1")
    #expect(function.account == "111122223333")
    #expect(function.resource == "function:f:alias")
    let object = try #require(ARN("arn:aws-cn:s3:::bucket/dir/key"))
    #expect(object == ARN(partition: "aws-cn", service: "s3", region: "", account: "", resource: "bucket/dir/key"))
    let role = try #require(ARN("arn:aws:iam::111122223333:role/service-role/r"))
    #expect(role.region == "" && role.account == "111122223333" && role.resource == "role/service-role/r")
  }

  @Test(
    "is nil for text that is not an ARN",
    arguments: ["", "arn", "arn:aws:s3", "arn:aws:s3::", "arn:aws:sqs:us-east-1:1", "urn:aws:s3:::b", "*"])
  func notARNs(_ text: String) {
    #expect(ARN(text) == nil)
  }

  @Test("prints back the text it was parsed from")
  func roundTrip() throws {
    for text in ["arn:aws:s3:::b", "arn:aws:logs:eu-west-1:1:log-group:/aws/x:*", "arn:aws:apigateway:*::/restapis/a"] {
      #expect(try #require(ARN(text)).description == text)
    }
    #expect(
      ARN(partition: "aws", service: "dynamodb", region: "us-east-1", account: "1", resource: "table/Orders")
        .description
        == "arn:aws:dynamodb:us-east-1:1:table/Orders")
  }

  @Test(
    "the partition follows the region",
    arguments: [
      ("us-east-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-east-1", "aws-us-gov"), ("us-iso-east-1", "aws-iso"),
      ("us-isob-east-1", "aws-iso-b"), ("eu-isoe-west-1", "aws-iso-e"), ("", "aws"),
    ])
  func partitions(_ region: String, _ expected: String) {
    #expect(ARN.partition(forRegion: region) == expected)
  }
}
