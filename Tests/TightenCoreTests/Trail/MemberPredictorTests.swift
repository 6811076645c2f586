import Testing
import TightenTestSupport

@testable import TightenCore

/// A parser that foretells member names from the records before reads every
/// record as a parser that has seen none: the same fields, the same end,
/// the same failure.
@Suite("MemberPredictor")
struct MemberPredictorTests {
  /// What a parser makes of `json`, as text: the item or the failure, the fields, where it stopped.
  static func read(_ parser: inout RecordParser, _ json: [UInt8]) -> [String] {
    json.withUnsafeBufferPointer { b in
      var c = JSONCursor(base: b.baseAddress!, start: 0, end: b.count, depthLimit: 16)
      let item: String
      do throws(ScanFailure) {
        item = "\(try parser.parseItem(&c))"
      } catch {
        return ["\(error)"]
      }
      let r = parser.record
      func text(_ f: Field) -> String {
        f.isPresent
          ? String(decoding: EventView.bytes(f, base: b.baseAddress!, arena: parser.arena), as: UTF8.self) : "-"
      }
      return [
        item, text(r.eventSource), text(r.eventName), text(r.eventTime), text(r.awsRegion), text(r.errorCode),
        text(r.requestParameters), text(r.identityType), text(r.identityArn), "\(String(describing: r.readOnly))",
        "\(r.resources.count)", "\(c.pos)", r.invalidReason ?? "",
      ]
    }
  }

  static let members = [
    #""eventSource":"s3.amazonaws.com""#, #""eventName":"GetObject""#, #""eventTime":"2026-11-20T10:05:00Z""#,
    #""awsRegion":"eu-west-1""#, #""errorCode":"AccessDenied""#, #""eventVersion":"1.10""#, #""userAgent":"cli""#,
    #""requestID":"r-1""#, #""eventID":"e-1""#, #""readOnly":true"#, #""requestParameters":{"bucketName":"b"}"#,
    #""userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u"}"#, #""tlsDetails":{}"#,
    #""event\u004eame":"PutObject""#, #""aVeryLongMemberNameThatIsLongerThanThirtyTwoBytes":1"#, #""a":1"#,
    #""ab":"eventName""#, #""eventSource":"ec2.amazonaws.com""#, #""resources":[{"ARN":"arn:aws:s3:::b"}]"#,
    #""eventName" :"ListBuckets""#, #""awsRegion":null"#,
  ]

  @Test("records of random shapes, spacing and escapes read the same as with a parser that has seen none")
  func randomRecords() {
    var random = SeededRandom(seed: 0x3C6E_F372_FE94_F82B)
    var parser = RecordParser()
    let separators = [",", ",", ",", ", ", ",\n  "]
    var compared = 0
    for _ in 0..<4_000 {
      // Mostly one shape again and again, as a file is; sometimes another.
      let shape = random.next(4) == 0 ? random.next(1 << 20) : random.next(3)
      var pick = SeededRandom(seed: UInt64(shape) + 1)
      let chosen = (0..<1 + pick.next(9)).map { _ in Self.members[pick.next(Self.members.count)] }
      var text = random.next(8) == 0 ? "{ " : "{"
      for (i, member) in chosen.enumerated() {
        text += (i == 0 ? "" : separators[random.next(separators.count)]) + member
      }
      text += "}"
      var bytes = Array(text.utf8)
      if random.next(10) == 0 { bytes = Array(bytes.prefix(random.next(bytes.count))) }  // cut short
      var fresh = RecordParser()
      let expected = Self.read(&fresh, bytes)
      #expect(Self.read(&parser, bytes) == expected, "\(String(decoding: bytes, as: UTF8.self))")
      compared += 1
    }
    #expect(compared == 4_000)
  }

  @Test("a name is foretold only where the same bytes follow the same name")
  func foretelling() throws {
    var parser = RecordParser()
    let first = Array(#"{"eventVersion":"1.10","eventSource":"s3.amazonaws.com","eventName":"A"}"#.utf8)
    let second = Array(#"{"eventVersion":"1.10","eventSource":"s3.amazonaws.com","eventNameX":"B"}"#.utf8)
    #expect(Self.read(&parser, first)[1...2] == ["s3.amazonaws.com", "A"])
    #expect(Self.read(&parser, first)[1...2] == ["s3.amazonaws.com", "A"])
    #expect(Self.read(&parser, second)[1...2] == ["s3.amazonaws.com", "-"])
    #expect(Self.read(&parser, first)[1...2] == ["s3.amazonaws.com", "A"])
  }
}
