import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("JSONCursor")
struct JSONCursorTests {
  @Test("a string ends at its first unescaped quote, wherever the quotes and escapes fall in the words read")
  func strings() throws {
    var random = SeededRandom(seed: 0x2545_F491_4F6C_DD1D)
    func next(_ n: Int) -> Int { random.next(n) }
    let tokens: [[UInt8]] = [
      Array("a".utf8), Array(#"\""#.utf8), Array(#"\\"#.utf8), Array(#"\n"#.utf8), Array("é".utf8),
    ]
    var escapedSeen = 0
    for _ in 0..<5_000 {
      var content: [UInt8] = []
      for _ in 0..<next(40) { content += tokens[next(8) < 5 ? 0 : next(5)] }
      let after = Array(#",\"b\":1}"#.utf8).prefix(next(8))  // what follows, sometimes nothing
      let text = [UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")] + after
      let hasEscape = content.contains(UInt8(ascii: "\\"))
      if hasEscape { escapedSeen += 1 }
      try text.withUnsafeBufferPointer { bytes in
        for detect in [true, false] {
          var c = JSONCursor(base: bytes.baseAddress!, start: 0, end: bytes.count, depthLimit: 8)
          let s = try c.string(detectEscapes: detect)
          #expect(s.start == 1 && s.count == content.count && c.pos == content.count + 2)
          if detect { #expect(s.hasEscape == hasEscape) }
        }
        // Cut before its closing quote: incomplete, never a shorter string.
        var cut = JSONCursor(base: bytes.baseAddress!, start: 0, end: content.count + 1, depthLimit: 8)
        #expect(throws: ScanFailure.incomplete) { _ = try cut.string() }
      }
    }
    #expect(escapedSeen > 1_000)
  }

  @Test("the bytes of a word equal to one: the lowest is exact")
  func wordBytes() {
    let word = UInt64(littleEndian: Array(#"ab"c\\"x"#.utf8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
    #expect(JSONCursor.bytes(UInt8(ascii: "\""), in: word).trailingZeroBitCount / 8 == 2)
    #expect(JSONCursor.bytes(UInt8(ascii: "\\"), in: word).trailingZeroBitCount / 8 == 4)
    #expect(JSONCursor.bytes(UInt8(ascii: "z"), in: word) == 0)
    #expect(JSONCursor.bytes(0x00, in: 0x0101_0101_0101_0100).trailingZeroBitCount / 8 == 0)
  }
}
