import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("Glob")
struct GlobTests {
  @Test(
    "covers: a pattern covers what it matches whatever the text's own wildcards stand for",
    arguments: [
      ("arn:aws:ec2:*:*:vpc/*", "arn:aws:ec2:us-east-1:1:vpc/*", true),
      ("arn:aws:s3:::b/k*", "arn:aws:s3:::b/*", false),
      ("arn:aws:s3:::b/*", "arn:aws:s3:::b/k?", true),
      ("arn:aws:s3:::b/k?", "arn:aws:s3:::b/k*", false),
      ("arn:aws:s3:::b/k?", "arn:aws:s3:::b/k?", true),
      ("arn:aws:s3:::b/ka", "arn:aws:s3:::b/k?", false),
      ("*a", "*ba", true),
      ("a*b*c", "a*x*c", false),
      ("a*c", "a*x*c", true),
    ])
  func covers(pattern: String, text: String, expected: Bool) {
    #expect(Glob.covers(pattern, text) == expected)
  }

  @Test("matches: `*` any run, `?` one character, case folded when asked")
  func matches() {
    #expect(Glob.matches("s3:Get*", "s3:GetObject"))
    #expect(!Glob.matches("s3:Get?", "s3:GetObject"))
    #expect(Glob.matches("S3:get*", "s3:GetObject", ignoringCase: true))
    #expect(Glob.matches("*a", "*ba"))
  }
}
