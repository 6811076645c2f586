import Testing

@testable import TightenCore

@Suite("History")
struct HistoryTests {
  @Test("reads lines ending in LF or CRLF, and names the line that is not a JSON object")
  func parse() throws {
    let crlf = Array(#"{"iteration": 1}"#.utf8) + [0x0D, 0x0A] + Array(#"{"iteration": 2}"#.utf8) + [0x0D, 0x0A]
    #expect(try History.parse(crlf, path: "h").map { $0["iteration"]?.scalarText } == ["1", "2"])
    #expect(throws: HistoryError(path: "h", message: "line 2: not a JSON object; not a history tighten wrote")) {
      try History.parse(Array("{}\n[1]\n".utf8), path: "h")
    }
  }

  @Test("keys differing only in their Unicode form are different keys, as IAM compares bytes")
  func unicodeKeys() throws {
    let value = try PolicyValue.parseJSON(#"{"caf\u00e9": 1, "cafe\u0301": 2}"#, path: "p.json")
    #expect(value.members?.count == 2)
  }
}
