import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("DiffReport")
struct DiffReportTests {
  static let hostile = "a\n## heading <img src=x onerror=alert(1)> | `x`"

  /// A result whose every string comes from a hostile trail or policy.
  static func result() -> DiffResult {
    let analysis = TrailAnalyzer(workers: 1).analyze(bytes: Array(Records.file([Records.record()]).utf8))
    let policy = "evil\u{1B}]0;title\u{7}.json"
    return DiffResult(
      analysis: analysis, policies: [policy],
      missing: [
        .init(action: "dynamodb:DescribeTable", resource: "table/" + hostile, count: 2, denied: 1, reason: .notGranted)
      ],
      unused: [
        .init(policy: policy, statement: "S\u{202E}gpj.exe", action: "s3:Get\u{0}Object", kind: .unused),
        .init(policy: policy, statement: "#1", action: "s3:Put\rObject", kind: .unobservable),
      ],
      overbroad: [.init(policy: policy, statement: "W", action: "ec2:*\u{9B}", usedActions: ["ec2:Describe\nVpcs"])],
      invalid: [],
      warnings: [PolicyWarning(path: "<b>p.json</b>", place: "Statement[0]", message: "## read\nas `*`")])
  }

  @Test("text shows every string from the trail or policy with its control characters escaped")
  func text() {
    let baseline = BaselineComparison(
      newMissing: Self.result().missing, resolvedMissing: [(action: "s3:A\u{1B}", resource: "r\n")],
      newUnused: [.init(policy: "p\u{0}", statement: "S", action: "x", kind: .unused)],
      resolvedUnused: [(policy: "p", statement: "S\t", action: "y\u{2066}")])
    let text = DiffReport.text(Self.result(), baseline: baseline)
    #expect(
      text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().map(String.init) == [
        #"Policies: evil\u{1B}]0;title\u{7}.json"#,
        "",
        "1 missing, 1 unused, 1 unobservable, 1 overbroad",
        "",
        "Missing: calls the policies would not allow",
        "  ACTION                  RESOURCE                                                CALLS  DENIED  REASON",
        #"  dynamodb:DescribeTable  table/a\n## heading <img src=x onerror=alert(1)> | `x`      2       1  not-granted"#,
        "",
        "Unused: granted, never called",
        #"  evil\u{1B}]0;title\u{7}.json"#,
        #"    "S\u{202E}gpj.exe""#,
        #"      s3:Get\u{0}Object"#,
        "    statement #1",
        #"      s3:Put\rObject  (unobservable: the trail has no data events)"#,
        "",
        "Overbroad: wildcards of which only some actions were used",
        #"  evil\u{1B}]0;title\u{7}.json"#,
        #"    "W""#,
        #"      ec2:*\u{9B}  used: ec2:Describe\nVpcs"#,
        "",
        "Since the baseline: 1 new missing, 1 resolved; 1 new unused, 1 resolved",
        #"  + missing dynamodb:DescribeTable table/a\n## heading <img src=x onerror=alert(1)> | `x`"#,
        #"  - missing s3:A\u{1B} r\n"#,
        #"  + unused p\u{0} S x"#,
        #"  - unused p S\t y\u{2066}"#,
        "",
        #"warning: <b>p.json</b>: Statement[0]: ## read\nas `*`"#,
        "",
      ])
  }

  @Test("Markdown: each hostile string is one cell, one list item, with no tag, heading or raw line break")
  func markdown() {
    let markdown = DiffReport.markdown(Self.result())
    #expect(
      markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) == [
        "## tighten diff",
        "",
        "**1 missing**, **1 unused**, 1 unobservable, 1 overbroad: 1 calls counted in 1 files against "
          + #"`evil\u{1B}]0;title\u{7}.json`."#,
        "",
        "### Missing",
        "",
        "| Action | Resource | Calls | Denied | Reason |",
        "|---|---|--:|--:|---|",
        #"| `dynamodb:DescribeTable` | `` table/a\n## heading <img src=x onerror=alert(1)> \| `x` `` | 2 | 1 | not-granted |"#,
        "",
        "<details><summary><b>Unused</b> (2)</summary>",
        "",
        "| Policy | Statement | Action | Kind |",
        "|---|---|---|---|",
        #"| `evil\u{1B}]0;title\u{7}.json` | `S\u{202E}gpj.exe` | `s3:Get\u{0}Object` | unused |"#,
        #"| `evil\u{1B}]0;title\u{7}.json` | `#1` | `s3:Put\rObject` | unobservable |"#,
        "",
        "</details>",
        "",
        "<details><summary><b>Overbroad</b> (1)</summary>",
        "",
        "| Policy | Statement | Entry | Used actions |",
        "|---|---|---|---|",
        #"| `evil\u{1B}]0;title\u{7}.json` | `W` | `ec2:*\u{9B}` | `ec2:Describe\nVpcs` |"#,
        "",
        "</details>",
        "",
        "<details><summary><b>Warnings</b> (1)</summary>",
        "",
        #"- &lt;b&gt;p.json&lt;/b&gt;: Statement\[0\]: ## read\\nas \`*\`"#,
        "",
        "</details>",
        "",
      ])
  }
}

@Suite("DiffReport Markdown for a pull request")
struct DiffMarkdownLimitTests {
  @Test("a large result stays under GitHub's 65,536-character limit, saying how many rows were left out")
  func limit() throws {
    var r = DiffReportTests.result()
    r.missing = (0..<3000).map {
      .init(
        action: "s3:GetObject", resource: "arn:aws:s3:::bucket-\($0)/some/long/key/path/to/an/object", count: 1,
        denied: 0, reason: .notGranted)
    }
    r.unused = (0..<500).map { .init(policy: "p.json", statement: "S", action: "sqs:Action\($0)", kind: .unused) }
    let text = DiffReport.markdown(r)
    #expect(text.utf8.count <= DiffReport.markdownLimit)
    #expect(text.hasPrefix("## tighten diff\n\n**3000 missing**, **500 unused**"))
    let shown = text.split(separator: "\n").filter { $0.hasPrefix("| `s3:GetObject`") }.count
    #expect(shown > 100 && shown < 3000)
    #expect(text.contains("\n… and \(3000 - shown) more rows not shown (`--format json` lists every one).\n"))
    // The other sections are folded, and what did not fit says so.
    #expect(text.contains("<details><summary><b>Unused</b> (500)</summary>"))
    #expect(text.contains("… and 500 more rows not shown"))
  }
}
