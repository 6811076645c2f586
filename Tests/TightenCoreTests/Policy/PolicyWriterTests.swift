import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("PolicyWriter")
struct PolicyWriterTests {
  static let statement = PolicyStatement(
    label: "PassRole", index: 0, effect: .allow, actions: ["iam:PassRole"],
    resources: ["arn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:role/b"],
    conditions: [
      ConditionClause(op: "StringEquals", key: "iam:PassedToService", values: ["lambda.amazonaws.com"]),
      ConditionClause(op: "StringEquals", key: "aws:RequestedRegion", values: ["us-east-1", "eu-west-1"]),
    ])

  @Test("writes IAM policy JSON indented by two spaces, one-element lists as their element")
  func layout() {
    let document = PolicyDocument(name: "p.json", path: "p.json", statements: [Self.statement])
    #expect(
      PolicyWriter.json(document) == """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "PassRole",
              "Effect": "Allow",
              "Action": "iam:PassRole",
              "Resource": [
                "arn:aws:iam::111122223333:role/a",
                "arn:aws:iam::111122223333:role/b"
              ],
              "Condition": {
                "StringEquals": {
                  "iam:PassedToService": "lambda.amazonaws.com",
                  "aws:RequestedRegion": [
                    "us-east-1",
                    "eu-west-1"
                  ]
                }
              }
            }
          ]
        }

        """)
  }

  @Test("measures a document as IAM does: characters that are not white space")
  func size() {
    var statement = Self.statement
    statement.label = "#0"
    statement.conditions = []
    statement.resources = ["*"]
    let document = PolicyDocument(name: "p.json", path: "p.json", statements: [statement])
    let compact = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}"#
    #expect(PolicyWriter.size(document) == compact.count)
    #expect(PolicyWriter.json(document).contains("\"Sid\"") == false)
  }

  @Test("a policy read back is the policy written")
  func roundTrip() throws {
    let document = PolicyDocument(name: "p.json", path: "p.json", statements: [Self.statement])
    let read = try PolicyLoader().load(text: PolicyWriter.json(document), name: "p.json")
    #expect(read.documents.first?.statements.first?.actions == ["iam:PassRole"])
    #expect(read.documents.first?.statements.first?.resources == Self.statement.resources)
    #expect(read.documents.first?.statements.first?.conditions == Self.statement.conditions)
  }
}
