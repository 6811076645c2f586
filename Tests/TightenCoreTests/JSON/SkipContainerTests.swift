import CScan
import Testing

@testable import TightenCore

/// `tighten_skip_container` (64 bytes at a time) against the byte-by-byte
/// skip it replaced: the same end, the same "incomplete", the same depth flag.
@Suite("Skipping a container")
struct SkipContainerTests {
  /// The skip as `JSONCursor` did it, one byte at a time.
  static func reference(_ b: [UInt8], from start: Int, limit: Int) -> (end: Int?, tooDeep: Bool) {
    var depth = 0
    var tooDeep = false
    var inString = false
    var i = start
    while i < b.count {
      let c = b[i]
      if inString {
        if c == UInt8(ascii: "\\") {
          i += 2
          continue
        }
        if c == UInt8(ascii: "\"") { inString = false }
      } else if c == UInt8(ascii: "\"") {
        inString = true
      } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
        depth += 1
        if depth > limit { tooDeep = true }
      } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
        depth -= 1
        if depth == 0 { return (i + 1, tooDeep) }
      }
      i += 1
    }
    return (nil, tooDeep)
  }

  static func skip(_ b: [UInt8], from start: Int, limit: Int) -> (end: Int?, tooDeep: Bool) {
    var deep: Int32 = 0
    let end = b.withUnsafeBufferPointer { tighten_skip_container($0.baseAddress!, start, $0.count, limit, &deep) }
    return (end < 0 ? nil : end, deep != 0)
  }

  @Test(
    "random bytes of JSON's structure: the same as byte by byte from every opening bracket", arguments: [1, 2, 3, 4])
  func randomStructure(seed: UInt64) {
    var state = seed &* 0x9E37_79B9_7F4A_7C15
    func next(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33) % n
    }
    // Mostly letters, with quotes, backslashes and brackets often enough to
    // fall anywhere in a block, and runs long enough for whole blocks.
    let pieces: [[UInt8]] = [
      Array("{".utf8), Array("}".utf8), Array("[".utf8), Array("]".utf8), Array("\"".utf8), Array("\\".utf8),
      Array("\\\"".utf8), Array("\"key\":".utf8), Array(",".utf8), Array(String(repeating: "a", count: 70).utf8),
      Array("\"{[}]\"".utf8), Array("abcdefghijklmnop".utf8),
    ]
    var mismatches: [String] = []
    for round in 0..<60 {
      var b: [UInt8] = [UInt8(ascii: "{")]
      for _ in 0..<next(120) { b += pieces[next(pieces.count)] }
      let limit = [1, 3, 8, 512][round % 4]
      for start in b.indices where b[start] == UInt8(ascii: "{") || b[start] == UInt8(ascii: "[") {
        let (want, got) = (Self.reference(b, from: start, limit: limit), Self.skip(b, from: start, limit: limit))
        if want.end != got.end || (want.end != nil && want.tooDeep != got.tooDeep) {
          mismatches.append("round \(round) start \(start): \(want) vs \(got)")
        }
      }
    }
    #expect(mismatches.first == nil, "\(mismatches.count) mismatches")
  }

  @Test("a container that ends in a later block, strings and nesting across block edges")
  func acrossBlocks() {
    let text = #"{"a":{"b":[1,2,{"c":"}}}]]]"}],"d":"x\"y\\"},"e":"\#(String(repeating: "z", count: 200))"} tail"#
    let b = Array(text.utf8)
    let end = b.count - " tail".utf8.count
    #expect(Self.skip(b, from: 0, limit: 512).end == end)
    #expect(Self.skip(b, from: 0, limit: 2).tooDeep)
    #expect(!Self.skip(b, from: 0, limit: 4).tooDeep)
    #expect(Self.skip(Array(b[..<(end - 1)]), from: 0, limit: 512).end == nil)  // cut before its last brace
  }
}
