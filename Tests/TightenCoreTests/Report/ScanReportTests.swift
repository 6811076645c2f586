import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("ScanReport")
struct ScanReportTests {
  @Test("table cells are escaped and measured escaped")
  func table() {
    let text = ScanReport.table([["A", "B", "N"], ["x\ty", "\u{1B}[2J", "1"], ["z", "ok", "10"]], rightAligned: [2])
    #expect(
      text == """
          A     B           N
          x\\ty  \\u{1B}[2J   1
          z     ok         10

        """)
  }

  @Test("first and last seen are written as the records give them, across days, years and before 1970")
  func times() throws {
    let pairs = [
      ("2026-11-20T10:00:00Z", "2026-11-20T23:59:59Z"), ("1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z"),
      ("2025-12-31T09:05:07Z", "2026-01-01T00:00:01Z"), ("1900-02-28T12:34:56Z", "2000-02-29T00:00:00Z"),
    ]
    var records: [String] = []
    for (i, (first, last)) in pairs.enumerated() {
      let resource = #""resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::b/k\#(i)"}]"#
      records.append(Records.record(time: first, extra: resource))
      records.append(Records.record(time: last, extra: resource))
    }
    let json = ScanReport.json(TrailAnalyzer(workers: 1).analyze(bytes: Array(Records.file(records).utf8)))
    let lines = json.split(separator: "\n").filter { $0.contains("\"action\": \"s3:GetObject\"") }.map {
      String($0.drop { $0 == " " }.reversed().drop { $0 == "," }.reversed())
    }
    #expect(lines.count == pairs.count)
    for (i, (first, last)) in pairs.enumerated() {
      #expect(
        lines[i]
          == (#"{"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k\#(i)", "resourceBasis": "exact", "count": 2, "denied": 0, "firstSeen": "\#(first)", "lastSeen": "\#(last)"}"#),
        "\(lines[i])")
    }
  }

  @Test("text shows the trail's control characters as escapes, in every table")
  func text() {
    let records = [
      Records.record(
        source: "dynamodb.amazonaws.com", name: "DescribeTable", role: #"ops\u001b]0;pwned\u0007"#,
        extra: #""requestParameters":{"tableName":"t\n## heading\u0000 <b>x</b>"}"#),
      Records.record(source: "example.amazonaws.com", name: #"Get\r\nThing\u202e"#),
    ]
    let a = TrailAnalyzer(workers: 1).analyze(bytes: Array(Records.file(records).utf8))
    let text = ScanReport.text(a)
    #expect(
      text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) == [
        "Read 1 file (0 skipped, 0 failed): 2 events, 2 counted, 0 excluded, 0 invalid.",
        "",
        "Principals",
        "  arn:aws:iam::111122223333:role/deployer                1 event",
        #"  arn:aws:iam::111122223333:role/ops\u{1B}]0;pwned\u{7}  1 event"#,
        "",
        "Permissions (1)",
        "  ACTION                  RESOURCE                                                                   CALLS  DENIED",
        #"  dynamodb:DescribeTable  arn:aws:dynamodb:us-east-1:111122223333:table/t\n## heading\u{0} <b>x</b>      1       0"#,
        "",
        "Unmapped calls (1): no known IAM action",
        #"  example.amazonaws.com  Get\r\nThing\u{202E}  1  unknown event source"#,
        "",
      ])
    #expect(!text.unicodeScalars.contains { $0 != "\n" && Escaping.isEscaped($0) })
  }
}
