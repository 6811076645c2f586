import Foundation
import Testing
import TightenTestSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Inputs that are legal but built to break a walker or a reader, through the
/// built binary: file names that are not UTF-8, one file reached by several
/// routes, data after a gzip member, records naming very many resources.
@Suite("Hostile trails")
struct HostileTrailTests {
  /// Writes `content` to `folder/name`, the name given as raw bytes (not necessarily UTF-8).
  static func create(_ content: [UInt8], name: [UInt8], in folder: URL) throws {
    let path = Array(folder.path.utf8) + [UInt8(ascii: "/")] + name + [0]
    let fd = path.withUnsafeBufferPointer { p in
      p.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
    }
    guard fd >= 0 else { throw POSIXError(.EIO) }
    defer { close(fd) }
    let written = content.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == content.count else { throw POSIXError(.EIO) }
  }

  static func files(_ j: [String: Any]) -> [String: Any] { j["files"] as? [String: Any] ?? [:] }
  static func events(_ j: [String: Any]) -> [String: Any] { j["events"] as? [String: Any] ?? [:] }
  static func permissions(_ j: [String: Any]) -> [[String: Any]] { j["permissions"] as? [[String: Any]] ?? [] }

  static let twoRecords = Array(Records.file([Records.record(), Records.record(name: "PutObject")]).utf8)

  @Test("a file name that is not UTF-8 is read, and shown with its bad bytes as \\xNN")
  func nonUTF8Names() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    // good\xff.json: two records. warn\xfe\\.json: one good record, one without eventName.
    // bad\xc3.json: not JSON.
    try Self.create(Self.twoRecords, name: Array("good".utf8) + [0xFF] + Array(".json".utf8), in: root)
    let warned = Records.file([Records.record(), #"{"eventSource":"s3.amazonaws.com"}"#])
    try Self.create(Array(warned.utf8), name: Array("warn".utf8) + [0xFE, 0x5C] + Array(".json".utf8), in: root)
    try Self.create(Array("hello".utf8), name: Array("bad".utf8) + [0xC3] + Array(".json".utf8), in: root)
    let r = try Binary.run(["scan", root.path, "--format", "json"])
    #expect(r.status == 3)
    let bad = root.path + #"/bad\xc3.json"#
    let warn = root.path + #"/warn\xfe\\.json"#
    let badMessage = "byte 0: expected '{' or '[' (CloudTrail JSON), found 'h'"
    let badRecordAt = warned.utf8.count - #"{"eventSource":"s3.amazonaws.com"}]}"#.utf8.count
    let warnMessage = "byte \(badRecordAt): record skipped: the record has no eventName"
    // Standard error shows the path as text output does (`Escaping.text`): a backslash before a backslash doubles.
    let warnOnStderr = root.path + #"/warn\xfe\\\.json"#
    #expect(r.stderr == "\(bad): error: \(badMessage)\n\(warnOnStderr): warning: \(warnMessage)\n")
    let j = try Binary.json(r)
    #expect(Self.events(j)["total"] as? Int == 3)
    #expect(Self.events(j)["invalid"] as? Int == 1)
    let files = Self.files(j)
    #expect(files["read"] as? Int == 2)
    let failed = files["failed"] as? [[String: Any]] ?? []
    #expect(failed.map { $0["path"] as? String } == [bad])
    #expect(failed.map { $0["error"] as? String } == [badMessage])
    let warnings = files["warnings"] as? [[String: Any]] ?? []
    #expect(warnings.map { $0["path"] as? String } == [warn])
    #expect(warnings.map { $0["error"] as? String } == [warnMessage])
  }

  @Test("the shown name of a file that is not UTF-8 can be given back on the command line")
  func shownNameRoundTrips() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    try Self.create(Self.twoRecords, name: Array("good".utf8) + [0xFF] + Array(".json".utf8), in: root)
    let r = try Binary.run(["scan", root.path + #"/good\xff.json"#, "--format", "json"])
    #expect(r.status == 0)
    #expect(r.stderr == "")
    let j = try Binary.json(r)
    #expect(Self.events(j)["total"] as? Int == 2)
    #expect(Self.files(j)["read"] as? Int == 1)
  }

  @Test("one file reached through its folder, its own path, a hard link and a symbolic link is read once")
  func oneFileManyRoutes() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let trail = try Fixtures.write(Self.twoRecords, to: "trails/t.json", in: root)
    try FileManager.default.linkItem(atPath: trail, toPath: root.appendingPathComponent("trails/hard.json").path)
    try FileManager.default.createSymbolicLink(
      atPath: root.appendingPathComponent("trails/soft.json").path, withDestinationPath: "t.json")
    try FileManager.default.createSymbolicLink(
      atPath: root.appendingPathComponent("again").path, withDestinationPath: "trails")
    let r = try Binary.run(["scan", root.path, trail, "--format", "json"])
    #expect(r.status == 0)
    #expect(r.stderr == "")
    let j = try Binary.json(r)
    #expect(Self.events(j)["total"] as? Int == 2)
    #expect(Self.files(j)["read"] as? Int == 1)
    #expect(Self.files(j)["skipped"] as? Int == 0)
    #expect(Self.permissions(j).map { $0["count"] as? Int } == [1, 1])
  }

  @Test("data after the gzip stream is a warning; the records before it count")
  func trailingGzipData() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let gz = TestGzip.compress(Self.twoRecords)
    let path = try Fixtures.write(gz + Array("garbage after the member\n".utf8), to: "t.json.gz", in: root)
    let r = try Binary.run(["scan", path, "--format", "json"])
    #expect(r.status == 0)
    let j = try Binary.json(r)
    #expect(Self.events(j)["total"] as? Int == 2)
    #expect(Self.events(j)["invalid"] as? Int == 0)
    #expect(Self.files(j)["read"] as? Int == 1)
    #expect((Self.files(j)["failed"] as? [Any])?.count == 0)
    let message = "byte \(gz.count): trailing data after the gzip stream ignored (not a gzip member)"
    #expect(r.stderr == "\(path): warning: \(message)\n")
    let warnings = Self.files(j)["warnings"] as? [[String: Any]] ?? []
    #expect(warnings.map { $0["error"] as? String } == [message])
    #expect(warnings.map { $0["kind"] as? String } == ["trailingData"])
  }

