import Testing

@testable import TightenCore

@Suite("Principal filter")
struct PrincipalFilterTests {
  static let session = Caller(
    arn: "arn:aws:iam::111122223333:role/deploy/cfn-exec",
    sessionArn: "arn:aws:sts::111122223333:assumed-role/cfn-exec/AWSCloudFormation", account: "111122223333",
    roleName: "cfn-exec")
  static let user = Caller(
    arn: "arn:aws:iam::111122223333:user/alice", account: "111122223333", userName: "alice", isUser: true)

  @Test(
    "matches a role's sessions by ARN with or without its path, by name, and by session",
    arguments: [
      ("arn:aws:iam::111122223333:role/deploy/cfn-exec", true),
      ("arn:aws:iam::111122223333:role/cfn-exec", true),
      ("cfn-exec", true),
      ("arn:aws:sts::111122223333:assumed-role/cfn-exec/AWSCloudFormation", true),
      ("arn:aws:sts::111122223333:assumed-role/cfn-exec", true),
      ("arn:aws:sts::111122223333:assumed-role/cfn-exec/other", false),
      ("arn:aws:iam::999999999999:role/cfn-exec", false),
      ("arn:aws:iam::111122223333:role/cfn", false),
      ("alice", false),
    ])
  func roles(_ pattern: String, _ expected: Bool) {
    #expect(TrailFilter(principals: [pattern]).matchesPrincipal(Self.session) == expected)
  }

  @Test("matches users by ARN and name, never a role of the same name")
  func users() {
    #expect(TrailFilter(principals: ["alice"]).matchesPrincipal(Self.user))
    #expect(TrailFilter(principals: ["arn:aws:iam::111122223333:user/alice"]).matchesPrincipal(Self.user))
    #expect(!TrailFilter(principals: ["arn:aws:iam::111122223333:role/alice"]).matchesPrincipal(Self.user))
    #expect(TrailFilter().matchesPrincipal(Self.user))
  }
}
