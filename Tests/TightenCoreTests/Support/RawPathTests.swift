import Testing

@testable import TightenCore

@Suite("RawPath")
struct RawPathTests {
  static let cases: [([UInt8], String)] = [
    (Array("trails/a.json".utf8), "trails/a.json"),
    (Array(#"back\slash é.json"#.utf8), #"back\slash é.json"#),
    (Array("a".utf8) + [0xFF] + Array(".json".utf8), #"a\xff.json"#),
    (Array(#"b\"#.utf8) + [0xFE] + Array(".json".utf8), #"b\\\xfe.json"#),
    (Array("é".utf8) + [0xC3], #"é\xc3"#),  // a sequence cut short
    ([0xC0, 0xAF], #"\xc0\xaf"#),  // an overlong '/'
    ([0xED, 0xA0, 0x80], #"\xed\xa0\x80"#),  // a surrogate
    ([0x80, 0x41], #"\x80A"#),
  ]

  @Test(
    "a name that is UTF-8 is shown as it is; in one that is not, bad bytes as \\xNN and backslashes doubled",
    arguments: cases)
  func shown(_ bytes: [UInt8], _ display: String) {
    let path = RawPath(bytes: bytes)
    #expect(path.display == display)
    #expect(RawPath.show(bytes) == display)
    let back = RawPath(shown: display)
    if String(validating: bytes, as: UTF8.self) == nil {
      #expect(back?.bytes == bytes)
      #expect(back?.display == display)
    } else {
      #expect(back == nil)
    }
  }

  @Test(
    "only the exact shown form of a name that is not UTF-8 maps back to bytes",
    arguments: [
      #"a\x41"#,  // the bytes are UTF-8: that name is shown as "aA"
      #"a\xFF"#,  // upper-case digits are never shown
      #"a\xff\z"#,  // a lone backslash in a name that is not UTF-8 is shown doubled
      #"a\xf"#, #"plain"#, #"a\\b"#,
    ])
  func notShownForms(_ text: String) {
    #expect(RawPath(shown: text) == nil)
  }

  @Test("joins a name to a folder with one slash")
  func appending() {
    #expect(RawPath("a").appending(Array("b".utf8)) == RawPath("a/b"))
    #expect(RawPath("a/").appending(Array("b".utf8)) == RawPath("a/b"))
    #expect(RawPath("a").appending([0xFF]).display == #"a/\xff"#)
    #expect(RawPath("a").appending([0xFF]).bytes == Array("a/".utf8) + [0xFF])
  }
}
