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

  /// IAM's wildcard semantics written as plainly as possible, to check `Glob`'s matcher against.
  private static func reference(_ p: [UInt8], _ t: [UInt8], literal: Bool) -> Bool {
    var memo: [Int: Bool] = [:]
    func go(_ i: Int, _ j: Int) -> Bool {
      if let known = memo[i * 64 + j] { return known }
      let result: Bool
      if i == p.count {
        result = j == t.count
      } else if p[i] == UInt8(ascii: "*") {
        result = go(i + 1, j) || (j < t.count && go(i, j + 1))
      } else if j == t.count {
        result = false
      } else {
        let (pc, tc) = (p[i], t[j])
        let one =
          literal
          ? pc == UInt8(ascii: "?") || pc == tc
          : tc != UInt8(ascii: "*") && (pc == UInt8(ascii: "?") || (pc == tc && tc != UInt8(ascii: "?")))
        result = one && go(i + 1, j + 1)
      }
      memo[i * 64 + j] = result
      return result
    }
    return go(0, 0)
  }

  @Test("the matcher (eight bytes at a time over a literal start) agrees with the plain definition")
  func matcherAgreesWithDefinition() {
    var random = SeededRandom(seed: 0x9E37_79B9_7F4A_7C15)
    func next(_ n: Int) -> Int { random.next(n) }
    let alphabet = Array("ab*?".utf8)
    var checked = (literal: 0, wild: 0, matched: 0)
    for _ in 0..<20_000 {
      // Long shared starts so that words of eight bytes are compared, cut by a wildcard anywhere.
      let shared = (0..<next(20)).map { _ in UInt8(ascii: next(2) == 0 ? "a" : "b") }
      let pattern = shared + (0..<next(6)).map { _ in alphabet[next(4)] }
      let text = shared + (0..<next(6)).map { _ in alphabet[next(next(3) == 0 ? 4 : 2)] }
      let literal = !text.contains(UInt8(ascii: "*")) && !text.contains(UInt8(ascii: "?"))
      let expected = Self.reference(pattern, text, literal: literal)
      let got = Glob.coversPrepared(String(decoding: pattern, as: UTF8.self), String(decoding: text, as: UTF8.self))
      #expect(got == expected, "\(String(decoding: pattern, as: UTF8.self)) \(String(decoding: text, as: UTF8.self))")
      if literal { checked.literal += 1 } else { checked.wild += 1 }
      if expected { checked.matched += 1 }
    }
    // Both kinds of text, and both answers, were met often.
    #expect(checked.literal > 5_000 && checked.wild > 5_000 && checked.matched > 2_000)
  }

  @Test("a final * takes what is left, a wildcard in the first eight bytes stops the word compare")
  func wordBoundaries() {
    #expect(Glob.coversPrepared("arn:aws:s3:::orders-prod-*", "arn:aws:s3:::orders-prod-data/2026/11/01/a.parquet"))
    #expect(!Glob.coversPrepared("arn:aws:s3:::orders-prod-audit/*", "arn:aws:s3:::orders-prod-data/2026/a"))
    #expect(Glob.coversPrepared("arn:aws:?3:::b/*", "arn:aws:s3:::b/k"))
    #expect(Glob.coversPrepared("arn:aws:*:::b/k", "arn:aws:s3:::b/k"))
    #expect(!Glob.coversPrepared("arn:aws:s3:::b/k", "arn:aws:s3:::b/*"))
    #expect(!Glob.coversPrepared("abcdefgh", "abcdefg"))
    #expect(!Glob.coversPrepared("abcdefg", "abcdefgh"))
    #expect(Glob.coversPrepared("abcdefgh*", "abcdefgh"))
  }
}
