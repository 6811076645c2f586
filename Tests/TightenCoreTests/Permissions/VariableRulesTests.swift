import Testing

@testable import TightenCore

@Suite("VariableRules")
struct VariableRulesTests {
  let rules = Catalog.shared.variableRules

  @Test("the catalogue's rules, by variable, in the order they apply")
  func catalogueRules() {
    #expect(rules.steps(for: "QueueName") == [.queueURL])
    #expect(rules.steps(for: "ParameterNameWithoutLeadingSlash") == [.strip("/")])
    #expect(rules.steps(for: "Alias") == [.strip("alias/")])
    #expect(rules.steps(for: "RoleNameWithPath") == [.path(JSONLookup.Path("path"))])
    #expect(rules.steps(for: "PolicyNameWithPath") == [.path(JSONLookup.Path("path"))])
    #expect(rules.steps(for: "SecretId") == [.append("-??????")])
    #expect(rules.steps(for: "KeyId") == [.reject(["/", ":"]), .reject(["/"])])
    #expect(rules.steps(for: "InstanceId") == [.reject(["/"])])
    #expect(rules.steps(for: "BucketName") == [])
    #expect(rules.steps(for: "RoleName") == [])
  }

  @Test("a rule line names a variable or a suffix, with exceptions")
  func ruleLines() throws {
    let text: StaticString = "F\t*Id\treject\t/ :\tSecretId Id\nF\tQueueName\tqueue-url\t\t\nF\tX\tno-such-rule\t\t\n"
    var parsed: [VariableRules.Rule?] = []
    CatalogLine.forEach(
      in: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount), 0..<text.utf8CodeUnitCount
    ) {
      parsed.append(VariableRules.Rule($0))
    }
    #expect(parsed.count == 3)
    let id = try #require(parsed[0])
    #expect(id == VariableRules.Rule(variable: "*Id", step: .reject(["/", ":"]), except: ["SecretId", "Id"]))
    #expect(id.applies(to: "InstanceId"))
    #expect(!id.applies(to: "SecretId"))
    #expect(!id.applies(to: "Id"))
    #expect(!id.applies(to: "InstanceIds"))
    #expect(parsed[1] == VariableRules.Rule(variable: "QueueName", step: .queueURL))
    #expect(parsed[1]?.applies(to: "QueueNameX") == false)
    #expect(parsed[2] == nil)
  }

  @Test("steps apply in their fixed order whatever the order of the lines")
  func order() {
    let rules = VariableRules(
      stripped: ["NameWithPath": "x-"],
      rules: [
        VariableRules.Rule(variable: "*Path", step: .reject(["!"])),
        VariableRules.Rule(variable: "NameWithPath", step: .append("-1")),
        VariableRules.Rule(variable: "*WithPath", step: .path(JSONLookup.Path("path"))),
      ])
    #expect(
      rules.steps(for: "NameWithPath") == [.strip("x-"), .path(JSONLookup.Path("path")), .append("-1"), .reject(["!"])])
    let value = ResourceRequest.with(#"{"path":"/svc/"}"#) { r in
      var region = r.region
      var account = r.account
      return VariableRules.apply(
        rules.steps(for: "NameWithPath"), to: "x-app", in: r, region: &region, account: &account)
    }
    #expect(value == "svc/app-1")
  }

  /// The value `apply` makes of `raw` for `variable` with the catalogue's rules, and the region and account after.
  func applied(_ variable: String, _ raw: String, parameters: String = "{}") -> (String?, String, String) {
    ResourceRequest.with(parameters) { r in
      var region = r.region
      var account = r.account
      let value = VariableRules.apply(rules.steps(for: variable), to: raw, in: r, region: &region, account: &account)
      return (value, region, account)
    }
  }

  @Test("an SQS queue URL gives the name, and the region and account of the ARN")
  func queueURLs() {
    let url = applied("QueueName", "https://sqs.eu-west-1.amazonaws.com/444455556666/jobs")
    #expect(url.0 == "jobs" && url.1 == "eu-west-1" && url.2 == "444455556666")
    let legacy = applied("QueueName", "https://queue.amazonaws.com/444455556666/jobs")
    #expect(legacy.0 == "jobs" && legacy.1 == "us-east-1" && legacy.2 == "444455556666")
    let name = applied("QueueName", "jobs")
    #expect(name.0 == "jobs" && name.1 == "us-east-1" && name.2 == "111122223333")
    #expect(
      applied("TopicName", "https://sqs.eu-west-1.amazonaws.com/444455556666/jobs").0
        == "https://sqs.eu-west-1.amazonaws.com/444455556666/jobs")
  }

  @Test("prefixes the ARN repeats are stripped")
  func stripped() {
    #expect(applied("ParameterNameWithoutLeadingSlash", "/app/db/url").0 == "app/db/url")
    #expect(applied("ParameterNameWithoutLeadingSlash", "plain").0 == "plain")
    #expect(applied("Alias", "alias/orders").0 == "orders")
    #expect(applied("Alias", "orders").0 == "orders")
  }

  @Test("IAM names take the request's path, without its leading slash")
  func paths() {
    #expect(applied("RoleNameWithPath", "svc", parameters: #"{"path":"/service-role/"}"#).0 == "service-role/svc")
    #expect(applied("UserNameWithPath", "a", parameters: #"{"path":"/"}"#).0 == "a")
    #expect(applied("UserNameWithPath", "a").0 == "a")
    #expect(applied("RoleName", "svc", parameters: #"{"path":"/service-role/"}"#).0 == "svc")
  }

  @Test("a secret's name gets Secrets Manager's random suffix, slashes and all")
  func secrets() {
    #expect(applied("SecretId", "prod/db").0 == "prod/db-??????")
  }

  @Test("a KeyId that is an alias, and an id with a slash, are not of the variable")
  func rejected() {
    #expect(applied("KeyId", "alias/app").0 == nil)
    #expect(applied("KeyId", "a:b").0 == nil)
    #expect(applied("KeyId", "1234abcd-12ab-34cd-56ef-1234567890ab").0 == "1234abcd-12ab-34cd-56ef-1234567890ab")
    #expect(applied("InstanceId", "i-1/x").0 == nil)
    #expect(applied("InstanceId", "i-1:x").0 == "i-1:x")
    #expect(applied("InstanceId", "i-1").0 == "i-1")
  }
}
