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
      for _ in 0..<next(next(4) == 0 ? 120 : 40) { content += tokens[next(8) < 5 ? 0 : next(5)] }
      let after = Array(#",\"b\":1}"#.utf8).prefix(next(8))  // what follows, sometimes nothing
      let text = [UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")] + after
      let hasEscape = content.contains(UInt8(ascii: "\\"))
      if hasEscape { escapedSeen += 1 }
      try text.withUnsafeBufferPointer { bytes in
        var c = JSONCursor(base: bytes.baseAddress!, start: 0, end: bytes.count, depthLimit: 8)
        let s = try c.string()
        #expect(s.start == 1 && s.count == content.count && c.pos == content.count + 2)
        #expect(s.hasEscape == hasEscape)
        // Cut before its closing quote: incomplete, never a shorter string.
        var cut = JSONCursor(base: bytes.baseAddress!, start: 0, end: content.count + 1, depthLimit: 8)
        #expect(throws: ScanFailure.incomplete) { _ = try cut.string() }
      }
    }
    #expect(escapedSeen > 1_000)
  }
}
