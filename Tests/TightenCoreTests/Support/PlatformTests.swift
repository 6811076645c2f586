import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("Platform")
struct PlatformTests {
  static func write(_ text: String, to fd: Int32) throws {
    var text = text
    try text.withUTF8 { try Platform.writeAll(UnsafeRawBufferPointer($0), to: fd) }
  }

  @Test(
    "contains finds a byte string anywhere, including at the very end, and not past it",
    arguments: [
      ("\"kms\"", #"{"a":1,"kms":2}"#, true), ("kms", "xxkms", true), ("kms", "xxkm", false),
      ("kms", "kkms", true), ("abc", "ab", false), ("a", "", false),
    ])
  func contains(needle: String, haystack: String, expected: Bool) {
    var text = haystack
    let found = text.withUTF8 { Platform.contains(Array(needle.utf8), in: $0) }
    #expect(found == expected)
  }

  @Test("writing to a descriptor that is not open, or not open for writing, is an error")
  func writeFailure() throws {
    #expect(throws: Platform.SystemError.badDescriptor) { try Self.write("lost", to: -1) }
    #expect(throws: Platform.SystemError.badDescriptor) { try Self.write("lost", to: 1_000_000) }
    let fd = try Platform.openForReading(Fixtures.path("broken/byte-order-mark.json"))
    defer { Platform.close(fd) }
    #expect(throws: Platform.SystemError.badDescriptor) { try Self.write("lost", to: fd) }
    try Self.write("", to: -1)  // nothing to write: no error
  }

  @Test("writes every byte, and reads them back")
  func writeAndRead() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let path = root.appendingPathComponent("bytes").path
    let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    #expect(bytes.withUnsafeBytes { Platform.writeFile(path, $0) })
    #expect(Platform.readFile(path, limit: 1 << 20) == bytes)
    // Whole 64 KiB chunks until past the limit.
    #expect(Platform.readFile(path, limit: 100_000) == Array(bytes[0..<131_072]))
    #expect(Platform.readFile(root.appendingPathComponent("missing").path, limit: 10) == nil)

    let fd = try Platform.openForReading(path)
    defer { Platform.close(fd) }
    var buffer = [UInt8](repeating: 0, count: 10)
    let n = try buffer.withUnsafeMutableBytes { raw throws(Platform.SystemError) in
      try Platform.read(fd, into: raw.baseAddress!, count: raw.count)
    }
    #expect(n == 10)
    #expect(buffer == Array(bytes[0..<10]))
    #expect(!Platform.isDirectory(fd))
  }

  @Test("a missing file fails with the system's reason")
  func missing() {
    #expect(throws: Platform.SystemError.noSuchFile) { try Platform.openForReading("/nonexistent/x.json") }
    #expect(throws: Platform.SystemError.noSuchFile) { try Platform.status("/nonexistent/x.json") }
    #expect(throws: Platform.SystemError.noSuchFile) { try Platform.entries(RawPath("/nonexistent")) }
    #expect(Platform.SystemError.noSuchFile.description == "No such file or directory")
    #expect(Platform.SystemError.badDescriptor.description == "Bad file descriptor")
  }

  @Test("stat and folder listings")
  func folders() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    try Fixtures.write("b", to: "b.json", in: root)
    try Fixtures.write("a", to: "sub/a.json", in: root)
    #expect(
      try Platform.entries(RawPath(root.path)).map { String(decoding: $0.name, as: UTF8.self) }.sorted() == [
        "b.json", "sub",
      ])
    #expect(try Platform.status(root.path).kind == .directory)
    #expect(try Platform.status(root.appendingPathComponent("b.json").path).kind == .regular)
    #expect(try Platform.status("/dev/null").kind == .other)
    let a = try Platform.status(root.appendingPathComponent("sub").path)
    let b = try Platform.status(root.appendingPathComponent("sub/").path)
    #expect(a == b)
    let fd = try Platform.openForReading(root.path)
    defer { Platform.close(fd) }
    #expect(Platform.isDirectory(fd))
  }

  @Test("a name that is not UTF-8 is listed, found and opened by its bytes, and by its shown form")
  func bytePaths() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let raw = RawPath(root.path).appending(Array("a".utf8) + [0xFF, 0x5C] + Array(".json".utf8))
    #expect(raw.display == root.path + #"/a\xff\\.json"#)
    #expect([UInt8]("{}".utf8).withUnsafeBytes { Platform.writeFile(raw, $0) })
    #expect(
      try Platform.entries(RawPath(root.path)).map(\.name) == [Array("a".utf8) + [0xFF, 0x5C] + Array(".json".utf8)])
    #expect(try Platform.status(raw).kind == .regular)
    #expect(try Platform.status(raw.display) == Platform.status(raw))
    for fd in [try Platform.openForReading(raw), try Platform.openForReading(raw.display)] {
      defer { Platform.close(fd) }
      var buffer = [UInt8](repeating: 0, count: 8)
      let n = try buffer.withUnsafeMutableBytes { (b) throws(Platform.SystemError) in
        try Platform.read(fd, into: b.baseAddress!, count: b.count)
      }
      #expect(Array(buffer[0..<n]) == Array("{}".utf8))
    }
    // The bytes the text spells, when they are not the shown form of anything: not found.
    #expect(throws: Platform.SystemError.noSuchFile) { try Platform.status(root.path + #"/a\xFF\\.json"#) }
    #expect(throws: Platform.SystemError.noSuchFile) { try Platform.status(root.path + #"/a\xff\.json"#) }
  }

  @Test("memory: finds a byte, compares bytes")
  func memory() {
    let bytes: [UInt8] = Array("abc\"def\"".utf8)
    bytes.withUnsafeBufferPointer { p in
      let base = p.baseAddress!
      #expect(Platform.findByte(0x22, in: base, count: p.count).map { $0 - base } == 3)
      #expect(Platform.findByte(0x22, in: base + 4, count: 4).map { $0 - base } == 7)
      #expect(Platform.findByte(0x22, in: base, count: 3) == nil)
      #expect(Platform.compare(base, base + 4, count: 3) < 0)
      #expect(Platform.compare(base + 1, base + 1, count: 2) == 0)
    }
  }

  @Test("facts about the process")
  func process() {
    #expect(Platform.processorCount >= 1)
    #expect(Platform.peakResidentMegabytes() > 0)
    #expect(!Platform.isTerminal(-1))
    let t0 = Platform.monotonicSeconds()
    let t1 = Platform.monotonicSeconds()
    #expect(t0 > 0 && t1 >= t0)
  }
}
