import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("RecordScanner")
struct RecordScannerTests {
  static let three = [
    Records.record(name: "GetObject"), Records.record(name: "PutObject"), Records.record(name: "ListBuckets"),
  ]
  static let threeNames = ["GetObject", "PutObject", "ListBuckets"]

  /// Every container of CLI.md holding the same three records.
  static let allContainers: [(String, String)] = [
    ("Records object", Records.file(three)),
    ("pretty Records object", "{\n  \"Records\": [\n    " + three.joined(separator: ",\n    ") + "\n  ]\n}\n"),
    ("top-level array", "[" + three.joined(separator: ",") + "]"),
    ("JSON lines", three.joined(separator: "\n") + "\n"),
    ("JSON lines with CRLF and blank lines", three.joined(separator: "\r\n\r\n")),
    ("JSON lines of Records objects", Records.file([three[0]]) + "\n" + Records.file(Array(three[1...])) + "\n"),
    (
      "lookup-events output",
      #"{"Events":["#
        + three.map { #"{"EventId":"x","EventName":"n","CloudTrailEvent":"# + JSONWriter.quote($0) + "}" }
        .joined(separator: ",") + #"],"NextToken":"abc"}"#
    ),
    (
      "EventBridge envelopes",
      three.map {
        #"{"version":"0","detail-type":"AWS API Call via CloudTrail","source":"aws.s3","detail":"# + $0 + "}"
      }
      .joined(separator: "\n")
    ),
    (
      "array of EventBridge envelopes",
      "[" + three.map { #"{"detail-type":"AWS API Call via CloudTrail","detail":"# + $0 + "}" }.joined(separator: ",")
        + "]"
    ),
    ("Records object inside an array", "[" + Records.file(three) + "]"),
    ("other members around Records", #"{"a":{"b":[1,2]},"Records":["# + three.joined(separator: ",") + #"],"z":null}"#),
    ("byte order mark", "\u{FEFF}" + Records.file(three)),
  ]

  @Test("reads every container", arguments: allContainers)
  func containers(_ name: String, _ text: String) throws {
    let (names, counts) = try RecordScanner().names(Array(text.utf8))
    #expect(names == Self.threeNames, "\(name)")
    #expect(counts.records == 3)
    #expect(counts.invalid == 0)
  }

  @Test("records straddling reads of any size", arguments: [1, 2, 3, 7, 64, 4096, 65536])
  func chunkBoundaries(chunk: Int) throws {
    let text = Records.file(Self.three + Self.three)
    let scanner = RecordScanner(limits: ScanLimits(readSize: max(chunk, 16)))
    let (names, _) = try scanner.names(Array(text.utf8), chunkSize: chunk)
    #expect(names == Self.threeNames + Self.threeNames)
    let gz = TestGzip.compress(text)
    #expect(try scanner.names(gz, chunkSize: chunk).names == Self.threeNames + Self.threeNames)
  }

  @Test("gzip'd JSON lines")
  func gzipJSONLines() throws {
    let gz = TestGzip.compress(Self.three.joined(separator: "\n"))
    #expect(try RecordScanner().names(gz).names == Self.threeNames)
  }

  @Test("decodes escapes in the fields it extracts")
  func escapes() throws {
    let record = Records.record(
      name: #"Get\u004fbject"#,
      extra: #""errorMessage":"caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \n\t end""#)
    var message: String?
    var name: String?
    var counts = ScanCounts()
    try RecordScanner().scan(GzipReader(bytes: Array(Records.file([record]).utf8)), counts: &counts) { e in
      name = e.string(e.eventName)
      message = e.string(e.errorMessage)
    }
    #expect(name == "GetObject")
    #expect(message == "café 😀 \"q\" \\ / \n\t end")
  }

  @Test("a lone surrogate becomes U+FFFD")
  func loneSurrogate() throws {
    let record = Records.record(extra: #""errorMessage":"a\ud800b""#)
    var message: String?
    var counts = ScanCounts()
    try RecordScanner().scan(GzipReader(bytes: Array(Records.file([record]).utf8)), counts: &counts) { e in
      message = e.string(e.errorMessage)
    }
    #expect(message == "a\u{FFFD}b")
  }

  @Test("extracts identity, resources and the raw requestParameters")
  func fields() throws {
    let record = Records.record(
      role: "svc/deployer",
      extra:
        #""resources":[{"ARN":"arn:aws:s3:::b/k","type":"AWS::S3::Object","accountId":"1"},{"accountId":"1","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::b"}]"#
    )
    var seen: [String?] = []
    var counts = ScanCounts()
    try RecordScanner().scan(GzipReader(bytes: Array(Records.file([record]).utf8)), counts: &counts) { e in
      seen = [
        e.string(e.issuerArn), e.string(e.identityArn), e.string(e.identityType), e.string(e.requestParameters),
        e.resources.map { e.string($0.arn) ?? "" }.joined(separator: " "), e.mfaAuthenticated.map(String.init),
        e.string(e.eventTime),
      ]
    }
    #expect(
      seen == [
        "arn:aws:iam::111122223333:role/svc/deployer", "arn:aws:sts::111122223333:assumed-role/svc/deployer/session",
        "AssumedRole", #"{"bucketName":"b","key":"k"}"#, "arn:aws:s3:::b/k arn:aws:s3:::b", "false",
        "2026-11-20T10:00:00Z",
      ])
  }

  @Test("takes @timestamp when a log pipeline dropped eventTime")
  func timestampFallback() throws {
    let record = #"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","@timestamp":"2020-09-14T00:44:23.000Z"}"#
    var time: String?
    var counts = ScanCounts()
    try RecordScanner().scan(GzipReader(bytes: Array(record.utf8)), counts: &counts) { e in time = e.string(e.eventTime)
    }
    #expect(time == "2020-09-14T00:44:23.000Z")
  }

  // MARK: - Bad input

  @Test("malformed JSON stops the file with the byte offset; earlier records stay counted")
  func malformed() throws {
    let good = Records.record()
    let text = #"{"Records":["# + good + #",{"eventName" "x"}]}"#
    var counts = ScanCounts()
    let error = #expect(throws: InputError.self) {
      try RecordScanner().scan(GzipReader(bytes: Array(text.utf8), path: "bad.json"), counts: &counts) { _ in }
    }
    #expect(error?.kind == .malformed)
    #expect(error?.path == "bad.json")
    #expect(error?.offset == 12 + good.utf8.count + 14)  // `{"Records":[` + record + `,{"eventName" `
    #expect(error?.reason == "expected ':', found '\"'")
    #expect(counts.records == 1)
  }

  @Test("JSON cut short is truncated, at any read size", arguments: [1, 5, 4096])
  func cutShort(chunk: Int) throws {
    let text = Records.file(Self.three)
    let cut = Array(text.utf8.prefix(text.utf8.count - 40))
    var counts = ScanCounts()
    let error = #expect(throws: InputError.self) {
      try RecordScanner(limits: ScanLimits(readSize: 16)).scan(
        GzipReader(bytes: cut, chunkSize: chunk), counts: &counts
      ) { _ in }
    }
    #expect(error?.kind == .truncated)
    #expect(counts.records == 2)
  }

  @Test("a record with a field of the wrong type is skipped and counted")
  func wrongTypes() throws {
    let bad1 = #"{"eventSource":"s3.amazonaws.com","eventName":42}"#
    let bad2 = #"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","resources":{"ARN":"x"}}"#
    let bad3 = #"{"eventSource":"s3.amazonaws.com"}"#
    let (names, counts) = try RecordScanner().names(Array(Records.file([bad1, Self.three[0], bad2, bad3]).utf8))
    #expect(names == ["GetObject"])
    #expect(counts.invalid == 3)
    #expect(counts.firstInvalid?.reason == "record skipped: eventName is a number, not a string")
    #expect(counts.firstInvalid?.offset == 58)  // the 42
  }

  @Test("null fields are absent, not errors")
  func nulls() throws {
    let record =
      #"{"eventSource":"s3.amazonaws.com","eventName":"ListBuckets","userIdentity":null,"resources":null,"requestParameters":null,"errorCode":null}"#
    let (names, counts) = try RecordScanner().names(Array(Records.file([record]).utf8))
    #expect(names == ["ListBuckets"])
    #expect(counts.invalid == 0)
  }

  @Test("JSON without records is not CloudTrail")
  func notCloudTrail() throws {
    for text in [#"{"Version":"2012-10-17","Statement":[]}"#, "[1,2,3]", #"{"Records":[{"a":1}]}"#] {
      let error = #expect(throws: InputError.self) { try RecordScanner().names(Array(text.utf8)) }
      #expect(error?.kind == .notCloudTrail, "\(text)")
    }
  }

  @Test("an empty Records array is a valid, empty trail file")
  func emptyRecords() throws {
    let (names, counts) = try RecordScanner().names(Array(#"{"Records":[]}"#.utf8))
    #expect(names.isEmpty && counts.invalid == 0)
  }

  @Test("empty and blank files are reported as empty")
  func empty() throws {
    let error = #expect(throws: InputError.self) { try RecordScanner().names([]) }
    #expect(error?.kind == .empty)
    #expect(error?.reason == "the file is empty")
    let blank = #expect(throws: InputError.self) { try RecordScanner().names(Array(" \n\n ".utf8)) }
    #expect(blank?.kind == .empty)
  }

  @Test("text that is not JSON is malformed at byte 0")
  func notJSON() throws {
    let error = #expect(throws: InputError.self) { try RecordScanner().names(Array("hello, world".utf8)) }
    #expect(error?.kind == .malformed)
    #expect(error?.offset == 0)
    #expect(error?.reason == "expected '{' or '[' (CloudTrail JSON), found 'h'")
  }

  @Test("nesting past the depth limit skips the record, without recursion")
  func deepNesting() throws {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    let record = Records.record(extra: #""requestParameters":{"x":"# + deep + "}")
    let (names, counts) = try RecordScanner().names(Array(Records.file([record, Self.three[1]]).utf8))
    #expect(names == ["PutObject"])
    #expect(counts.invalid == 1)
    #expect(counts.firstInvalid?.reason.contains("deeper than 512") == true)
  }

  @Test("a value larger than the limit is skipped as it streams, and the file goes on")
  func oversized() throws {
    let big = Records.record(extra: #""requestParameters":{"x":""# + String(repeating: "a", count: 5000) + #"\"\\"}"#)
    let limits = ScanLimits(maxValueBytes: 1024, readSize: 256)
    let text = Records.file([Self.three[0], big, Self.three[1]])
    let (names, counts) = try RecordScanner(limits: limits).names(Array(text.utf8), chunkSize: 100)
    #expect(names == ["GetObject", "PutObject"])
    #expect(counts.invalid == 1)
    #expect(counts.firstInvalid?.reason.contains("larger than 1024 bytes") == true)
  }

  @Test("a lookup-events string that is not JSON is counted, not fatal")
  func badLookupString() throws {
    let text =
      #"{"Events":[{"CloudTrailEvent":"{not json"},{"CloudTrailEvent":"# + JSONWriter.quote(Self.three[0]) + "}]}"
    let (names, counts) = try RecordScanner().names(Array(text.utf8))
    #expect(names == ["GetObject"])
    #expect(counts.invalid == 1)
  }

  @Test("invalid escapes are malformed")
  func badEscape() throws {
    let record = Records.record(name: #"Get\qObject"#)
    let error = #expect(throws: InputError.self) { try RecordScanner().names(Array(Records.file([record]).utf8)) }
    #expect(error?.kind == .malformed)
    #expect(error?.reason == #"invalid escape \q"#)
  }

  @Test("data after the gzip stream is a warning; the records before it count")
  func trailingGzipData() throws {
    let gz = TestGzip.compress(Records.file(Self.three))
    let (names, counts) = try RecordScanner().names(gz + Array("junk".utf8), path: "t.json.gz")
    #expect(names == Self.threeNames)
    #expect(counts.records == 3)
    #expect(counts.invalid == 0)
    #expect(counts.firstInvalid == nil)
    #expect(
      counts.warnings == [
        InputError(
          path: "t.json.gz", kind: .trailingData, offset: gz.count,
          reason: "trailing data after the gzip stream ignored (not a gzip member)")
      ])
    let empty = try RecordScanner().names(TestGzip.compress(#"{"Records":[]}"#) + [0x0A], path: "e.json.gz")
    #expect(empty.counts.records == 0)
    #expect(empty.counts.warnings.map(\.kind) == [.trailingData])
  }
}
