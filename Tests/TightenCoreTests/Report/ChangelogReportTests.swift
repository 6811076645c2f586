import Testing

@testable import TightenCore

@Suite("ChangelogReport")
struct ChangelogReportTests {
  @Test("the changelog shows the policy's strings with their control characters escaped")
  func text() {
    var log = Changelog()
    log.added = [Permission(action: "s3:GetObject", resource: "arn:aws:s3:::b/k\n+ s3:*  *")]
    log.removed = [.init(policy: "p\u{1B}[2J.json", statement: "S", action: "sqs:\u{0}X")]
    log.narrowed = [(entry: .init(policy: "p.json", statement: "#0", action: "ec2:*"), to: ["ec2:A\r", "ec2:B"])]
    log.keptUnobservable = [.init(policy: "p.json", statement: "S\u{202E}", action: "s3:PutObject")]
    #expect(
      ChangelogReport.text(log) == #"""

        Changes: 1 added, 1 removed, 1 narrowed, 1 kept (use not visible in CloudTrail)
          + s3:GetObject arn:aws:s3:::b/k\n+ s3:*  *
          - sqs:\u{0}X  (p\u{1B}[2J.json S)
          ~ ec2:* → ec2:A\r, ec2:B  (p.json #0)
          = s3:PutObject  (p.json S\u{202E}): unobservable, kept

        """#)
  }

  @Test("the history table escapes the history file's values and path, and aligns on the escaped text")
  func history() {
    let turn = PolicyValue.object([
      ("iteration", .number("1")), ("lastEvent", .string("2026-11-20\u{1B}[8m")), ("calls", .number("3")),
    ])
    #expect(
      ChangelogReport.history([turn], path: "h\n.jsonl") == #"""

        History (h\n.jsonl):
          TURN  LAST EVENT           CALLS  MISSING  DENIED  UNUSED  ADDED  REMOVED  NARROWED
             1  2026-11-20\u{1B}[8m      3        -       -       -      -        -         -

        """#)
  }
}
