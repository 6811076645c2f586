import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("TrailWalker")
struct TrailWalkerTests {
  static let day = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20"

  static func delivery(_ stamp: String, region: String = "us-east-1") -> String {
    "111122223333_CloudTrail_\(region)_\(stamp)_AbCdEfGh12345678.json.gz"
  }

  @Test("walks the S3 layout in a fixed order and skips digests and other files")
  func layout() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    for stamp in ["20261120T1010Z", "20261120T1005Z"] {
      try Fixtures.write("{}", to: "\(Self.day)/\(Self.delivery(stamp))", in: root)
    }
    try Fixtures.write("{}", to: "AWSLogs/o-abc123/222233334444/CloudTrail/eu-west-1/2026/11/20/x.json.gz", in: root)
    try Fixtures.write(
      "{}",
      to:
        "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/20/111122223333_CloudTrail-Digest_us-east-1_t_20261120T1005Z.json.gz",
      in: root)
    try Fixtures.write("{}", to: "\(Self.day)/111122223333_CloudTrail-Digest_x.json.gz", in: root)
    try Fixtures.write("notes", to: "README.md", in: root)
    try Fixtures.write("x", to: ".hidden/a.json", in: root)
    let listing = TrailWalker().list([root.path])
    #expect(
      listing.files.map { String($0.dropFirst(root.path.count + 1)) } == [
        "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/\(Self.delivery("20261120T1005Z"))",
        "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/\(Self.delivery("20261120T1010Z"))",
        "AWSLogs/o-abc123/222233334444/CloudTrail/eu-west-1/2026/11/20/x.json.gz",
      ])
    #expect(listing.skipped == [.digest: 2, .notTrail: 1])
    #expect(listing.failures.isEmpty)
  }

  @Test("reads the delivery time in file names")
  func deliveryTime() {
    #expect(TrailWalker.deliveryTime(Self.delivery("20261120T1005Z")) == Timestamp.parse("2026-11-20T10:05:00Z"))
    #expect(TrailWalker.deliveryTime("events.json") == nil)
    #expect(TrailWalker.deliveryTime("1_CloudTrail_us-east-1_2026112XT1005Z_a.json.gz") == nil)
  }

  @Test("--since and --until pass over whole files by their delivery time")
  func timeSkipping() {
    let walker = TrailWalker(since: Timestamp.parse("2026-11-20T12:00:00Z"), until: Timestamp.parse("2026-11-21"))
    #expect(walker.skipReason(Self.delivery("20261120T1155Z")) == .outsideTime)  // written before --since
    #expect(walker.skipReason(Self.delivery("20261120T1159Z")) == nil)  // written in the minute before: kept
    #expect(walker.skipReason(Self.delivery("20261121T2300Z")) == nil)  // late deliveries are kept
    #expect(walker.skipReason(Self.delivery("20261122T0100Z")) == .outsideTime)  // a day past --until
    #expect(walker.skipReason("lookup.json") == nil)
    // The digest marker is found by bytes; beyond ASCII, as `String` finds it (a combining mark makes another character).
    #expect(walker.skipReason("1_CloudTrail-Digest_us-east-1_20261120T1200Z_x.json.gz") == .digest)
    #expect(walker.skipReason("1_CloudTrail-Digest_\u{E9}_20261120T1200Z_x.json.gz") == .digest)
    #expect(walker.skipReason("1_CloudTrail-Digest\u{301}_us-east-1_20261120T1200Z_x.json.gz") == nil)
  }

  @Test("survives a symbolic-link loop and reports a dangling link")
  func linkLoop() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    try Fixtures.write("{}", to: "a/trail.json", in: root)
    try FileManager.default.createSymbolicLink(
      atPath: root.appendingPathComponent("a/loop").path, withDestinationPath: root.path)
    try FileManager.default.createSymbolicLink(
      atPath: root.appendingPathComponent("a/gone.json").path, withDestinationPath: "/nonexistent/x.json")
    let listing = TrailWalker().list([root.path])
    #expect(listing.files == [root.appendingPathComponent("a/trail.json").path])
    #expect(listing.failures.map(\.kind) == [.unreadable])
    #expect(listing.failures.first?.path.hasSuffix("a/gone.json") == true)
  }

  @Test("a missing path is a failure named by its path; the others are still listed")
  func missingPath() throws {
    let listing = TrailWalker().list(["/nonexistent/trails", Fixtures.path("trails/trailscraper-fixtures")])
    #expect(
      listing.failures == [
        InputError(path: "/nonexistent/trails", kind: .unreadable, reason: "No such file or directory")
      ])
    #expect(listing.files.count == 2)
  }

  @Test("files named on the command line are read whatever their name; standard input each time")
  func explicitFiles() {
    #expect(TrailWalker().list(["/etc/hostname", "-", "-"]).files == ["/etc/hostname", "-", "-"])
  }

  @Test("a name that is not UTF-8 is listed by its bytes and shown escaped, in byte order")
  func nonUTF8Names() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let folder = RawPath(root.path)
    for name in [[0x61, 0xFF], [0x61, 0x7A], [0x62, 0xC3]] as [[UInt8]] {
      #expect(
        [UInt8]("{}".utf8).withUnsafeBytes { Platform.writeFile(folder.appending(name + Array(".json".utf8)), $0) })
    }
    let listing = TrailWalker().list([root.path])
    #expect(
      listing.paths.map(\.bytes)
        == [[0x61, 0x7A], [0x61, 0xFF], [0x62, 0xC3]].map {
          folder.appending($0 + Array(".json".utf8)).bytes
        })
    #expect(listing.files == [root.path + "/az.json", root.path + #"/a\xff.json"#, root.path + #"/b\xc3.json"#])
    #expect(listing.failures.isEmpty)
    // The shown form, given back, lists the same file.
    #expect(
      TrailWalker().list([root.path + #"/a\xff.json"#]).paths == [
        folder.appending([0x61, 0xFF, 0x2E, 0x6A, 0x73, 0x6F, 0x6E])
      ])
  }

  @Test("one file by many routes is listed once, where the first route meets it")
  func oneFileManyRoutes() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let trail = try Fixtures.write("{}", to: "b/t.json", in: root)
    let other = try Fixtures.write("{}", to: "b/u.json", in: root)
    let files = FileManager.default
    try files.createDirectory(at: root.appendingPathComponent("a"), withIntermediateDirectories: true)
    try files.linkItem(atPath: trail, toPath: root.appendingPathComponent("a/hard.json").path)
    try files.createSymbolicLink(atPath: root.appendingPathComponent("c.json").path, withDestinationPath: "b/t.json")
    try files.createSymbolicLink(atPath: root.appendingPathComponent("d").path, withDestinationPath: "b")
    let listing = TrailWalker().list([other, root.path, trail, root.path + "/b", "-"])
    #expect(listing.files == [other, root.path + "/a/hard.json", "-"])
    #expect(listing.skipped.isEmpty)
    #expect(listing.failures.isEmpty)
  }

  @Test("a file passed over by its name in a folder and named on the command line is read, not counted as skipped")
  func skippedThenNamed() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let notes = try Fixtures.write("{}", to: "notes.txt", in: root)
    try FileManager.default.linkItem(atPath: notes, toPath: root.appendingPathComponent("notes.md").path)
    let listing = TrailWalker().list([root.path, notes])
    #expect(listing.files == [notes])
    #expect(listing.skipped.isEmpty)
    let walkedOnly = TrailWalker().list([root.path])
    #expect(walkedOnly.files.isEmpty)
    #expect(walkedOnly.skipped == [.notTrail: 1])
    let namedFirst = TrailWalker().list([notes, root.path])
    #expect(namedFirst.files == [notes])
    #expect(namedFirst.skipped.isEmpty)
  }
}
