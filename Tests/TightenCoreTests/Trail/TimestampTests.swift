import Testing

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
