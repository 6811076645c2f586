import Testing

@testable import TightenCore

@Suite("GenerateReport")
struct GenerateReportTests {
  @Test("the summary shows the folder and document names with their control characters escaped")
  func written() {
    let document = PolicyDocument(name: "policy\u{1B}[1A-1.json", path: "", statements: [])
    #expect(
      GenerateReport.written([document], folder: "out\r", maxSize: 6144) == #"""
        Wrote 1 policy to out\r:
          policy\u{1B}[1A-1.json  0 statements, \#(PolicyWriter.size(document)) of 6144 characters

        """#)
  }
}
