import Testing
import TightenTestSupport

@testable import TightenCore

/// The scanner's steps one at a time: where each leaves the scan.
@Suite("RecordScan")
struct RecordScanTests {
  static let a = #"{"eventSource":"s3.amazonaws.com","eventName":"A"}"#
  static let b = #"{"eventSource":"s3.amazonaws.com","eventName":"B"}"#

  /// What a test reads of a scan (the scan itself cannot be copied into `#expect`).
  struct Place: Equatable {
    var start: Int
    var end: Int
    var origin: Int
    var mode: ScanMode
    var wanted = 0
    var values = 0
    var eof = false
  }

  static func place(_ scan: borrowing RecordScan) -> Place {
    Place(
      start: scan.start, end: scan.end, origin: scan.origin, mode: scan.mode, wanted: scan.wanted,
      values: scan.values, eof: scan.eof)
  }

  static func reader(_ text: String, chunk: Int = 64 << 10) -> GzipReader {
    GzipReader(bytes: Array(text.utf8), path: "t.json", chunkSize: chunk)
  }

  /// A scan begun on `reader`, with the first read in hand.
  static func loaded(_ reader: GzipReader, limits: ScanLimits = .init()) throws(InputError) -> RecordScan {
    var scan = RecordScan(limits: limits)
    scan.begin("t.json", counts: ScanCounts())
    try scan.fill(reader)
    return scan
  }

  @Test("fill keeps the pending bytes, moves them to the front, reads what is wanted, grows by doubling")
  func fill() throws {
    let reader = Self.reader(String(repeating: "x", count: 100), chunk: 16)
    var scan = try Self.loaded(reader, limits: ScanLimits(readSize: 16))
    let first = Self.place(scan)
    #expect(first == Place(start: 0, end: 16, origin: 0, mode: .top))
    scan.start = 10
    scan.wanted = 20
    try scan.fill(reader)
    let second = (Self.place(scan), scan.counts.bytes, scan.buffer.capacity)
    #expect(second.0 == Place(start: 0, end: 22, origin: 10, mode: .top, wanted: 20))
    #expect(second.1 == 32)
    #expect(second.2 == 65536)
    scan.wanted = 100_000
    try scan.fill(reader)
    let third = (Self.place(scan), scan.counts.bytes, scan.buffer.capacity)
    #expect(third.0 == Place(start: 0, end: 90, origin: 10, mode: .top, wanted: 100_000, eof: true))
    #expect(third.1 == 100)
    #expect(third.2 == 131_072)
  }

  @Test("a byte order mark is stepped over; fewer than three bytes ask for three")
  func byteOrderMark() throws {
    var scan = try Self.loaded(Self.reader("\u{FEFF}{}"))
    let skipped = scan.skipByteOrderMark()
    #expect(skipped)
    #expect(Self.place(scan) == Place(start: 3, end: 5, origin: 0, mode: .top))
    var short = try Self.loaded(Self.reader("\u{FEFF}{}", chunk: 1))
    let decided = short.skipByteOrderMark()
    #expect(!decided)
    #expect(Self.place(short) == Place(start: 0, end: 2, origin: 0, mode: .top, wanted: 3))
  }

  @Test("steps through a Records object: container, records, end of array, end of object, end of input")
  func steps() throws {
    let text = #"{"Records":["# + Self.a + "," + Self.b + "]}"
    let reader = Self.reader(text)
    var scan = try Self.loaded(reader)
    var names: [String] = []
    var places: [Place] = []
    var more: [Bool] = []
    for _ in 0..<6 {
      more.append(try scan.step { names.append($0.string($0.eventName) ?? "?") })
      places.append(Self.place(scan))
    }
    let n = text.utf8.count
    let first = 12 + Self.a.utf8.count
    let second = first + 1 + Self.b.utf8.count
    #expect(
      places == [
        Place(start: 12, end: n, origin: 0, mode: .array(needComma: false, inObject: true), values: 1),
        Place(start: first, end: n, origin: 0, mode: .array(needComma: true, inObject: true), values: 1),
        Place(start: second, end: n, origin: 0, mode: .array(needComma: true, inObject: true), values: 1),
        Place(start: second + 1, end: n, origin: 0, mode: .afterArray(needComma: true), values: 1),
        Place(start: n, end: n, origin: 0, mode: .top, values: 1),
        Place(start: n, end: n, origin: 0, mode: .top, values: 1),  // the bytes in hand are done, the input not yet
      ])
    #expect(more == [true, true, true, true, true, true])
    #expect(names == ["A", "B"])
    try scan.fill(reader)
    let last = try scan.step { _ in }
    #expect(!last)
    #expect(Self.place(scan) == Place(start: 0, end: 0, origin: n, mode: .top, values: 1, eof: true))
    let records = scan.counts.records
    #expect(records == 2)
    try scan.finish()
  }

  @Test("a step that runs out of bytes leaves start and mode, and asks for twice what is pending")
  func needMore() throws {
    let limits = ScanLimits(maxValueBytes: 1024, readSize: 16)
    var scan = try Self.loaded(Self.reader("[" + Self.a, chunk: 11), limits: limits)
    _ = try scan.step { _ in }
    let afterBracket = Self.place(scan)
    _ = try scan.step { _ in }
    let afterIncomplete = Self.place(scan)
    #expect(
      afterBracket == Place(start: 1, end: 11, origin: 0, mode: .array(needComma: false, inObject: false), values: 1))
    #expect(
      afterIncomplete
        == Place(start: 1, end: 11, origin: 0, mode: .array(needComma: false, inObject: false), wanted: 20, values: 1))
  }

  @Test("a value past the limit is counted and skipped in the mode it was met in")
  func startSkipping() throws {
    let limits = ScanLimits(maxValueBytes: 8, readSize: 16)
    let text = "[ " + String(Self.a.prefix(30))
    var scan = try Self.loaded(Self.reader(text), limits: limits)
    _ = try scan.step { _ in }
    _ = try scan.step { _ in }
    let place = Self.place(scan)
    let counts = scan.counts
    #expect(
      place
        == Place(
          start: 2, end: 32, origin: 0, mode: .skipping(OversizedValue(then: .arrayElement(inObject: false))),
          values: 1))
    #expect(counts.invalid == 1)
    #expect(
      counts.firstInvalid
        == InputError(path: "t.json", kind: .malformed, offset: 1, reason: "a value larger than 8 bytes was skipped"))
  }

  @Test("malformed bytes fail at their offset in the input")
  func malformed() throws {
    var scan = try Self.loaded(Self.reader(" x"))
    var caught: InputError?
    do throws(InputError) {
      _ = try scan.step { _ in }
    } catch {
      caught = error
    }
    #expect(
      caught
        == InputError(
          path: "t.json", kind: .malformed, offset: 1, reason: "expected '{' or '[' (CloudTrail JSON), found 'x'"))
  }

  @Test("an input without values is empty")
  func finishEmpty() throws {
    var scan = RecordScan(limits: .init())
    scan.begin("e.json", counts: ScanCounts())
    var caught: InputError?
    do throws(InputError) {
      try scan.finish()
    } catch {
      caught = error
    }
    #expect(caught == InputError(path: "e.json", kind: .empty, offset: 0, reason: "the file is empty"))
  }
}
