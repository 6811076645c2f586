import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

/// `--account` keeps a call recorded for the account or made by a caller of
/// the account. Its cache once held the answer under the recipient account
/// alone, so two cross-account calls to one recipient got the first one's
/// answer: the count depended on record order and on `--jobs`.
@Suite("RecordFilter")
struct RecordFilterTests {
  /// A call recorded for account 111122223333 by a role of `callerAccount`.
  static func crossAccount(_ name: String, callerAccount: String) -> String {
    Records.record(name: name, account: callerAccount)
      .replacingOccurrences(
        of: #""recipientAccountId":"\#(callerAccount)""#, with: #""recipientAccountId":"111122223333""#)
  }

  static let kept = crossAccount("GetObject", callerAccount: "444455556666")
  static let leftOut = crossAccount("PutObject", callerAccount: "777788889999")
  static let filter = TrailFilter(accounts: ["444455556666"])

  @Test("the account filter's answer does not depend on record order", arguments: [false, true])
  func order(reversed: Bool) throws {
    let records = reversed ? [Self.leftOut, Self.kept] : [Self.kept, Self.leftOut]
    let a = TrailAnalyzer(filter: Self.filter, workers: 1).analyze(bytes: Array(Records.file(records).utf8))
    #expect(a.events.counted == 1)
    #expect(a.events.excluded == [.account: 1])
    #expect(a.permissions.map(\.permission.action) == ["s3:GetObject"])
  }

  @Test("the account filter's answer does not depend on the number of workers", arguments: [1, 2, 3, 8])
  func workers(count: Int) throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    // Files alternate so that every worker meets both kinds of call, in both orders.
    for i in 0..<8 {
      let records = i % 2 == 0 ? [Self.kept, Self.leftOut] : [Self.leftOut, Self.kept]
      try Fixtures.write(Records.file(records), to: "f\(i).json", in: root)
    }
    let a = TrailAnalyzer(filter: Self.filter, workers: count).analyze(paths: [root.path])
    #expect(a.events.counted == 8)
    #expect(a.events.excluded == [.account: 8])
    #expect(a.permissions.map(\.permission.action) == ["s3:GetObject"])
    #expect(a.permissions.map(\.stats.count) == [8])
  }

  @Test("a call recorded for the account counts whoever made it")
  func recipient() {
    let a = TrailAnalyzer(filter: TrailFilter(accounts: ["111122223333"]), workers: 1)
      .analyze(bytes: Array(Records.file([Self.kept, Self.leftOut]).utf8))
    #expect(a.events.counted == 2)
    #expect(a.events.excluded == [:])
  }

  @Test("the principal filter tells apart callers that share a role ARN but not a type")
  func callerKey() {
    var filter = RecordFilter(TrailFilter(principals: ["deployer"]))
    #expect(filter.keepsTime(nil))
    #expect(filter.selectsPrincipals)
    let timed = RecordFilter(TrailFilter(since: 100, until: 200))
    #expect(!timed.keepsTime(nil))
    #expect(!timed.keepsTime(99))
    #expect(timed.keepsTime(100))
    #expect(timed.keepsTime(200))
    #expect(!timed.keepsTime(201))
    filter = RecordFilter(TrailFilter())
    #expect(!filter.selectsPrincipals)
  }

  @Test("a role's session and the role itself are told apart by the principal filter", arguments: [false, true])
  func sessionOrRole(reversed: Bool) {
    // A session whose record names only the issuer, and a record naming the role ARN as its own identity.
    let session =
      #"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","recipientAccountId":"111122223333","#
      + #""userIdentity":{"type":"AssumedRole","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","#
      + #""arn":"arn:aws:iam::111122223333:role/deployer","userName":"deployer"}}}}"#
    let role =
      #"{"eventSource":"s3.amazonaws.com","eventName":"PutObject","awsRegion":"us-east-1","recipientAccountId":"111122223333","#
      + #""userIdentity":{"type":"AssumedRole","accountId":"111122223333","arn":"arn:aws:iam::111122223333:role/deployer"}}"#
    let records = reversed ? [role, session] : [session, role]
    let a = TrailAnalyzer(filter: TrailFilter(principals: ["deployer"]), workers: 1)
      .analyze(bytes: Array(Records.file(records).utf8))
    #expect(a.events.counted == 1)
    #expect(a.events.excluded == [.principal: 1])
  }
}
