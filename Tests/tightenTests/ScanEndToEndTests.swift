import Foundation
import Testing
import TightenTestSupport

/// The built binary, run as users and their scripts run it.
@Suite("tighten scan, end to end")
struct ScanEndToEndTests {
  static let deploy1 = "SampleTrails/trails/deploy-1"
  static let execRole = "arn:aws:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1"

  @Test("scans the sample trails as JSON, with the fields of the contract")
  func json() throws {
    let r = try Binary.run(["scan", Self.deploy1, "--format", "json"])
    #expect(r.status == 0)
    #expect(r.stderr == "")
    let j = try Binary.json(r)
    let files = try #require(j["files"] as? [String: Any])
    #expect(files["read"] as? Int == 6)
    #expect(files["skipped"] as? Int == 1)
    #expect((files["failed"] as? [Any])?.isEmpty == true)
    let events = try #require(j["events"] as? [String: Any])
    #expect(events["total"] as? Int == 54)
    let excluded = try #require(events["excluded"] as? [String: Int])
    #expect(excluded["awsServiceEvent"] == 1)
    #expect(excluded["awsServicePrincipal"] == 1)
    #expect(excluded["consoleSignIn"] == 1)
    let principals = try #require(j["principals"] as? [[String: Any]])
    #expect(principals.contains { $0["arn"] as? String == Self.execRole })
    let permissions = try #require(j["permissions"] as? [[String: Any]])
    #expect(!permissions.isEmpty)
    for p in permissions {
      #expect(Set(p.keys).isSuperset(of: ["action", "resource", "count", "denied", "firstSeen", "lastSeen"]))
    }
    #expect(j["unmapped"] is [Any])
  }

  @Test("the same input gives byte-identical output, whatever the number of jobs")
  func deterministic() throws {
    let a = try Binary.run(["scan", Self.deploy1, "--format", "json", "--jobs", "1"])
    let b = try Binary.run(["scan", Self.deploy1, "--format", "json", "--jobs", "4"])
    #expect(a.stdout == b.stdout)
    #expect(!a.stdout.isEmpty)
  }

  @Test("--principal keeps the execution role's calls only")
  func principal() throws {
    let r = try Binary.run(["scan", Self.deploy1, "--format", "json", "--principal", Self.execRole])
    let j = try Binary.json(r)
    let principals = try #require(j["principals"] as? [[String: Any]])
    #expect(principals.map { $0["arn"] as? String } == [Self.execRole])
    let events = try #require(j["events"] as? [String: Any])
    #expect(events["counted"] as? Int == 39)  // 40 calls, one of them sts:GetCallerIdentity, which needs no permission
    let excluded = try #require(events["excluded"] as? [String: Int])
    #expect(excluded["noPermissionNeeded"] == 1)
  }

  @Test("text output starts with a summary line")
  func text() throws {
    let r = try Binary.run(["scan", Self.deploy1])
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("Read 6 files (1 skipped, 0 failed): 54 events"))
    #expect(r.stdout.contains("Permissions ("))
  }

  @Test("reads standard input with '-'")
  func standardInput() throws {
    let record = Records.record(name: "ListBuckets")
    let r = try Binary.run(["scan", "-", "--format", "json"], stdin: Data(TestGzip.compress(Records.file([record]))))
    #expect(r.status == 0)
    let events = try #require(try Binary.json(r)["events"] as? [String: Any])
    #expect(events["total"] as? Int == 1)
  }

  @Test("a bad file is named on standard error, the rest is analysed, and the exit status is 3")
  func partial() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    try Fixtures.write(Records.file([Records.record()]), to: "good.json", in: root)
    let bad = try Fixtures.write(#"{"Records":[{"eventName" "x"}]}"#, to: "bad.json", in: root)
    let r = try Binary.run(["scan", root.path, "--format", "json"])
    #expect(r.status == 3)
    #expect(r.stderr == "\(bad): error: byte 25: expected ':', found '\"'\n")
    let files = try #require(try Binary.json(r)["files"] as? [String: Any])
    let failed = try #require(files["failed"] as? [[String: Any]])
    #expect(failed.count == 1)
    #expect(failed.first?["path"] as? String == bad)
    #expect(failed.first?["error"] as? String == "byte 25: expected ':', found '\"'")
    #expect(files["read"] as? Int == 1)
  }

  @Test("no readable input is exit status 2", arguments: [["/nonexistent"], ["--since", "soon", "SampleTrails"], []])
  func cannotRun(_ arguments: [String]) throws {
    let r = try Binary.run(["scan"] + arguments)
    #expect(r.status == 2)
    #expect(!r.stderr.isEmpty)
  }

  @Test("--version names the tool")
  func version() throws {
    let r = try Binary.run(["--version"])
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("tighten "))
  }
}
