import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("Real samples")
struct RealSampleTests {
  @Test("the Invictus folder yields exactly its 2,900 records, none lost")
  func invictus() {
    let a = TrailAnalyzer().analyze(paths: [Fixtures.path("trails/invictus-aws-dataset")])
    #expect(a.files.read == 55)
    #expect(a.files.failed.isEmpty)
    #expect(a.events.total == 2900)
    #expect(a.events.invalid == 0)
    let excluded = a.events.excluded.values.reduce(0, +)
    #expect(a.events.counted + excluded == 2900)
    #expect(a.events.excluded[.awsServiceEvent] == 42)
  }

  @Test("the OTRF JSON lines give their 103 records, timed by @timestamp")
  func otrf() {
    let a = TrailAnalyzer().analyze(paths: [Fixtures.path("trails/otrf-ec2-proxy-s3-exfiltration")])
    #expect(a.events.total == 103)
    #expect(a.files.failed.isEmpty)
    #expect(a.permissions.allSatisfy { $0.stats.firstSeen != nil })
  }

  @Test("the trailscraper gzip and JSON fixtures are read")
  func trailscraper() {
    let a = TrailAnalyzer().analyze(paths: [Fixtures.path("trails/trailscraper-fixtures")])
    #expect(a.files.read == 2)
    #expect(a.files.failed.isEmpty)
    #expect(a.events.total == 5)
  }

  @Test("the malformed fixtures give clear per-file errors while the valid ones parse")
  func serializerFixtures() {
    let a = TrailAnalyzer().analyze(paths: [Fixtures.path("trails/aws-ctpl-serializer-fixtures")])
    #expect(a.files.failed.count == 1)
    let failure = a.files.failed.first
    #expect(failure?.path.hasSuffix("SerializerTestFileBadJsonFormat.json") == true)
    #expect(failure?.kind == .malformed)
    #expect(failure?.offset == 1293)  // where Python's json module also stops
    #expect(a.files.read == 11)
    // Records with every field null or renamed cannot be used: each is counted, with its file named.
    #expect(a.events.invalid == 3)
    #expect(
      a.files.warnings.map { URL(fileURLWithPath: $0.path).lastPathComponent }.sorted() == [
        "SerializerAllFieldsNull.json", "SerializerTestFileBadFieldName.json", "SerializerTestFileNewFieldName.json",
      ])
    #expect(a.events.total + a.events.invalid == 35)  // the records of the eleven well-formed files
  }

  @Test("every file under the real samples is read or reported, none silently dropped")
  func everything() {
    let root = Fixtures.path("trails")
    let listing = TrailWalker().list([root])
    let a = TrailAnalyzer().analyze(paths: [root])
    #expect(a.files.read + a.files.failed.count == listing.files.count)
    #expect(a.files.skipped[.notTrail] == 5)  // four licences and the README
  }
}
