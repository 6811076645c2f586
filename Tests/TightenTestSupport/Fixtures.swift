import Foundation
import TightenCore

/// Where the test data is, and scratch folders for tests that write files.
public enum Fixtures {
  /// The package's root folder, found from this source file's place.
  public static let packageRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url
  }()

  public static let folder = packageRoot.appendingPathComponent("Tests/TightenCoreTests/Fixtures")
  public static let trails = folder.appendingPathComponent("trails")
  public static let sampleTrails = packageRoot.appendingPathComponent("SampleTrails")

  public static func path(_ relative: String) -> String { folder.appendingPathComponent(relative).path }

  /// A fresh empty folder, removed by the caller's `defer`.
  public static func temporaryFolder(_ name: String = #function) throws -> URL {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("tighten-tests-\(safe)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Writes `bytes` at `relative` under `root`, making the folders on the way.
  @discardableResult
  public static func write(_ bytes: [UInt8], to relative: String, in root: URL) throws -> String {
    let url = root.appendingPathComponent(relative)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    return url.path
  }

  @discardableResult
  public static func write(_ text: String, to relative: String, in root: URL) throws -> String {
    try write(Array(text.utf8), to: relative, in: root)
  }
}

/// Builds CloudTrail records as JSON text.
public enum Records {
  /// A plausible record; `extra` members are appended verbatim.
  public static func record(
    source: String = "s3.amazonaws.com", name: String = "GetObject", time: String = "2026-11-20T10:00:00Z",
    region: String = "us-east-1", role: String = "deployer", account: String = "111122223333",
    errorCode: String? = nil, extra: String = ""
  ) -> String {
    var members = [
      #""eventVersion":"1.10""#,
      #""userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:s","arn":"arn:aws:sts::\#(account):assumed-role/\#(role)/session","accountId":"\#(account)","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::\#(account):role/\#(role)","accountId":"\#(account)","userName":"\#(role)"},"attributes":{"mfaAuthenticated":"false"}}}"#,
      #""eventTime":"\#(time)""#,
      #""eventSource":"\#(source)""#,
      #""eventName":"\#(name)""#,
      #""awsRegion":"\#(region)""#,
      #""sourceIPAddress":"203.0.113.10""#,
      #""requestParameters":{"bucketName":"b","key":"k"}"#,
      #""responseElements":null"#,
      #""eventType":"AwsApiCall""#,
      #""recipientAccountId":"\#(account)""#,
    ]
    if let errorCode { members.append(#""errorCode":"\#(errorCode)""#) }
    if !extra.isEmpty { members.append(extra) }
    return "{" + members.joined(separator: ",") + "}"
  }

  /// `{"Records":[…]}` around the given records.
  public static func file(_ records: [String]) -> String {
    #"{"Records":["# + records.joined(separator: ",") + "]}"
  }
}

extension RecordScanner {
  /// Scans bytes in memory and returns the event names seen, with the counts.
  public func names(
    _ bytes: [UInt8], chunkSize: Int = 64 << 10, path: String = "<memory>"
  ) throws(InputError) -> (names: [String], counts: ScanCounts) {
    var names: [String] = []
    var counts = ScanCounts()
    let reader = GzipReader(bytes: bytes, path: path, chunkSize: chunkSize)
    try scan(reader, counts: &counts) { event in names.append(event.string(event.eventName) ?? "?") }
    return (names, counts)
  }
}
