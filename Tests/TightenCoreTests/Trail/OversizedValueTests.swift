import Testing

@testable import TightenCore

@Suite("OversizedValue")
struct OversizedValueTests {
  static func skip(_ value: inout OversizedValue, _ text: String) -> Int? {
    Array(text.utf8).withUnsafeBufferPointer { value.skip($0) }
  }

  @Test("finds the end of a container fed in pieces, brackets in strings ignored")
  func container() {
    var value = OversizedValue(then: .arrayElement(inObject: true))
    #expect(Self.skip(&value, #"{"a":"}"#) == nil)
    #expect(value.depth == 1)
    #expect(value.inString)
    #expect(Self.skip(&value, #"x"} {"b":1}"#) == 3)
    #expect(value.depth == 0)
    #expect(!value.inString)
  }

  @Test("finds the end of a string, escaped quotes included, across pieces")
  func string() {
    var value = OversizedValue(then: .top)
    #expect(Self.skip(&value, #""abc\"#) == nil)
    #expect(value.escape)
    #expect(Self.skip(&value, #""d" rest"#) == 3)
  }

  @Test("goes on in the mode it was skipped from")
  func resume() {
    #expect(ScanMode.Resume.top.mode == .top)
    #expect(ScanMode.Resume.arrayElement(inObject: true).mode == .array(needComma: true, inObject: true))
    #expect(ScanMode.Resume.objectMember.mode == .afterArray(needComma: true))
  }
}
