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

  @Test("members read the same compact (one step) and with white space or escapes (the general way), and cut anywhere")
  func members() throws {
    var random = SeededRandom(seed: 0x9D2C_5680_1B87_3E41)
    func next(_ n: Int) -> Int { random.next(n) }
    let tokens = ["a", "eventName", #"\""#, #"\u0041"#, "é"]
    let gaps = ["", "", "", " ", "\n "]
    var spaced = 0
    for _ in 0..<3_000 {
      let names = (0..<next(6)).map { _ in
        (0..<1 + next(4)).map { _ in tokens[next(8) < 6 ? next(2) : next(5)] }.joined()
      }
      var text = "{" + gaps[next(5)]
      for (i, name) in names.enumerated() {
        if i > 0 { text += gaps[next(5)] + "," + gaps[next(5)] }
        text += "\"" + name + "\"" + gaps[next(5)] + ":" + gaps[next(5)] + "\(i)"
      }
      text += gaps[next(5)] + "}"
      if text.contains(" ") || text.contains("\n") { spaced += 1 }
      let bytes = Array(text.utf8)
      bytes.withUnsafeBufferPointer { b in
        /// The names read from the first `end` bytes, and why reading stopped (nil: the object ended).
        func read(_ end: Int) -> (names: [String], failure: ScanFailure?) {
          var c = JSONCursor(base: b.baseAddress!, start: 1, end: end, depthLimit: 8)
          var first = true
          var read: [String] = []
          do throws(ScanFailure) {
            while let key = try c.nextMember(&first) {
              let name = String(
                decoding: UnsafeBufferPointer(start: b.baseAddress! + key.start, count: key.count), as: UTF8.self)
              #expect(key.hasEscape == name.contains("\\"))
              read.append(name)
              try c.skipValue()
            }
            return (read, nil)
          } catch {
            return (read, error)
          }
        }
        let whole = read(bytes.count)
        #expect(whole.names == names && whole.failure == nil)
        for end in 1..<bytes.count {
          let cut = read(end)
          #expect(cut.failure == .incomplete && Array(names.prefix(cut.names.count)) == cut.names)
        }
      }
    }
    #expect(spaced > 1_000)
  }

  @Test("a member without its colon, or after a missing comma, is malformed at the byte where it goes wrong")
  func malformedMembers() {
    for (text, offset) in [(#"{"a"1}"#, 4), (#"{"a":1 "b":2}"#, 7), (#"{,"a":1}"#, 1), (#"{"a" 1}"#, 5)] {
      let bytes = Array(text.utf8)
      bytes.withUnsafeBufferPointer { b in
        var c = JSONCursor(base: b.baseAddress!, start: 1, end: b.count, depthLimit: 8)
        var first = true
        do throws(ScanFailure) {
          while try c.nextMember(&first) != nil { try c.skipValue() }
          Issue.record("\(text) read without an error")
        } catch {
          if case .malformed(let at, _) = error {
            #expect(at == offset, "\(text)")
          } else {
            Issue.record("\(text): \(error)")
          }
        }
      }
    }
  }
  @Test("a literal before any delimiter is read whole; cut short it is incomplete; with other letters it is malformed")
  func literals() throws {
    func skip(_ text: String) throws(ScanFailure) -> Int {
      let bytes = Array(text.utf8)
      return try bytes.withUnsafeBufferPointer { b throws(ScanFailure) in
        var c = JSONCursor(base: b.baseAddress!, start: 0, end: b.count, depthLimit: 8)
        try c.skipValue()
        return c.pos
      }
    }
    for literal in ["true", "false", "null"] {
      for after in [",", "}", "]", " ", "\n", "\r", "\t"] {
        #expect(try skip(literal + after) == literal.utf8.count)
      }
      for cut in 1...literal.utf8.count {
        #expect(throws: ScanFailure.incomplete) { try skip(String(literal.prefix(cut))) }
      }
      for bad in [
        literal + "x,", String(literal.dropLast()) + "x,", String(literal.dropLast()) + ",", literal + literal + "}",
      ] {
        #expect(throws: ScanFailure.malformed(offset: 0, reason: "invalid literal")) { try skip(bad) }
      }
    }
    #expect(try skip("-12.5e3,") == 7)
  }
}
