import Foundation
import Testing
import TightenTestSupport

/// A trail and a policy whose strings try to drive the terminal or break out of the pull-request
/// table: every command shows them escaped, one line, one cell.
@Suite("Hostile output")
struct HostileOutputTests {
  /// A DynamoDB table name with a line break, a Markdown heading, ESC, NUL (as JSON writes it) and HTML.
  static let table = #"t\n## heading\u001b[2J\u0000 <img src=x onerror=alert(1)> | `x`"#
  /// How text shows the table's ARN.
  static let arn =
    #"arn:aws:dynamodb:us-east-1:111122223333:table/t\n## heading\u{1B}[2J\u{0} <img src=x onerror=alert(1)> | `x`"#
  /// A policy file name with an ESC sequence, and a Sid with a right-to-left override.
  static let policyName = "p\u{1B}[1m.json"

  /// The trail, the policy, and the folder holding them (removed by the caller).
  static func files() throws -> (root: URL, trail: String, policy: String) {
    let root = try Fixtures.temporaryFolder()
    let trail = try Fixtures.write(
      Records.file([
        Records.record(
          source: "dynamodb.amazonaws.com", name: "DescribeTable",
          extra: #""requestParameters":{"tableName":"\#(table)"}"#),
        Records.record(source: "example.amazonaws.com", name: #"Get\u001b]0;x\u0007Thing"#, role: #"ops\u009b8m"#),
      ]), to: "trail.json", in: root)
    let policy = try Fixtures.write(
      #"{"Version":"2012-10-17","Statement":[{"Sid":"S\u202egpj","Effect":"Allow","Action":["s3:GetObject","sqs:Send\nMessage"],"Resource":"*"}]}"#,
      to: policyName, in: root)
    return (root, trail, policy)
  }

  /// No control byte but the line feeds that end lines, no C1 control, no bidirectional override.
  static func expectPrintable(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(
      text.utf8.allSatisfy { ($0 >= 0x20 && $0 != 0x7F) || $0 == 0x0A }, "raw control byte",
      sourceLocation: sourceLocation)
    #expect(
      !text.unicodeScalars.contains { (0x80...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value) },
      "raw C1 control or bidirectional override", sourceLocation: sourceLocation)
  }

  static func lines(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }

  @Test("scan text shows the trail's strings escaped, one table row each")
  func scan() throws {
    let (root, trail, _) = try Self.files()
    defer { try? FileManager.default.removeItem(at: root) }
    let r = try Binary.run(["scan", trail])
    #expect(r.status == 0)
    Self.expectPrintable(r.stdout)
    #expect(
      Self.lines(r.stdout) == [
        "Read 1 file (0 skipped, 0 failed): 2 events, 2 counted, 0 excluded, 0 invalid.",
        "",
        "Principals",
        "  arn:aws:iam::111122223333:role/deployer     1 event",
        #"  arn:aws:iam::111122223333:role/ops\u{9B}8m  1 event"#,
        "",
        "Permissions (1)",
        "  ACTION                  RESOURCE" + String(repeating: " ", count: 102) + "CALLS  DENIED",
        "  dynamodb:DescribeTable  \(Self.arn)      1       0",
        "",
        "Unmapped calls (1): no known IAM action",
        #"  example.amazonaws.com  Get\u{1B}]0;x\u{7}Thing  1  unknown event source"#,
        "",
      ])
  }

