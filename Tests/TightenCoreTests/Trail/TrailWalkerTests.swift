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

  @Test("files named on the command line are read whatever their name")
  func explicitFiles() {
    #expect(TrailWalker().list(["/etc/hostname", "-"]).files == ["/etc/hostname", "-"])
  }
}

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
}

@Suite("Principal filter")
struct PrincipalFilterTests {
  static let session = Caller(
    arn: "arn:aws:iam::111122223333:role/deploy/cfn-exec",
    sessionArn: "arn:aws:sts::111122223333:assumed-role/cfn-exec/AWSCloudFormation", account: "111122223333",
    roleName: "cfn-exec")
  static let user = Caller(
    arn: "arn:aws:iam::111122223333:user/alice", account: "111122223333", userName: "alice", isUser: true)

  @Test(
    "matches a role's sessions by ARN with or without its path, by name, and by session",
    arguments: [
      ("arn:aws:iam::111122223333:role/deploy/cfn-exec", true),
      ("arn:aws:iam::111122223333:role/cfn-exec", true),
      ("cfn-exec", true),
      ("arn:aws:sts::111122223333:assumed-role/cfn-exec/AWSCloudFormation", true),
      ("arn:aws:sts::111122223333:assumed-role/cfn-exec", true),
      ("arn:aws:sts::111122223333:assumed-role/cfn-exec/other", false),
      ("arn:aws:iam::999999999999:role/cfn-exec", false),
      ("arn:aws:iam::111122223333:role/cfn", false),
      ("alice", false),
    ])
  func roles(_ pattern: String, _ expected: Bool) {
    #expect(TrailFilter(principals: [pattern]).matchesPrincipal(Self.session) == expected)
  }

  @Test("matches users by ARN and name, never a role of the same name")
  func users() {
    #expect(TrailFilter(principals: ["alice"]).matchesPrincipal(Self.user))
    #expect(TrailFilter(principals: ["arn:aws:iam::111122223333:user/alice"]).matchesPrincipal(Self.user))
    #expect(!TrailFilter(principals: ["arn:aws:iam::111122223333:role/alice"]).matchesPrincipal(Self.user))
    #expect(TrailFilter().matchesPrincipal(Self.user))
  }
}
