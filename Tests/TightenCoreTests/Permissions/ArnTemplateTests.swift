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
