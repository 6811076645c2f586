import Testing

@testable import TightenCore

@Suite("Escaping")
struct EscapingTests {
  // MARK: Text

  @Test(
    "ordinary strings are returned unchanged",
    arguments: [
      "arn:aws:s3:::b/k", "s3:GetObject", "", "café", "→ — …", "C:\\Temp\\a", "a\u{A0}b", "\u{2027}\u{206A}\u{61B}",
      "e\u{301}", "deploy-declared.json",
    ])
  func ordinary(_ s: String) {
    #expect(Escaping.text(s) == s)
  }

  @Test(
    "control, bidirectional and separator characters are shown as escapes",
    arguments: [
      ("a\nb\rc\td", #"a\nb\rc\td"#), ("a\r\nb", #"a\r\nb"#), ("\u{1B}[31mred", #"\u{1B}[31mred"#),
      ("\u{0}", #"\u{0}"#), ("\u{7}\u{1F}\u{7F}", #"\u{7}\u{1F}\u{7F}"#),
      ("\u{80}\u{85}\u{9F}", #"\u{80}\u{85}\u{9F}"#),
      ("x\u{202E}gpj.exe", #"x\u{202E}gpj.exe"#),
      ("\u{202A}\u{202B}\u{202C}\u{202D}", #"\u{202A}\u{202B}\u{202C}\u{202D}"#),
      ("\u{2066}\u{2067}\u{2068}\u{2069}", #"\u{2066}\u{2067}\u{2068}\u{2069}"#),
      ("\u{200E}\u{200F}\u{61C}", #"\u{200E}\u{200F}\u{61C}"#),
      ("\u{2028}\u{2029}", #"\u{2028}\u{2029}"#),
    ])
  func escapes(_ s: String, _ shown: String) {
    #expect(Escaping.text(s) == shown)
  }

  @Test(
    "a backslash is doubled only where it would read as an escape",
    arguments: [
      (#"a\nb"#, #"a\\nb"#), (#"\u{1B}"#, #"\\u{1B}"#), (#"a\\b"#, #"a\\\b"#), (#"a\"#, #"a\"#), ("\\\n", #"\\\n"#),
      (#"C:\Temp\ruby"#, #"C:\Temp\\ruby"#), (#"\t"#, #"\\t"#),
    ])
  func backslash(_ s: String, _ shown: String) {
    #expect(Escaping.text(s) == shown)
  }

  /// Reads the text escape back: the scheme is unambiguous if this gives every string back.
  static func decode(_ shown: String) -> String {
    let c = Array(shown.unicodeScalars)
    var out = String.UnicodeScalarView()
    var i = 0
    while i < c.count {
      guard c[i] == "\\", i + 1 < c.count else {
        out.append(c[i])
        i += 1
        continue
      }
      switch c[i + 1] {
      case "\\": out.append("\\")
      case "n": out.append("\n")
      case "r": out.append("\r")
      case "t": out.append("\t")
      case "u":
        let close = c[(i + 3)...].firstIndex(of: "}")!
        out.append(Unicode.Scalar(UInt32(String(String.UnicodeScalarView(c[(i + 3)..<close])), radix: 16)!)!)
        i = close + 1
        continue
      default:
        out.append("\\")
        i += 1
        continue
      }
      i += 2
    }
    return String(out)
  }

  @Test("every string reads back as it was, and the text holds no escaped character")
  func unambiguous() {
    let alphabet: [Unicode.Scalar] = [
      "\\", "n", "u", "{", "1", "B", "}", "\n", "\u{1B}", "\u{0}", "\u{202E}", "a", "t", "\r",
    ]
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<5000 {
      var s = String.UnicodeScalarView()
      for _ in 0..<Int.random(in: 0...8, using: &generator) { s.append(alphabet.randomElement(using: &generator)!) }
      let original = String(s)
      let shown = Escaping.text(original)
      #expect(Self.decode(shown) == original, "\(original.debugDescription) shown as \(shown)")
      #expect(!shown.unicodeScalars.contains(where: Escaping.isEscaped))
    }
    for value in UInt32(0)...0x3000 {
      guard let c = Unicode.Scalar(value) else { continue }
      let shown = Escaping.text(String(c))
      #expect(Self.decode(shown) == String(c))
      #expect(!shown.unicodeScalars.contains(where: Escaping.isEscaped))
      #expect(shown.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F })
    }
  }

  // MARK: Markdown

  @Test(
    "a table cell is a code span that no character can end early",
    arguments: [
      ("s3:GetObject", "`s3:GetObject`"), ("a|b", #"`a\|b`"#), (#"a\|b"#, #"`a\\|b`"#), ("a`b", "``a`b``"),
      ("`x`", "`` `x` ``"), ("a``b`", "``` a``b` ```"), (" x ", "`  x  `"), ("  ", "`  `"), ("", ""),
      ("a\nb", #"`a\nb`"#),
      (
        "a\n## heading <img src=x onerror=alert(1)> | `x`",
        #"`` a\n## heading <img src=x onerror=alert(1)> \| `x` ``"#
      ),
    ])
  func markdownCode(_ s: String, _ cell: String) {
    #expect(Escaping.markdownCode(s) == cell)
  }

  @Test(
    "prose is escaped so that no tag, link, code span or block can start",
    arguments: [
      (
        "SampleTrails/policies/bootstrap-template.yaml: Resources.ExecutionPolicy: ${AWS::Region} read as * (x)",
        "SampleTrails/policies/bootstrap-template.yaml: Resources.ExecutionPolicy: ${AWS::Region} read as * (x)"
      ),
      (
        "<img src=x onerror=alert(1)> & [a](http://x) `c` a|b \\",
        "&lt;img src=x onerror=alert(1)&gt; &amp; \\[a\\](http://x) \\`c\\` a\\|b \\\\"
      ),
      ("## heading", "\\## heading"), ("- item", #"\- item"#), ("1. item", #"1\. item"#), ("12) item", #"12\) item"#),
      ("1.json: x", "1.json: x"), ("> quote", "&gt; quote"),
      ("p.json: a\n## heading", #"p.json: a\\n## heading"#), (#"C:\Temp"#, #"C:\\Temp"#),
    ])
  func markdownText(_ s: String, _ prose: String) {
    #expect(Escaping.markdownText(s) == prose)
  }
}
