import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("Resource containment")
struct ResourceContainmentTests {
  @Test("a pattern drops the resources it covers, and only those")
  func covered() {
    let resources: Set = [
      "arn:aws:s3:::b/logs/*", "arn:aws:s3:::b/logs/a", "arn:aws:s3:::b/logs/b*c", "arn:aws:s3:::b/other",
      "arn:aws:s3:::b/log", "*",
    ]
    #expect(Generator.withoutCovered(resources) == ["*"])
    let narrower: Set = ["arn:aws:s3:::b/logs/*", "arn:aws:s3:::b/logs/a", "arn:aws:s3:::b/other", "arn:aws:s3:::c/x?"]
    #expect(
      Generator.withoutCovered(narrower) == ["arn:aws:s3:::b/logs/*", "arn:aws:s3:::b/other", "arn:aws:s3:::c/x?"])
  }

  @Test("2,000 keys holding wildcards are compared by prefix, not all against all")
  func manyPatterns() {
    var resources = Set((0..<2000).map { "arn:aws:s3:::bucket/run-\($0)/part*" })
    resources.insert("arn:aws:s3:::bucket/run-1*")
    let kept = Generator.withoutCovered(resources)
    // run-1* covers run-1/…, run-10…19/…, run-100…199/… and run-1000…1999/…: 1 + 10 + 100 + 1000 keys.
    #expect(kept.count == 2000 - 1111 + 1)
    #expect(kept.contains("arn:aws:s3:::bucket/run-1*"))
    #expect(!kept.contains("arn:aws:s3:::bucket/run-1500/part*"))
    #expect(kept.contains("arn:aws:s3:::bucket/run-2/part*"))
  }

  @Test("of two patterns that cover each other, the first in byte order stays")
  func mutual() {
    #expect(
      Generator.withoutCovered(["arn:aws:s3:::b/a*", "arn:aws:s3:::b/a**", "arn:aws:s3:::b/ab"]) == [
        "arn:aws:s3:::b/a*"
      ])
  }
}
