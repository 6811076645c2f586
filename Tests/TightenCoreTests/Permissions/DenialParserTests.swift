import Testing

@testable import TightenCore

@Suite("DenialParser")
struct DenialParserTests {
  let parser = DenialParser(catalog: .shared)
  let noPlan = CallPlan(kind: .noPermission)

  @Test("refusal codes are bytes of the catalogue's list")
  func codes() {
    for (code, denied) in [("AccessDenied", true), ("Client.UnauthorizedOperation", true), ("NoSuchKey", false)] {
      let got = Array(code.utf8).withUnsafeBufferPointer { parser.isDenied($0) }
      #expect(got == denied, "\(code)")
    }
  }

  @Test("messages name the action as the catalogue spells it, and the resource without trailing punctuation")
  func messages() throws {
    let named = try #require(
      parser.deniedPermission(
        message: "User: u is not authorized to perform: S3:getobject on resource: arn:aws:s3:::b/k, because of x"))
    #expect(named.action == "s3:GetObject")
    #expect(named.resource == "arn:aws:s3:::b/k")
    let spaced = try #require(parser.deniedPermission(message: "not authorized to perform sqs:SendMessage."))
    #expect(spaced.action == "sqs:SendMessage")
    #expect(spaced.resource == nil)
    #expect(parser.deniedPermission(message: nil) == nil)
    #expect(parser.deniedPermission(message: "not authorized to perform: nocolon") == nil)
  }

  @Test("a message without a permission marks all but the implied PassRole")
  func unnamed() {
    var out = [
      MappedPermission(action: "lambda:CreateFunction", resource: "arn:f"),
      MappedPermission(action: "iam:PassRole", resource: "arn:r", passedTo: "lambda.amazonaws.com"),
    ]
    parser.markDenied(&out, named: nil, plan: noPlan)
    #expect(out.map(\.denied) == [true, false])
  }

  @Test("the named resource marks its row, or replaces the one row of the action, or is added")
  func named() {
    var exact = [
      MappedPermission(action: "s3:GetObject", resource: "arn:a"),
      MappedPermission(action: "s3:GetObject", resource: "arn:b"),
    ]
    parser.markDenied(&exact, named: ("s3:GetObject", "arn:b"), plan: noPlan)
    #expect(exact.map(\.denied) == [false, true])

    var one = [MappedPermission(action: "s3:GetObject", resource: "arn:aws:s3:::b/*")]
    parser.markDenied(&one, named: ("s3:GetObject", "arn:aws:s3:::b/k"), plan: noPlan)
    #expect(one == [MappedPermission(action: "s3:GetObject", resource: "arn:aws:s3:::b/k", denied: true)])

    var every = [
      MappedPermission(action: "s3:GetObject", resource: "arn:a"),
      MappedPermission(action: "s3:GetObject", resource: "arn:b"),
    ]
    parser.markDenied(&every, named: ("s3:GetObject", nil), plan: noPlan)
    #expect(every.map(\.denied) == [true, true])

    var other = [MappedPermission(action: "s3:GetObject", resource: "arn:a")]
    parser.markDenied(&other, named: ("kms:Decrypt", nil), plan: noPlan)
    #expect(other.last == MappedPermission(action: "kms:Decrypt", resource: "*", denied: true))
  }

  @Test("an added PassRole refusal names the service the call hands roles to")
  func passRole() {
    let plan = CallPlan(kind: .noPermission, passRoles: [(JSONLookup.Path("role"), "lambda.amazonaws.com")])
    var out: [MappedPermission] = []
    parser.markDenied(&out, named: ("iam:PassRole", "arn:aws:iam::1:role/r"), plan: plan)
    #expect(
      out == [
        MappedPermission(
          action: "iam:PassRole", resource: "arn:aws:iam::1:role/r", denied: true, passedTo: "lambda.amazonaws.com")
      ])
  }
}
