import Testing

@testable import TightenCore

@Suite("DigitWord")
struct DigitWordTests {
  /// The word of the first eight bytes of `text` (padded with `pad`), first byte lowest.
  private func word(_ text: [UInt8], pad: UInt8) -> UInt64 {
    let bytes = (text + [UInt8](repeating: pad, count: 8)).prefix(8)
    return bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
  }

  @Test("leading digits and their value, for every length and whatever byte follows")
  func everyLengthAndFollower() {
    let followers: [UInt8] = [
      UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "-"),
      UInt8(ascii: " "), 0x00, 0x2F, 0x3A, 0x3F, 0x40, 0x7F, 0x80, 0xB9, 0xF9, 0xFA, 0xFF,
    ]
    let digits = Array("9081726354".utf8)
    for length in 0...8 {
      for follower in followers {
        let text = Array(digits.prefix(length)) + [follower]
        let w = word(text, pad: 0xFF)
        #expect(DigitWord.leadingDigits(w) == length, "\(length) then \(follower)")
        if length > 0 {
          #expect(DigitWord.value(w, digits: length) == Int(String(decoding: digits.prefix(length), as: UTF8.self)))
        }
      }
    }
    #expect(DigitWord.leadingDigits(word(Array("12345678".utf8), pad: 0)) == 8)
    #expect(DigitWord.value(word(Array("00000001".utf8), pad: 0), digits: 8) == 1)
    #expect(DigitWord.value(word(Array("99999999".utf8), pad: 0), digits: 8) == 99_999_999)
    #expect(DigitWord.value(word(Array("17951328".utf8), pad: 0), digits: 8) == 17_951_328)
  }

  @Test("a byte of 0xFA or more, whose carry reaches the next byte, ends the digits where it stands")
  func carries() {
    for position in 0..<8 {
      var text = Array("98765432".utf8)
      text[position] = 0xFF
      #expect(DigitWord.leadingDigits(word(text, pad: 0x30)) == position)
    }
  }
}
