import Foundation
import Testing
import TightenTestSupport

/// Every kind of bad input a nightly job meets, through the built binary:
/// the exact message and exit status, the other files still analysed.
@Suite("Broken inputs")
struct BrokenInputTests {
  static let folder = Fixtures.folder.appendingPathComponent("broken")
  static let good = Fixtures.folder.appendingPathComponent("broken/byte-order-mark.json").path

  static func item(_ name: String) -> String { folder.appendingPathComponent(name).path }

  /// Scans the bad input with a good file beside it.
  static func scan(_ bad: String) throws -> (Binary.Result, [String: Any]?) {
    let r = try Binary.run(["scan", bad, good, "--format", "json"])
    return (r, try? Binary.json(r))
  }

  static func events(_ j: [String: Any]?) -> [String: Any] { j?["events"] as? [String: Any] ?? [:] }

  @Test(
    "a bad file is named with its place and reason; the good one is still read; exit 3",
    arguments: [
      ("truncated.json.gz", "byte 127: gzip stream ends before its end marker (truncated file)"),
      ("corrupt.json.gz", "byte 35: corrupt gzip data: data error (invalid bit length repeat)"),
      ("not-json.json.gz", "byte 0: expected '{' or '[' (CloudTrail JSON), found 'h'"),
      ("empty.json", "byte 0: the file is empty"),
      (
        "not-cloudtrail.json",
        "byte 0: no usable CloudTrail record: an object without eventSource or eventName (not a CloudTrail record)"
      ),
    ])
  func badFiles(_ name: String, _ message: String) throws {
    let path = Self.item(name)
    let (r, j) = try Self.scan(path)
    #expect(r.status == 3)
    #expect(r.stderr == "\(path): error: \(message)\n")
    let files = try #require(j?["files"] as? [String: Any])
    let failed = try #require(files["failed"] as? [[String: Any]])
    #expect(failed.count == 1)
    #expect(failed.first?["path"] as? String == path)
    #expect(failed.first?["error"] as? String == message)
    #expect(files["read"] as? Int == 1)
    #expect((Self.events(j)["total"] as? Int ?? 0) >= 2)  // the good file's records
  }

  @Test("a bad input alone: nothing could be read, exit 2")
  func nothingReadable() throws {
    let r = try Binary.run(["scan", Self.item("empty.json")])
    #expect(r.status == 2)
    #expect(r.stderr.hasSuffix("tighten: error: no readable input\n"))
  }

  @Test(
    "bad records in a good file are skipped and counted, with the file named; exit 0",
    arguments: [
      ("invalid-utf8.json", "byte 13: record skipped: eventName is not valid UTF-8", 1, 1),
      (
        "wrong-types.json",
        "byte 474: 2 records skipped; the first: record skipped: eventName is a number, not a string", 1, 2
      ),
      ("missing-fields.json", "byte 13: record skipped: the record has no eventName", 1, 1),
    ])
  func badRecords(_ name: String, _ message: String, _ used: Int, _ skipped: Int) throws {
    let path = Self.item(name)
    let r = try Binary.run(["scan", path, "--format", "json"])
    #expect(r.status == 0)
    #expect(r.stderr == "\(path): warning: \(message)\n")
    let j = try Binary.json(r)
    #expect(Self.events(j)["total"] as? Int == used)
    #expect(Self.events(j)["invalid"] as? Int == skipped)
  }

  @Test("a byte order mark is read past")
  func byteOrderMark() throws {
    let r = try Binary.run(["scan", Self.good, "--format", "json"])
    #expect(r.status == 0)
    #expect(r.stderr.isEmpty)
    #expect(Self.events(try Binary.json(r))["total"] as? Int == 2)
  }

