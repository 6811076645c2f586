import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("Catalog")
struct CatalogTests {
  let catalog = Catalog.shared

  @Test("knows its data version and every service")
  func version() {
    #expect(catalog.version.hasPrefix("0.1."))
    #expect(!catalog.date.isEmpty)
    #expect(catalog.serviceCount > 400)
    #expect(TightenVersion.description.contains(catalog.version))
  }

  @Test("finds actions whatever their case, spelt as the reference spells them")
  func actions() {
    #expect(catalog.action("S3:getobject")?.name == "s3:GetObject")
    #expect(catalog.action("s3:GetBucketCors")?.name == "s3:GetBucketCORS")
    #expect(catalog.action("s3:NoSuchAction") == nil)
    #expect(catalog.action("nosuch:Thing") == nil)
  }

  @Test("knows which actions have resource types and which are required")
  func resourceTypes() throws {
    let createFunction = try #require(catalog.action("lambda:CreateFunction"))
    #expect(createFunction.resourceTypes.map(\.type.name) == ["function"])
    #expect(createFunction.resourceTypes.first?.required == true)
    #expect(catalog.action("kms:CreateKey")?.resourceTypes.isEmpty == true)
    #expect(catalog.action("ec2:DescribeAccountAttributes")?.resourceTypes.isEmpty == true)
  }

  @Test("event sources map to prefixes from the data, falling back to the source's own name")
  func prefixes() {
    #expect(catalog.prefix(forEventSource: "monitoring.amazonaws.com") == "cloudwatch")
    #expect(catalog.prefix(forEventSource: "tagging.amazonaws.com") == "tag")
    #expect(catalog.prefix(forEventSource: "s3.amazonaws.com") == "s3")
    #expect(catalog.prefix(forEventSource: "nosuch.amazonaws.com") == nil)
  }
}

@Suite("ArnTemplate")
struct ArnTemplateTests {
  let function = ArnTemplate("arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}")
  let object = ArnTemplate("arn:${Partition}:s3:::${BucketName}/${ObjectName}")
  let bucket = ArnTemplate("arn:${Partition}:s3:::${BucketName}")

  @Test("an ARN fits its own type only")
  func matching() {
    #expect(function.matches("arn:aws:lambda:us-east-1:111122223333:function:f"))
    #expect(!function.matches("arn:aws:lambda:us-east-1:111122223333:function:f:alias"))  // a qualified ARN is another type
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
    #expect(partition(forRegion: region) == expected)
  }
}

@Suite("PermissionMapper")
struct PermissionMapperTests {
  let mapper = PermissionMapper()

  @Test(
    "strips only date-shaped API version suffixes",
    arguments: [
      ("CreateFunction20150331", "CreateFunction"), ("GetFunction20150331v2", "GetFunction"),
      ("UpdateFunctionConfiguration20150331v2", "UpdateFunctionConfiguration"),
      ("CreateDistribution2020_05_31", "CreateDistribution"), ("CreateEnvironmentEC2", "CreateEnvironmentEC2"),
      ("ListObjectsV2", "ListObjectsV2"), ("DescribeDBInstances", "DescribeDBInstances"), ("Get2", "Get2"),
      ("PutItem", "PutItem"), ("CreateTable12345678", "CreateTable12345678"),
    ])
  func versionSuffixes(_ name: String, _ expected: String) {
    #expect(PermissionMapper.stripVersionSuffix(name) == expected)
  }

