import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("TrailAnalyzer")
struct TrailAnalyzerTests {
  static let invictus = Fixtures.path("trails/invictus-aws-dataset")

  @Test("gives byte-identical output whatever the number of workers", arguments: [1, 2, 3, 8])
  func deterministic(workers: Int) {
    let one = ScanReport.json(TrailAnalyzer(workers: 1).analyze(paths: [Self.invictus]))
    let many = ScanReport.json(TrailAnalyzer(workers: workers).analyze(paths: [Self.invictus]))
    #expect(one == many)
  }

  @Test(
    "fields that change between records of the same length are told apart (each field's last id is reused only for equal bytes)"
  )
  func repeatedFields() {
    // Roles, regions and events of equal lengths, alternating and repeating.
    let records = [
      Records.record(name: "GetObject", region: "us-east-1", role: "deployer-a"),
      Records.record(name: "GetObject", region: "us-east-1", role: "deployer-a"),
      Records.record(name: "PutObject", region: "us-west-1", role: "deployer-b"),
      Records.record(name: "GetObject", region: "us-east-1", role: "deployer-a"),
      Records.record(name: "PutObject", region: "us-west-1", role: "deployer-a"),
    ]
    let a = TrailAnalyzer(workers: 1).analyze(bytes: Array(Records.file(records).utf8))
    #expect(
      a.principals.map { "\($0.arn) \($0.events)" } == [
        "arn:aws:iam::111122223333:role/deployer-a 4", "arn:aws:iam::111122223333:role/deployer-b 1",
      ])
    #expect(a.regions == ["us-east-1", "us-west-1"])
    #expect(
      a.usage.map { "\($0.permission.action) \($0.context.principal) \($0.context.region) \($0.stats.count)" }
        == [
          "s3:GetObject arn:aws:iam::111122223333:role/deployer-a us-east-1 3",
          "s3:PutObject arn:aws:iam::111122223333:role/deployer-a us-west-1 1",
          "s3:PutObject arn:aws:iam::111122223333:role/deployer-b us-west-1 1",
        ])
  }

  @Test("service events and service principals are excluded and counted")
  func exclusions() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let records = [
      Records.record(name: "GetObject"),
      #"{"eventSource":"kms.amazonaws.com","eventName":"Decrypt","eventType":"AwsServiceEvent","userIdentity":{"type":"AWSService","invokedBy":"s3.amazonaws.com"}}"#,
      #"{"eventSource":"sts.amazonaws.com","eventName":"AssumeRole","eventType":"AwsApiCall","userIdentity":{"type":"AWSService","invokedBy":"lambda.amazonaws.com"}}"#,
      #"{"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/a"}}"#,
    ]
    try Fixtures.write(Records.file(records), to: "t.json", in: root)
    let a = TrailAnalyzer().analyze(paths: [root.path])
    #expect(a.events.total == 4)
    #expect(a.events.counted == 1)
    #expect(a.events.excluded == [.awsServiceEvent: 1, .awsServicePrincipal: 1, .consoleSignIn: 1])
  }

  @Test("filters by principal, time, region and account, counting what they leave out")
  func filters() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let records = [
      Records.record(name: "GetObject", time: "2026-11-20T10:00:00Z", region: "us-east-1", role: "deployer"),
      Records.record(name: "PutObject", time: "2026-11-21T10:00:00Z", region: "us-east-1", role: "deployer"),
      Records.record(name: "DeleteObject", time: "2026-11-20T10:00:00Z", region: "eu-west-1", role: "deployer"),
      Records.record(name: "GetObjectAcl", time: "2026-11-20T10:00:00Z", region: "us-east-1", role: "other"),
      Records.record(
        name: "PutObjectAcl", time: "2026-11-20T10:00:00Z", region: "us-east-1", role: "deployer",
        account: "999988887777"),
    ]
    try Fixtures.write(Records.file(records), to: "t.json", in: root)
    let filter = TrailFilter(
      principals: ["deployer"], since: Timestamp.parse("2026-11-20"), until: Timestamp.parse("2026-11-20T23:59:59Z"),
      regions: ["us-east-1"], accounts: ["111122223333"])
    let a = TrailAnalyzer(filter: filter).analyze(paths: [root.path])
    #expect(a.permissions.map(\.permission.action) == ["s3:GetObject"])
    #expect(a.events.excluded == [.principal: 1, .time: 1, .region: 1, .account: 1])
  }

  @Test("a bad file is reported and the others are still analysed")
  func partial() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    try Fixtures.write(TestGzip.compress(Records.file([Records.record()])), to: "good.json.gz", in: root)
    try Fixtures.write(
      Array(TestGzip.compress(Records.file([Records.record()])).prefix(30)), to: "cut.json.gz", in: root)
    let a = TrailAnalyzer().analyze(paths: [root.path])
    #expect(a.files.read == 1)
    #expect(a.files.failed.map(\.kind) == [.truncated])
    #expect(a.files.failed.first?.path.hasSuffix("cut.json.gz") == true)
    #expect(a.isPartial)
    #expect(a.events.counted == 1)
  }

  @Test("first and last seen, counts and denials per permission")
  func stats() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let records = [
      Records.record(name: "PutObject", time: "2026-11-20T10:00:05Z"),
      Records.record(name: "PutObject", time: "2026-11-20T10:00:01Z", errorCode: "AccessDenied"),
      Records.record(name: "PutObject", time: "2026-11-20T10:00:09Z", errorCode: "NoSuchBucket"),
    ]
    try Fixtures.write(Records.file(records), to: "t.json", in: root)
    let rows = TrailAnalyzer().analyze(paths: [root.path]).permissions
    #expect(rows.count == 1)
    #expect(
      rows.first?.stats
        == UsageStats(
          count: 3, denied: 1, firstSeen: Timestamp.parse("2026-11-20T10:00:01Z"),
          lastSeen: Timestamp.parse("2026-11-20T10:00:09Z")))
  }
}
