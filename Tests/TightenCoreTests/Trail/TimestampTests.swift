import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("Timestamp")
struct TimestampTests {
  @Test(
    "parses the forms users and CloudTrail write",
    arguments: [
      ("2026-11-20", 1_795_132_800), ("2026-11-20T10:05:00Z", 1_795_169_100), ("2026-11-20T10:05Z", 1_795_169_100),
      ("2026-11-20T10:05:00.123Z", 1_795_169_100), ("2026-11-20T12:05:00+02:00", 1_795_169_100),
      ("2026-11-20T10:05:00", 1_795_169_100), ("1970-01-01T00:00:00Z", 0),
    ] as [(String, Int64)])
  func parses(_ text: String, _ expected: Int64) {
    #expect(Timestamp.parse(text) == expected)
  }

  @Test(
    "rejects what is not a date", arguments: ["", "yesterday", "2026-13-01", "2026-11-20T25:00:00Z", "2026-11-20X"])
  func rejects(_ text: String) {
    #expect(Timestamp.parse(text) == nil)
  }

  @Test(
    "the 20-byte form CloudTrail writes: its own path, and the general one for other separators",
    arguments: [
      ("2026-11-20T23:59:60Z", 1_795_219_200), ("2026-11-20t10:05:00Z", 1_795_169_100),
      ("2026-11-20T10:05:00z", 1_795_169_100), ("2026-11-20 10:05:00Z", 1_795_169_100),
      ("2024-02-29T00:00:00Z", 1_709_164_800), ("0000-03-01T00:00:00Z", -62_162_035_200),
    ] as [(String, Int64)])
  func canonicalForm(_ text: String, _ expected: Int64) {
    #expect(Timestamp.parse(text) == expected)
  }

  @Test(
    "rejects 20 bytes out of range or out of form",
    arguments: [
      "2026-00-20T10:05:00Z", "2026-11-32T10:05:00Z", "2026-11-20T24:05:00Z", "2026-11-20T10:60:00Z",
      "2026-11-20T10:05:61Z", "2026/11-20T10:05:00Z", "2026-11-20T10-05:00Z", "2026-11-20T10:05:00X",
      "2026-1a-20T10:05:00Z", "2026-11-20T10:05:0/Z", "2026-11-20T10:05:0:Z", "+026-11-20T10:05:00Z",
    ])
  func rejectsCanonical(_ text: String) {
    #expect(Timestamp.parse(text) == nil)
  }

  @Test("the 20-byte form reads as the same time with a fraction of a second (the general path), on random bytes")
  func canonicalAgainstGeneral() {
    var random = SeededRandom(seed: 0xBB67_AE85_84CA_A73B)
    let odd = Array("/:a Tt-Z.".utf8) + [0xFF, 0x00]
    var parsed = 0
    for _ in 0..<20_000 {
      // A time from year 1000 to 9999, some of its digits changed to other digits or other bytes.
      var text = Array(Timestamp.format(Int64(random.next(283_000_000_000)) - 30_610_224_000).utf8)
      for i in [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18] where random.next(20) == 0 {
        text[i] = random.next(3) == 0 ? odd[random.next(odd.count)] : UInt8(0x30 + random.next(10))
      }
      if random.next(10) == 0 { text[[4, 7, 10, 13, 16, 19][random.next(6)]] = odd[random.next(odd.count)] }
      if text[19] == UInt8(ascii: ".") { continue }  // a fraction already: the ".0" would be a second one
      var fraction = text
      fraction.insert(contentsOf: Array(".0".utf8), at: 19)
      let canonical = text.withUnsafeBufferPointer { Timestamp.parse($0) }
      #expect(canonical == fraction.withUnsafeBufferPointer { Timestamp.parse($0) })
      if canonical != nil { parsed += 1 }
    }
    #expect(parsed > 5_000 && parsed < 19_000)
  }

  @Test("formats as CloudTrail does")
  func formats() {
    #expect(Timestamp.format(1_795_169_100) == "2026-11-20T10:05:00Z")
    #expect(Timestamp.format(0) == "1970-01-01T00:00:00Z")
  }

  @Test(
    "formats any year as String(year) zero-padded to four characters would",
    arguments: [
      (-62_135_596_800, "0001-01-01T00:00:00Z"), (253_402_300_799, "9999-12-31T23:59:59Z"),
      (253_402_300_800, "10000-01-01T00:00:00Z"), (-62_167_219_200, "0000-01-01T00:00:00Z"),
      (-62_198_755_200, "00-1-01-01T00:00:00Z"), (-1, "1969-12-31T23:59:59Z"),
      (9_000_000_000_000_000, "285200616-07-24T16:00:00Z"), (-9_000_000_000_000_000, "-285196677-06-10T08:00:00Z"),
    ] as [(Int64, String)])
  func formatsYears(_ seconds: Int64, _ expected: String) {
    #expect(Timestamp.format(seconds) == expected)
  }

  @Test("formats into an arena the same bytes, after what is there")
  func formatsIntoArena() {
    let arena = ByteArena(capacity: 8)
    arena.append(0x22)
    Timestamp.format(1_795_169_100, into: arena)
    Timestamp.format(0, into: arena)
    let text = String(decoding: UnsafeBufferPointer(start: arena.base, count: arena.count), as: UTF8.self)
    #expect(text == "\"2026-11-20T10:05:00Z1970-01-01T00:00:00Z")
    #expect(arena.capacity == 64)
  }
}
