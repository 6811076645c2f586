import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("DeclaredPolicies")
struct DeclaredPoliciesTests {
  static let template = Fixtures.sampleTrails.appendingPathComponent("policies/bootstrap-template.yaml").path
  static let document = Fixtures.sampleTrails.appendingPathComponent("policies/deploy-declared.json").path

  @Test("a template is parsed once and bound to the account and region afterwards")
  func binding() throws {
    let declared = try DeclaredPolicies.load([Self.template, Self.document])
    #expect(declared.names == ["bootstrap-template.yaml", "deploy-declared.json"])
    #expect(declared.files.map(\.kind) == [.template, .document])
    let unbound = try declared.bound(to: .unknown)
    #expect(unbound.documents.first?.statements.first?.resources == ["arn:aws:dynamodb:*:*:table/shop-dev-*"])
    #expect(unbound.warnings.count == 3)
    #expect(unbound.warnings.allSatisfy { $0.message.contains("read as *") })
    let bound = try declared.bound(to: PolicyBinding(account: "111122223333", region: "us-east-1"))
    #expect(
      bound.documents.first?.statements.first?.resources == ["arn:aws:dynamodb:us-east-1:111122223333:table/shop-dev-*"]
    )
    #expect(bound.warnings.isEmpty)
    // Binding gives what loading with the binding gives.
    let loaded = try PolicyLoader(account: "111122223333", region: "us-east-1").load([Self.template, Self.document])
    #expect(loaded.documents == bound.documents)
  }

  @Test("a bad document stops loading, whatever the binding would be")
  func checkedAtLoad() throws {
    let error = #expect(throws: PolicyError.self) {
      try DeclaredPolicies.parse(text: #"{"Statement":[{"Effect":"Allow","Resource":"*"}]}"#, name: "p.json")
    }
    #expect(error?.path == "p.json")
    #expect(error?.place == "Statement[0]")
    #expect(error?.reason == "the statement has no Action or NotAction")
  }

  @Test("the binding is the one account and region of the filter, else of the trails")
  func bindingOfRun() throws {
    var analysis = TrailAnalysis()
    analysis.accounts = ["111122223333"]
    analysis.regions = ["us-east-1", "eu-west-1"]
    #expect(PolicyBinding.of(analysis, filter: .init()) == PolicyBinding(account: "111122223333", region: nil))
    #expect(
      PolicyBinding.of(analysis, filter: .init(regions: ["eu-west-1"], accounts: ["444455556666"]))
        == PolicyBinding(account: "444455556666", region: "eu-west-1"))
    #expect(
      PolicyBinding.of(analysis, filter: .init(accounts: ["444455556666", "111122223333"]))
        == PolicyBinding(account: "111122223333", region: nil))
  }
}