  @Test("a resources entry that is a bare ARN and requestParameters held as a JSON string are read; the calls count")
  func lenientFields() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let identity =
      #""userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/deployer/s","#
      + #""accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","#
      + #""arn":"arn:aws:iam::111122223333:role/deployer","userName":"deployer"}}}"#
    let common =
      #""awsRegion":"us-east-1","recipientAccountId":"111122223333","eventTime":"2026-11-20T10:00:00Z","# + identity
    let records = [
      #"{"eventSource":"lambda.amazonaws.com","eventName":"GetFunction20150331v2","# + common
        + #","requestParameters":{"functionName":"f1"},"resources":["arn:aws:lambda:us-east-1:111122223333:function:f1"]}"#,
      #"{"eventSource":"iam.amazonaws.com","eventName":"GetRole","# + common
        + #","requestParameters":"{\"roleName\":\"app-role\"}"}"#,
      #"{"eventSource":"iam.amazonaws.com","eventName":"GetRole","# + common
        + #","requestParameters":"HIDDEN","resources":[7]}"#,
    ]
    let text = #"{"Records":["# + records.joined(separator: ",\n") + "]}"
    let path = try Fixtures.write(text, to: "lenient.json", in: root)
    let r = try Binary.run(["scan", path, "--format", "json"])
    #expect(r.status == 0)
    let j = try Binary.json(r)
    #expect(Self.events(j)["counted"] as? Int == 3)
    #expect(Self.events(j)["invalid"] as? Int == 0)
    #expect(
      Self.permissions(j).map { "\($0["action"] ?? "") \($0["resource"] ?? "") \($0["count"] ?? "")" } == [
        "iam:GetRole arn:aws:iam::111122223333:role/* 1",
        "iam:GetRole arn:aws:iam::111122223333:role/app-role 1",
        "lambda:GetFunction arn:aws:lambda:us-east-1:111122223333:function:f1 1",
      ])
    let offset = text.utf8.firstRange(of: #""arn:aws:lambda:us-east-1:111122223333:function:f1"]"#.utf8)!.lowerBound
    let at = text.utf8.distance(from: text.utf8.startIndex, to: offset)
    let message =
      "byte \(at): an entry of resources is a string: read as an ARN; 3 records of this file read so leniently"
    #expect(r.stderr == "\(path): warning: \(message)\n")
  }

  /// One GetObject record naming `keys` as its objects' ARNs, refused when `denied`.
  static func record(keys: some Sequence<Int>, denied: Bool = false) -> String {
    let resources = keys.map { #"{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::b/k\#($0)"}"# }
    return Records.record(
      errorCode: denied ? "AccessDenied" : nil, extra: #""resources":["# + resources.joined(separator: ",") + "]")
  }

  @Test(
    "a record naming 100,000 resources gives one row each, allowed or refused",
    arguments: [false, true])
  func manyResources(denied: Bool) throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let path = try Fixtures.write(
      Records.file([Self.record(keys: 0..<100_000, denied: denied)]), to: "t.json", in: root)
    let r = try Binary.run(["scan", path, "--format", "json"])
    #expect(r.status == 0)
    #expect(r.stderr == "")
    let j = try Binary.json(r)
    #expect(Self.events(j)["total"] as? Int == 1)
    let rows = Self.permissions(j)
    #expect(rows.count == 100_000)
    #expect(Set(rows.compactMap { $0["resource"] as? String }).count == 100_000)
    #expect(rows.allSatisfy { $0["count"] as? Int == 1 && $0["denied"] as? Int == (denied ? 1 : 0) })
  }

  @Test(
    "three records naming 150,000 resources each, mostly the same, count each resource once per record",
    arguments: [false, true])
  func manyDuplicateResources(denied: Bool) throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    // Record n names keys (i * 7 + n) % 1000 for i in 0..<150,000: all 1,000 keys, each 150 times.
    let records = (0..<3).map { n in Self.record(keys: (0..<150_000).lazy.map { ($0 * 7 + n) % 1000 }, denied: denied) }
    let path = try Fixtures.write(Records.file(records), to: "t.json", in: root)
    let r = try Binary.run(["scan", path, "--format", "json"])
    #expect(r.status == 0)
    #expect(r.stderr == "")
    let j = try Binary.json(r)
    #expect(Self.events(j)["total"] as? Int == 3)
    let rows = Self.permissions(j)
    #expect(rows.count == 1000)
    #expect(Set(rows.compactMap { $0["resource"] as? String }).count == 1000)
    #expect(rows.allSatisfy { $0["count"] as? Int == 3 && $0["denied"] as? Int == (denied ? 3 : 0) })
  }

  @Test("a file name that is not UTF-8 given on the command line is read by its bytes")
  func nonUTF8Argument() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    try Self.create(Self.twoRecords, name: Array("x".utf8) + [0xFF] + Array(".json".utf8), in: root)
    // Foundation's Process takes Strings only: the shell passes the raw byte.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = [
      "-c", #"exec "$0" scan --format json "$(printf '%s/x\377.json' "$1")""#, Binary.url.path, root.path,
    ]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = Pipe()
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let j = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(Self.events(j)["total"] as? Int == 2)
    #expect(Self.files(j)["read"] as? Int == 1)
  }
}
