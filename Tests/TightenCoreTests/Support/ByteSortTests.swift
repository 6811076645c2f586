import Testing

@testable import TightenCore

@Suite("ByteSort")
struct ByteSortTests {
  /// Strings that tie on long prefixes, end inside and at the end of a word,
  /// hold zero bytes and bytes of 0x80 and up (unsigned order), and repeat.
  static func strings(seed: UInt64) -> [[UInt8]] {
    var state = seed
    func next(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33) % n
    }
    let prefixes: [[UInt8]] = [
      [], Array("arn:aws:s3:::orders-prod-data/2026/11/".utf8), Array("arn:aws:s3:::orders-prod-data/2026/11/0".utf8),
      Array("12345678".utf8), Array("1234567".utf8), [0, 0, 0], [0xFF, 0x80, 0x7F],
    ]
    let alphabet: [UInt8] = [0, 1, 0x2F, 0x30, 0x41, 0x61, 0x7F, 0x80, 0xC3, 0xFF]
    return (0..<3_000).map { _ in
      prefixes[next(prefixes.count)] + (0..<next(20)).map { _ in alphabet[next(alphabet.count)] }
    }
  }

  @Test("ids come out in the byte order of their strings, a prefix first", arguments: [1, 2, 3] as [UInt64])
  func sameAsComparing(seed: UInt64) {
    let strings = Self.strings(seed: seed)
    let names = Interner()
    for s in strings { names.append(s, s.count) }  // appended, not interned: repeats stay, as in a summary
    var ids = Array(0..<Int32(strings.count)).shuffled()
    ByteSort.sort(&ids, names: names)
    let sorted = ids.map { strings[Int($0)] }
    let expected = strings.sorted { $0.lexicographicallyPrecedes($1) }
    #expect(sorted.count == expected.count)
    #expect(sorted.indices.first { sorted[$0] != expected[$0] } == nil)  // where the order first differs
  }

  @Test("a group whose strings all share a prefix, of any length, that ends inside or at the end of a word")
  func sharedPrefixes() {
    for length in [8, 9, 15, 16, 17, 23, 41, 64] {
      let prefix = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
      // Suffixes that differ at their first byte, later, or not at all; some strings are the prefix alone.
      let suffixes: [[UInt8]] = [
        [], [0], [0x62], [0x62, 0x30], [0x61, 0xFF], [0x61, 0xFF, 0], [0x7F], [0x80, 0x80],
      ]
      let strings = (0..<40).map { prefix + suffixes[$0 % suffixes.count] }
      let names = Interner()
      for s in strings { names.append(s, s.count) }
      var ids = Array(0..<Int32(strings.count)).shuffled()
      ByteSort.sort(&ids, names: names)
      let sorted = ids.map { strings[Int($0)] }
      #expect(sorted == strings.sorted { $0.lexicographicallyPrecedes($1) }, "prefix of \(length) bytes")
    }
  }

  @Test("a group that shares every word ends, equal strings included")
  func allEqual() {
    let names = Interner()
    let s = Array("arn:aws:s3:::bucket/key-of-more-than-eight-bytes".utf8)
    for _ in 0..<5 { names.append(s, s.count) }
    names.append(s + [0], s.count + 1)
    names.append(Array(s.dropLast()), s.count - 1)
    var ids: [Int32] = [5, 0, 6, 1, 2, 3, 4]
    ByteSort.sort(&ids, names: names)
    #expect(ids.first == 6)
    #expect(ids.last == 5)
    #expect(Set(ids[1...5]) == [0, 1, 2, 3, 4])
  }
}
