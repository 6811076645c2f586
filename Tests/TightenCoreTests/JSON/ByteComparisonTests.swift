import Testing

@testable import TightenCore

@Suite("Byte comparison")
struct ByteComparisonTests {
  @Test("sameBytes: equal runs of every length up to past memcmp's, and one differing byte at every position")
  func sameBytesEveryPosition() {
    for n in 0...80 {
      let a = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
      a.withUnsafeBufferPointer { a in
        let copy = Array(a)
        copy.withUnsafeBufferPointer { b in #expect(sameBytes(a.baseAddress!, b.baseAddress!, n)) }
        for i in 0..<n {
          var other = Array(a)
          other[i] ^= 0x80
          other.withUnsafeBufferPointer { b in #expect(!sameBytes(a.baseAddress!, b.baseAddress!, n), "\(n) \(i)") }
        }
      }
    }
  }

  @Test("a field is ASCII, UTF-8 or neither wherever its high bytes fall in the words read")
  func utf8EveryPosition() {
    let arena = ByteArena()
    for n in 1...40 {
      for i in 0..<n {
        var ascii = Array(repeating: UInt8(ascii: "a"), count: n + 2)
        ascii[0] = UInt8(ascii: "x")  // the field starts after one byte, so its words are not aligned
        var accented = ascii
        var broken = ascii
        accented.replaceSubrange((i + 1)...(i + 2), with: Array("é".utf8))
        broken[i + 1] = 0xFF
        for (bytes, valid) in [(ascii, true), (accented, i + 1 < n), (broken, false)] {
          bytes.withUnsafeBufferPointer { b in
            let field = Field(start: 1, count: n, location: .record)
            #expect(RecordParser.validUTF8(b.baseAddress!, arena, field) == valid, "\(n) \(i)")
          }
        }
      }
    }
  }
}
