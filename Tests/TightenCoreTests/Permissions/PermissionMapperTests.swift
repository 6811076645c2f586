import Testing

@testable import TightenCore

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
