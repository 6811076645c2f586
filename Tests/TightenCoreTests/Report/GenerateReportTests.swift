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

  @Test("the widened permissions: each with its basis, then a count of those left out; nothing when none")
  func widened() {
    let rows = [
      GenerateCommand.Widened(action: "s3:GetObject", resource: "*", basis: .notNamed),
      GenerateCommand.Widened(
        action: "ec2:RunInstances", resource: "arn:aws:ec2:r:1:volume/*", basis: .patternNotNamed),
      GenerateCommand.Widened(action: "sqs:SendMessage", resource: "arn:aws:sqs:r:1:*", basis: .patternNotNamed),
    ]
    #expect(
      GenerateReport.widened(rows, of: 9, limit: 2)
        == "Widened: 3 of 9 permissions have a pattern for what the trail did not name:\n"
        + "  s3:GetObject      *  (not-named)\n"
        + "  ec2:RunInstances  arn:aws:ec2:r:1:volume/*  (pattern-not-named)\n"
        + "  … and 1 more (`scan --format json` gives each permission's resourceBasis)\n")
    #expect(GenerateReport.widened([], of: 9) == "")
  }
}
