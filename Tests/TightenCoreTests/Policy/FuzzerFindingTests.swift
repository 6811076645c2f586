import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("Fuzzer findings")
struct FuzzerFindingTests {
  @Test("a YAML scalar shaped like an overflowing base-60 number is text, not a crash (found by the policy fuzzer)")
  func sexagesimal() throws {
    let text =
      "Statement:\n  Effect: Allow\n  Action: \"*\"\n  Resource: \"*\"\n  Sid: 1:59:59:59:59:59:59:59:59:59:59:59:59:59:59\n"
    let set = try PolicyLoader().load(text: text, name: "t.yaml")
    #expect(set.documents.first?.statements.first?.label == "1:59:59:59:59:59:59:59:59:59:59:59:59:59:59")
  }
}
