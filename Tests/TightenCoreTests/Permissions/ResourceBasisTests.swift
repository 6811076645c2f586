import Testing

@testable import TightenCore

@Suite("Resource basis")
struct ResourceBasisTests {
  @Test(
    "each permission says why its resource is what it is",
    arguments: [
      ("s3:GetObject", "arn:aws:s3:::b/k", ResourceBasis.exact),
      // A trail's own * in a key is escaped: still the exact object.
      ("s3:GetObject", "arn:aws:s3:::b/logs/${*}/x", .exact),
      ("s3:GetObject", "arn:aws:s3:::b/${?}${$}x", .exact),
      ("s3:GetObject", "arn:aws:s3:::b/${*}/*", .patternNotNamed),
      ("s3:GetObject", "arn:aws:s3:::b/a?c", .patternNotNamed),
      // The form the service evaluates: a log group's :* and a secret's random suffix.
      ("logs:CreateLogGroup", "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/f:*", .exact),
      ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-??????", .exact),
      ("ec2:CreateSecurityGroup", "arn:aws:ec2:us-east-1:111122223333:security-group/*", .patternNotNamed),
      ("cloudformation:DescribeStacks", "arn:aws:cloudformation:us-east-1:111122223333:stack/app/*", .patternNotNamed),
      ("s3:GetObject", "*", .notNamed),
      ("ec2:DescribeVpcs", "*", .noResourceType),
      ("sts:GetCallerIdentity", "*", .noResourceType),
    ])
  func basis(action: String, resource: String, expected: ResourceBasis) {
    #expect(ResourceBasis.of(action: action, resource: resource) == expected)
  }
}