  @Test("JSON nested 100,000 deep: refused without recursion, the rest read")
  func deepNesting() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let deep = try Fixtures.write(
      String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000), to: "deep.json", in: root)
    let (r, _) = try Self.scan(deep)
    #expect(r.status == 3)
    #expect(r.stderr == "\(deep): error: byte 1: no usable CloudTrail record: an array nested deeper than 512 levels\n")
    let inRecord = try Fixtures.write(
      Records.file([
        Records.record(
          extra: #""requestParameters":"# + String(repeating: "[", count: 100_000)
            + String(repeating: "]", count: 100_000)),
        Records.record(name: "PutObject"),
      ]), to: "deep-record.json", in: root)
    let second = try Binary.run(["scan", inRecord, "--format", "json"])
    #expect(second.status == 0)
    #expect(second.stderr.contains("record skipped: requestParameters is nested deeper than 512 levels"))
  }

  @Test("a 100 MB string is skipped as it streams: memory stays bounded, the other records are read")
  func hugeString() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let path = root.appendingPathComponent("huge.json")
    _ = FileManager.default.createFile(atPath: path.path, contents: nil)
    let handle = try FileHandle(forWritingTo: path)
    try handle.write(
      contentsOf: Data(
        (#"{"Records":["# + Records.record(name: "GetObject")
          + #",{"eventSource":"s3.amazonaws.com","eventName":"PutObject","errorMessage":""#).utf8))
    let block = Data(repeating: 0x61, count: 1 << 20)
    for _ in 0..<100 { try handle.write(contentsOf: block) }
    try handle.write(contentsOf: Data((#""},"# + Records.record(name: "ListBuckets") + "]}").utf8))
    try handle.close()
    let r = try Binary.run(["scan", path.path, "--format", "json", "--memory"])
    #expect(r.status == 0)
    #expect(
      r.stderr.contains("\(path.path): warning: byte ")
        && r.stderr.contains(": a value larger than 16777216 bytes was skipped"))
    let j = try Binary.json(r)
    #expect(Self.events(j)["total"] as? Int == 2)
    #expect(Self.events(j)["invalid"] as? Int == 1)
    let peak = r.stderr.split(separator: "\n").first { $0.hasPrefix("memory: peak ") }
      .flatMap { Int($0.dropFirst("memory: peak ".count).prefix { $0.isNumber }) }
    // Megabytes: a buffer of one 16 MiB value at most, whatever the string (about 43 MB measured).
    #expect(try #require(peak) < 64, "\(r.stderr)")
  }

  @Test("--memory reports the peak as the process ends, after every phase, on failure too")
  func memoryAtExit() throws {
    // generate's own phases come after the analysis: the peak is read last, even when it exits 2.
    let r = try Binary.run(["generate", "SampleTrails/trails/deploy-1", "--max-size", "200", "--memory"])
    #expect(r.status == 2)
    let lines = r.stderr.split(separator: "\n")
    #expect(lines.first?.hasPrefix("tighten: error: the policy needs 199 documents") == true, "\(r.stderr)")
    #expect(lines.last?.hasPrefix("memory: peak ") == true, "\(r.stderr)")
    #expect(lines.filter { $0.hasPrefix("memory: peak ") }.count == 1)
  }

  @Test("a decompression bomb fails with its reason, before exhausting memory")
  func bomb() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let body = Array(#"{"Records":["#.utf8) + [UInt8](repeating: 0x20, count: 64 << 20) + Array("]}".utf8)
    let path = try Fixtures.write(TestGzip.compress(body, level: 9), to: "bomb.json.gz", in: root)
    let (r, _) = try Self.scan(path)
    #expect(r.status == 3)
    #expect(r.stderr.hasPrefix("\(path): error: byte "))
    #expect(r.stderr.hasSuffix(": decompresses more than 1000 times its compressed size (a decompression bomb?)\n"))
  }

  @Test("an unreadable file is named with the system's reason")
  func unreadable() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let path = root.appendingPathComponent("unreadable.json").path
    if getuid() == 0 {
      // Root reads any file; /proc/self/mem fails on read (EIO) whoever asks.
      try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/proc/self/mem")
    } else {
      try Fixtures.write("{}", to: "unreadable.json", in: root)
      try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: path)
    }
    let (r, _) = try Self.scan(path)
    #expect(r.status == 3)
    let expected = getuid() == 0 ? "byte 0: Input/output error" : "Permission denied"
    #expect(r.stderr == "\(path): error: \(expected)\n")
  }

  @Test("a folder with a symbolic-link loop is walked once, without hanging")
  func linkLoop() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    try Fixtures.write(Records.file([Records.record()]), to: "a/trail.json", in: root)
    try FileManager.default.createSymbolicLink(
      atPath: root.appendingPathComponent("a/loop").path, withDestinationPath: root.path)
    let r = try Binary.run(["scan", root.path, "--format", "json"])
    #expect(r.status == 0)
    #expect(Self.events(try Binary.json(r))["total"] as? Int == 1)
  }

  @Test(
    "a bad policy file stops diff with exit 2, naming the place",
    arguments: [
      ("policy-invalid-json.json", "line 2, column 48: invalid JSON: expected ',' or '}' after a member, found '\"'"),
      ("policy-unknown-field.json", "Statement[0].Resources: unknown field 'Resources' in a statement"),
      (
        "policy-action-without-colon.json",
        "Statement[0].Action[1]: action 's3GetObject' has no service prefix (expected service:Action)"
      ),
      ("policy-empty-statement.json", "Statement: Statement is empty: the policy grants nothing"),
    ])
  func badPolicies(_ name: String, _ message: String) throws {
    let path = Self.item(name)
    let r = try Binary.run(["diff", "--policy", path, Self.good])
    #expect(r.status == 2)
    #expect(r.stderr == "\(path): error: \(message)\n")
    #expect(r.stdout.isEmpty)
  }

  @Test("a truncated file's records before the cut still count when nothing else is readable: exit 3, not 2")
  func truncatedWithRecords() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let records = (0..<200).map { Records.record(name: $0 % 2 == 0 ? "GetObject" : "PutObject") }
    let gz = TestGzip.compress(Records.file(records))
    let path = try Fixtures.write(Array(gz.prefix(gz.count * 3 / 4)), to: "cut.json.gz", in: root)
    let r = try Binary.run(["scan", path, "--format", "json"])
    #expect(r.status == 3)
    #expect((Self.events(try Binary.json(r))["total"] as? Int ?? 0) > 50)
  }

}
