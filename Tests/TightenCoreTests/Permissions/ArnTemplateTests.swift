import Testing

@testable import TightenCore

@Suite("ArnTemplate")
struct ArnTemplateTests {
  let function = ArnTemplate("arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}")
  let object = ArnTemplate("arn:${Partition}:s3:::${BucketName}/${ObjectName}")
  let bucket = ArnTemplate("arn:${Partition}:s3:::${BucketName}")

  @Test("an ARN fits its own type only")
  func matching() {
    #expect(function.matches("arn:aws:lambda:us-east-1:111122223333:function:f"))
    // A qualified ARN is another type.
    #expect(!function.matches("arn:aws:lambda:us-east-1:111122223333:function:f:alias"))
    #expect(object.matches("arn:aws:s3:::b/dir/k:with:colons"))  // keys hold anything
    #expect(!bucket.matches("arn:aws:s3:::b/k"))
    #expect(bucket.matches("arn:aws-cn:s3:::b"))
    #expect(!object.matches("arn:aws:s3:::b"))
  }

  @Test("a template is read as bytes: variables between ${ and }, a ${ never closed kept as text, once")
  func parsing() {
    #expect(function.parts.count == 8)
    #expect(function.parts[1] == .variable("Partition") && function.parts[7] == .variable("FunctionName"))
    #expect(function.parts[6] == .literal(Array(":function:".utf8)))
    let open = ArnTemplate("arn:aws:s3:::${BucketName")
    #expect(open.parts == [.literal(Array("arn:aws:s3:::${BucketName".utf8))])
    #expect(open.matches("arn:aws:s3:::${BucketName") && !open.matches("arn:aws:s3:::b"))
    let unicode = ArnTemplate("arn:${Partition}:é:::${Name}é")
    #expect(
      unicode.parts == [
        .literal(Array("arn:".utf8)), .variable("Partition"), .literal(Array(":é:::".utf8)), .variable("Name"),
        .literal(Array("é".utf8)),
      ])
  }

  @Test("builds ARNs, with * for what is not known")
  func building() {
    #expect(
      function.build(partition: "aws", region: "eu-west-1", account: "1", values: ["FunctionName": "f"])
        == "arn:aws:lambda:eu-west-1:1:function:f")
    #expect(
      object.build(partition: "aws", region: "us-east-1", account: "1", values: ["BucketName": "b"])
        == "arn:aws:s3:::b/*")
  }

  @Test(
    "the partition follows the region",
    arguments: [
      ("us-east-1", "aws"), ("cn-north-1", "aws-cn"), ("cn-northwest-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov"),
      ("eu-central-2", "aws"),
    ])
  func partitions(_ region: String, _ expected: String) {
    #expect(ARN.partition(forRegion: region) == expected)
  }
}
