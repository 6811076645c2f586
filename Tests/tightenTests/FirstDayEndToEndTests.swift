import Foundation
import Testing
import TightenTestSupport

/// What a new user's first day hits: each answer says what happened and what to do.
@Suite("First-day edges, end to end")
struct FirstDayEndToEndTests {
  static let trail = "SampleTrails/trails/deploy-1"
  static let role = "cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1"

  @Test("--since after every file says the files were skipped by time, not that none were found")
  func sinceAfterAll() throws {
    let r = try Binary.run(["scan", Self.trail, "--since", "2030-01-01"])
    #expect(r.status == 2)
    #expect(
      r.stderr
        == "tighten: error: all 6 trail files were skipped by the time in their names: none is within --since and --until\n"
    )
  }

  @Test("scan --help offers only the formats scan writes")
  func scanHelp() throws {
    let r = try Binary.run(["scan", "--help"])
    #expect(r.stdout.contains("--format <format>"))
    #expect(!r.stdout.contains("markdown"))
    #expect(try Binary.run(["scan", Self.trail, "--format", "markdown"]).status == 2)
  }

  @Test("--output json (an AWS CLI habit) is refused with a hint to use --format")
  func outputHint() throws {
    let r = try Binary.run(["scan", Self.trail, "--output", "json"])
    #expect(r.status == 2)
    #expect(
      r.stderr.hasSuffix("hint: tighten scan writes to standard output; the format is --format (--format json).\n"))
  }

  @Test("--policy - reads the policy from standard input")
  func policyStdin() throws {
    let policy = try String(
      contentsOfFile: Fixtures.sampleTrails.appendingPathComponent("policies/broad.json").path, encoding: .utf8)
    let r = try Binary.run(
      ["diff", "--policy", "-", Self.trail, "--principal", Self.role, "--format", "json", "--fail-on", "never"],
      stdin: Data(policy.utf8))
    #expect(r.status == 0)
    #expect(try Binary.json(r)["policies"] as? [String] == ["-"])
  }

  @Test("a gzip'd trail given as --policy is named as a trail")
  func trailAsPolicy() throws {
    let file = try #require(
      FileManager.default.subpaths(atPath: Fixtures.sampleTrails.appendingPathComponent("trails/deploy-1").path)?
        .first { $0.hasSuffix(".json.gz") && $0.contains("/CloudTrail/") })
    let path = "SampleTrails/trails/deploy-1/" + file
    let r = try Binary.run(["diff", "--policy", path, Self.trail])
    #expect(r.status == 2)
    #expect(
      r.stderr
        == "\(path): error: is gzip'd, like a CloudTrail delivery file: give trails as paths, and a policy document, template or authorization details as --policy\n"
    )
  }

  @Test("refinement flags without --policy are usage errors", arguments: ["--narrow", "--keep-unused"])
  func refinementFlags(_ flag: String) throws {
    let r = try Binary.run(["generate", Self.trail, flag])
    #expect(r.status == 2)
    #expect(r.stderr.contains("\(flag) goes with --policy (a refinement)."))
  }

  @Test("--force without --output is a usage error; --quiet is accepted")
  func forceQuiet() throws {
    #expect(try Binary.run(["generate", Self.trail, "--force"]).status == 2)
    #expect(try Binary.run(["scan", Self.trail, "--quiet"]).status == 0)
  }
}
