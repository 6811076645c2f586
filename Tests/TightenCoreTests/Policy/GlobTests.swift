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
  /// The plain definition over characters: each of the pattern's and the text's Unicode scalars is one unit.
  private static func reference(_ pattern: String, _ text: String, literal: Bool) -> Bool {
    reference(pattern.unicodeScalars.map(\.value), text.unicodeScalars.map(\.value), literal: literal)
  }

  private static func reference<Unit: BinaryInteger>(_ p: [Unit], _ t: [Unit], literal: Bool) -> Bool {
    var memo: [Int: Bool] = [:]
    func go(_ i: Int, _ j: Int) -> Bool {
      if let known = memo[i * 64 + j] { return known }
      let result: Bool
      if i == p.count {
        result = j == t.count
      } else if p[i] == Unit(0x2A) {
        result = go(i + 1, j) || (j < t.count && go(i, j + 1))
      } else if j == t.count {
        result = false
      } else {
        let (pc, tc) = (p[i], t[j])
        let one =
          literal
          ? pc == Unit(0x3F) || pc == tc
          : tc != Unit(0x2A) && (pc == Unit(0x3F) || (pc == tc && tc != Unit(0x3F)))
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

  @Test("a ? is one character, of one to four bytes; a * moves on by characters")
  func questionMarkIsOneCharacter() {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html: "any single character (?)".
    #expect(Glob.coversPrepared("arn:aws:s3:::b/caf?", "arn:aws:s3:::b/café"))
    #expect(!Glob.coversPrepared("arn:aws:s3:::b/caf??", "arn:aws:s3:::b/café"))
    #expect(Glob.coversPrepared("arn:aws:s3:::b/?-?", "arn:aws:s3:::b/😀-é"))
    #expect(Glob.coversPrepared("arn:aws:s3:::b/*?x", "arn:aws:s3:::b/ééx"))
    #expect(!Glob.coversPrepared("arn:aws:s3:::b/*??x", "arn:aws:s3:::b/éx"))
    #expect(Glob.matches("arn:aws:s3:::b/??", "arn:aws:s3:::b/日本"))
    var random = SeededRandom(seed: 0xC2B2_AE3D_27D4_EB4F)
    let alphabet = ["a", "é", "日", "😀", "*", "?"]
    var matched = 0
    for _ in 0..<5_000 {
      let pattern = (0..<random.next(7)).map { _ in alphabet[random.next(6)] }.joined()
      let text = (0..<random.next(7)).map { _ in alphabet[random.next(random.next(3) == 0 ? 6 : 4)] }.joined()
      let literal = !text.contains("*") && !text.contains("?")
      let expected = Self.reference(pattern, text, literal: literal)
      #expect(Glob.coversPrepared(pattern, text) == expected, "\(pattern) \(text)")
      if expected { matched += 1 }
    }
    #expect(matched > 300)
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
