import Testing

@testable import TightenCore

@Suite("ActionName")
struct ActionNameTests {
  @Test("splits at the first colon, keeping the spelling")
  func parsing() throws {
    let getObject = try #require(ActionName("s3:GetObject"))
    #expect(getObject.service == "s3")
    #expect(getObject.name == "GetObject")
    #expect(getObject.description == "s3:GetObject")
    #expect(ActionName("S3:getobject") == ActionName(service: "S3", name: "getobject"))
    #expect(ActionName("a:b:c") == ActionName(service: "a", name: "b:c"))
    #expect(ActionName.passRole.description == "iam:PassRole")
  }

  @Test("is nil without a colon or with an empty side", arguments: ["", "s3", "s3:", ":GetObject", ":"])
  func notActionNames(_ text: String) {
    #expect(ActionName(text) == nil)
  }

  @Test("the catalogue's actions carry their name in parts, as the catalogue spells it")
  func catalogActions() throws {
    let action = try #require(Catalog.shared.action("S3:getbucketcors"))
    #expect(action.name == "s3:GetBucketCORS")
    #expect(action.qualifiedName == ActionName(service: "s3", name: "GetBucketCORS"))
    #expect(
      Catalog.shared.action(ActionName(service: "lambda", name: "invokefunction"))?.name == "lambda:InvokeFunction")
  }
}