  @Test("reads the action and resource an AccessDenied message names, and only real actions")
  func deniedMessages() {
    let withResource = mapper.deniedPermission(
      message:
        "User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: iam:PassRole on resource: arn:aws:iam::1:role/x because no identity-based policy allows the iam:PassRole action"
    )
    #expect(withResource?.action == "iam:PassRole")
    #expect(withResource?.resource == "arn:aws:iam::1:role/x")
    let ec2 = mapper.deniedPermission(
      message:
        "You are not authorized to perform this operation. User: arn:aws:iam::1:user/a is not authorized to perform: ec2:TerminateInstances on resource: arn:aws:ec2:us-east-1:1:instance/i-1 because no identity-based policy allows it."
    )
    #expect(ec2?.action == "ec2:TerminateInstances")
    let noResource = mapper.deniedPermission(message: "User: x is not authorized to perform: kms:Decrypt")
    #expect(noResource?.action == "kms:Decrypt")
    #expect(noResource?.resource == nil)
    #expect(mapper.deniedPermission(message: "Access Denied") == nil)
    #expect(mapper.deniedPermission(message: "is not authorized to perform: madeup:Action on resource: *") == nil)
  }

  @Test("knows the refusal codes and not the other errors")
  func refusalCodes() {
    for code in ["AccessDenied", "AccessDeniedException", "Client.UnauthorizedOperation", "UnauthorizedOperation"] {
      #expect(mapper.catalog.isDeniedCode(code), "\(code)")
    }
    for code in ["ThrottlingException", "ResourceNotFoundException", "ValidationException", "NoSuchBucket"] {
      #expect(!mapper.catalog.isDeniedCode(code), "\(code)")
    }
  }

  @Test(
    "reads PartiQL statements' verb and table",
    arguments: [
      ("SELECT * FROM \"Orders\" WHERE pk = ?", "SELECT", "Orders"),
      ("select a from Orders.ByDate", "SELECT", "Orders"),
      ("INSERT INTO \"Users\" VALUE {'pk': ?}", "INSERT", "Users"),
      ("UPDATE \"Orders\" SET s = ? WHERE pk = ?", "UPDATE", "Orders"),
      ("DELETE FROM Orders WHERE pk = ?", "DELETE", "Orders"),
    ])
  func partiQL(_ statement: String, _ verb: String, _ table: String) throws {
    let parsed = try #require(PermissionMapper.partiQL(statement))
    #expect(parsed.verb == verb)
    #expect(parsed.table == table)
  }

  @Test("SQS queue URLs give region, account and name")
  func queueURLs() throws {
    let q = try #require(PermissionMapper.queueURL("https://sqs.eu-west-1.amazonaws.com/444455556666/jobs.fifo"))
    #expect(q.region == "eu-west-1" && q.account == "444455556666" && q.name == "jobs.fifo")
  }

  @Test("plans name the reason when nothing is known")
  func unmappedReasons() {
    guard case .unmapped(let reason) = mapper.plan(source: "nosuch.amazonaws.com", event: "X").kind else {
      Issue.record("expected unmapped")
      return
    }
    #expect(reason == "unknown event source")
    guard case .unmapped(let other) = mapper.plan(source: "s3.amazonaws.com", event: "MadeUpCall").kind else {
      Issue.record("expected unmapped")
      return
    }
    #expect(other == "no IAM action s3:MadeUpCall in the catalogue")
  }
}

@Suite("Mapping on real samples")
struct RealSampleMappingTests {
  @Test("every counted event is mapped or listed unmapped with a reason, and no action is outside the catalogue")
  func noInventedActions() {
    let a = TrailAnalyzer().analyze(paths: [Fixtures.path("trails")])
    let unmapped = a.unmapped.reduce(0) { $0 + $1.count }
    #expect(a.unmapped.allSatisfy { !$0.call.reason.isEmpty })
    let mappedEvents = a.events.counted - unmapped
    #expect(mappedEvents > 0)
    for row in a.permissions {
      #expect(Catalog.shared.action(row.permission.action)?.name == row.permission.action, "\(row.permission.action)")
    }
    // Only the placeholder sources of the serializer fixtures and one internal S3 call are unknown.
    #expect(
      a.unmapped.allSatisfy { $0.call.eventSource.hasPrefix("eventSource") || $0.call.eventName.hasSuffix("Internal") })
  }
}