  @Test("diff text shows the trail's and the policy's strings escaped")
  func diffText() throws {
    let (root, trail, policy) = try Self.files()
    defer { try? FileManager.default.removeItem(at: root) }
    let r = try Binary.run(["diff", "--policy", policy, trail, "--fail-on", "never"])
    #expect(r.status == 0)
    Self.expectPrintable(r.stdout)
    #expect(
      Self.lines(r.stdout) == [
        "Read 1 file (0 skipped, 0 failed): 2 events, 2 counted, 0 excluded, 0 invalid.",
        #"Policies: p\u{1B}[1m.json"#,
        "",
        "1 missing, 0 unused, 1 unobservable, 0 overbroad, 1 invalid",
        "",
        "Missing: calls the policies would not allow",
        "  ACTION                  RESOURCE" + String(repeating: " ", count: 102) + "CALLS  DENIED  REASON",
        "  dynamodb:DescribeTable  \(Self.arn)      1       0  not-granted",
        "",
        "Unused: granted, never called",
        #"  p\u{1B}[1m.json"#,
        #"    "S\u{202E}gpj""#,
        "      s3:GetObject  (unobservable: the trail has no data events)",
        "",
        "Invalid: entries that name no action IAM has",
        #"  p\u{1B}[1m.json"#,
        #"    "S\u{202E}gpj""#,
        #"      sqs:Send\nMessage  (no such action; did you mean sqs:SendMessage?)"#,
        "",
      ])
  }

  @Test("diff Markdown keeps each hostile string in one cell: no heading, no tag, no extra row")
  func diffMarkdown() throws {
    let (root, trail, policy) = try Self.files()
    defer { try? FileManager.default.removeItem(at: root) }
    let r = try Binary.run(["diff", "--policy", policy, trail, "--format", "markdown", "--fail-on", "never"])
    #expect(r.status == 0)
    Self.expectPrintable(r.stdout)
    let lines = Self.lines(r.stdout)
    #expect(
      lines == [
        "## tighten diff",
        "",
        "**1 missing**, **0 unused**, 1 unobservable, 0 overbroad, 1 invalid: 2 calls counted in 1 files against "
          + #"`p\u{1B}[1m.json`."#,
        "",
        "### Missing",
        "",
        "| Action | Resource | Calls | Denied | Reason |",
        "|---|---|--:|--:|---|",
        #"| `dynamodb:DescribeTable` | `` arn:aws:dynamodb:us-east-1:111122223333:table/t\n## heading\u{1B}[2J\u{0} <img src=x onerror=alert(1)> \| `x` `` | 1 | 0 | not-granted |"#,
        "",
        "<details><summary><b>Unused</b> (1)</summary>",
        "",
        "| Policy | Statement | Action | Kind |",
        "|---|---|---|---|",
        #"| `p\u{1B}[1m.json` | `S\u{202E}gpj` | `s3:GetObject` | unobservable |"#,
        "",
        "</details>",
        "",
        "<details><summary><b>Invalid</b> (1)</summary>",
        "",
        "| Policy | Statement | Entry | Reason | Suggestion |",
        "|---|---|---|---|---|",
        #"| `p\u{1B}[1m.json` | `S\u{202E}gpj` | `sqs:Send\nMessage` | unknown-action | `sqs:SendMessage` |"#,
        "",
        "</details>",
        "",
      ])
    // Three tables: a header, a delimiter and one row under each of Missing, Unused and Invalid.
    #expect(lines.filter { $0.hasPrefix("|") }.count == 3 + 3 + 3)
    #expect(lines.filter { $0.hasPrefix("#") } == ["## tighten diff", "### Missing"])
    // The only tags are the report's own folds.
    #expect(
      lines.filter { $0.contains("<") && !$0.hasPrefix("|") }.allSatisfy {
        $0.hasPrefix("<details>") || $0 == "</details>"
      })
  }

  @Test("generate's summary and changelog show the policy's and the trail's strings escaped")
  func generate() throws {
    let (root, trail, policy) = try Self.files()
    defer { try? FileManager.default.removeItem(at: root) }
    let output = root.appendingPathComponent("out").path
    let r = try Binary.run(["generate", trail, "--policy", policy, "--output", output])
    #expect(r.status == 0)
    Self.expectPrintable(r.stdout)
    #expect(
      Array(Self.lines(r.stdout).dropFirst()) == [
        // The file is named with the escape's text (no control character in a file name), shown escaped.
        #"  p\\u{1B}[1m.json  2 statements, 307 of 6144 characters"#,
        "",
        "Changes: 1 added, 1 removed, 0 narrowed, 1 kept (use not visible in CloudTrail)",
        "  + dynamodb:DescribeTable \(Self.arn)",
        #"  - sqs:Send\nMessage  (p\u{1B}[1m.json S\u{202E}gpj)"#,
        #"  = s3:GetObject  (p\u{1B}[1m.json S\u{202E}gpj): unobservable, kept"#,
        "",
      ])
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: output).sorted() == [
        ".tighten-manifest.json", #"p\u{1B}[1m.json"#,
      ])
  }
}
