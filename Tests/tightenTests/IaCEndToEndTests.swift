import Foundation
import Testing
import TightenTestSupport

/// `generate --format cloudformation|terraform|cdk`, each checked by a real parser from PyPI
/// (`Scripts/python-tools` installs them into .build/py; `Scripts/test` runs it first).
@Suite("Output that drops into IaC, end to end")
struct IaCEndToEndTests {
  static let role = "cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1"
  static let python = Fixtures.packageRoot.appendingPathComponent(".build/py/bin/python").path

  /// Runs the tools' python on a script; fails the test, saying how to get the tools, when they are missing.
  func python(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    try #require(
      FileManager.default.isExecutableFile(atPath: Self.python), "run Scripts/python-tools (Scripts/test does) first")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.python)
    process.arguments = ["-c", script] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
  }

  func generate(_ format: String, _ extra: [String] = []) throws -> String {
    let r = try Binary.run(
      ["generate", "SampleTrails/trails/deploy-1", "--principal", Self.role, "--format", format] + extra)
    #expect(r.status == 0)
    return r.stdout
  }

  @Test("CloudFormation: a template cfn-lint passes, the account, region and partition as the stack's own")
  func cloudFormation() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let text = try generate("cloudformation")
    #expect(text.hasPrefix("AWSTemplateFormatVersion: \"2010-09-09\"\n"))
    #expect(text.contains("    Type: AWS::IAM::ManagedPolicy\n"))
    #expect(
      text.contains(
        #"!Sub "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/shop-dev-OrdersTable""#))
    #expect(!text.contains("111122223333"))
    let file = try Fixtures.write(text, to: "policy.yaml", in: root)
    let lint = try python(
      "import sys; from cfnlint.runner import main; sys.argv = ['cfn-lint', sys.argv[1]]; main()", [file])
    #expect(lint.status == 0, "\(lint.output)")
  }

  @Test("Terraform: aws_iam_policy_document blocks an HCL parser reads, statement for statement")
  func terraform() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let text = try generate("terraform", ["--lifecycle", "observed"])
    let json = try generate("json", ["--lifecycle", "observed"])
    let file = try Fixtures.write(text, to: "policy.tf", in: root)
    let parsed = try python(
      """
      import hcl2, sys
      doc = hcl2.load(open(sys.argv[1]))
      bare = lambda v: v.strip('"') if isinstance(v, str) else v
      blocks = [{bare(k): v for k, v in d.items()} for d in doc['data']]
      document = [b for b in blocks if 'aws_iam_policy_document' in b][0]['aws_iam_policy_document']
      statements = {bare(k): v for k, v in document.items()}['tighten']['statement']
      print(len(statements), bare(statements[0]['sid']), bare(statements[0]['resources'][0]))
      """, [file])
    #expect(parsed.status == 0, "\(parsed.output)")
    let count = try #require(
      (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["Statement"] as? [Any]
    ).count
    #expect(
      parsed.output.trimmingCharacters(in: .whitespacesAndNewlines)
        == "\(count) CloudwatchAlarm arn:${data.aws_partition.current.partition}:cloudwatch:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:alarm:shop-dev-WorkerErrors"
    )
  }

  @Test("CDK: TypeScript PolicyStatements with the stack's partition, region and account")
  func cdk() throws {
    let text = try generate("cdk", ["--lifecycle", "observed"])
    #expect(text.contains("import * as iam from 'aws-cdk-lib/aws-iam';"))
    #expect(text.contains("export function tightenPolicies(stack: Stack): iam.PolicyStatement[][] {"))
    #expect(
      text.contains(
        "        resources: [`arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:shop-dev-WorkerErrors`],\n"
      ))
    #expect(
      text.contains("        conditions: { 'StringEquals': { 'iam:PassedToService': ['lambda.amazonaws.com'] } },\n"))
  }

  @Test("--output writes one file per format, named for it, in the manifest")
  func output() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("out").path
    let r = try Binary.run([
      "generate", "SampleTrails/trails/deploy-1", "--principal", Self.role, "--format", "terraform", "--output", out,
    ])
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("Wrote 2 policies to \(out) (tighten-policy.tf):\n"))
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: out).sorted() == [
        ".tighten-manifest.json", "tighten-policy.tf",
      ])
  }

  @Test("a policy variable stays literal in every language")
  func variables() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let policy = try Fixtures.write(
      #"{"Version":"2012-10-17","Statement":[{"Sid":"Home","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}]}"#,
      to: "home.json", in: root)
    func refine(_ format: String) throws -> String {
      try Binary.run([
        "generate", "SampleTrails/trails/deploy-1", "--principal", Self.role, "--policy", policy, "--lifecycle",
        "observed", "--format", format, "--keep-unused",
      ]).stdout
    }
    #expect(try refine("cloudformation").contains(#"!Sub "arn:${AWS::Partition}:s3:::home/${!aws:username}/*""#))
    #expect(
      try refine("terraform").contains(#""arn:${data.aws_partition.current.partition}:s3:::home/$${aws:username}/*""#))
    #expect(try refine("cdk").contains("`arn:${stack.partition}:s3:::home/\\${aws:username}/*`"))
  }
}

@Suite("diff --format sarif, end to end")
struct SarifEndToEndTests {
  @Test("SARIF 2.1.0 that the schema's models accept, each finding at its policy file and statement line")
  func sarif() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let r = try Binary.run([
      "diff", "--policy", "SampleTrails/policies/deploy-declared.json", "SampleTrails/trails/deploy-1", "--principal",
      IaCEndToEndTests.role, "--format", "sarif",
    ])
    #expect(r.status == 1)
    let file = try Fixtures.write(r.stdout, to: "diff.sarif", in: root)
    let broken = try Fixtures.write(
      r.stdout.replacingOccurrences(of: "\"startLine\": ", with: "\"startLine\": \"x"), to: "broken.sarif", in: root)
    let check = try IaCEndToEndTests().python(
      """
      import json, sys
      from sarif_pydantic import Sarif
      def valid(path):
          try:
              Sarif.model_validate(json.load(open(path)))
              return True
          except Exception:
              return False
      d = json.load(open(sys.argv[1]))
      found = [(x['ruleId'], x['locations'][0]['physicalLocation']['region']['startLine']) for x in d['runs'][0]['results'] if x['ruleId'] != 'predicted']
      print(valid(sys.argv[1]), valid(sys.argv[2]), d['version'], found)
      """, [file, broken])
    #expect(
      check.output.trimmingCharacters(in: .whitespacesAndNewlines)
        == "True False 2.1.0 [('missing', 1), ('missing', 1), ('missing', 1), ('missing', 1), ('lifecycle', 5), ('lifecycle', 17), ('lifecycle', 23), ('lifecycle', 42), ('lifecycle', 48), ('unused', 54), ('unused', 54), ('overbroad', 36)]"
    )
  }
}

@Suite("Refining a CloudFormation template writes it back, end to end")
struct TemplateWriteBackTests {
  static let template = """
    # The deploy role's policy, next to the stack's other resources (kept as written).
    AWSTemplateFormatVersion: "2010-09-09"
    Parameters:
      Prefix: {Type: String, Default: shop-dev}
    Resources:
      Logs:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub "${Prefix}-logs"   # a comment that stays
      DeployPolicy:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: Tables
                Effect: Allow
                Action: [dynamodb:CreateTable, dynamodb:DescribeTable, sqs:DeleteQueue]
                Resource: "arn:aws:dynamodb:us-east-1:111122223333:table/shop-dev-*"
    """

  @Test("only the refined policy document changes; cfn-lint passes the result")
  func writeBack() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let path = try Fixtures.write(Self.template + "\n", to: "stack.yaml", in: root)
    let out = root.appendingPathComponent("out").path
    let r = try Binary.run([
      "generate", "SampleTrails/trails/deploy-1", "--principal", IaCEndToEndTests.role, "--policy", path,
      "--lifecycle", "observed", "--format", "cloudformation", "--max-size", "10240", "--output", out,
    ])
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("Wrote 1 policy to \(out) (stack.yaml):\n"))
    let written = try String(contentsOfFile: out + "/stack.yaml", encoding: .utf8)
    let before = Self.template.split(separator: "\n", omittingEmptySubsequences: false)
    let after = written.split(separator: "\n", omittingEmptySubsequences: false)
    // Everything up to the document is the same text, comments and intrinsics included.
    #expect(Array(after.prefix(13)) == Array(before.prefix(13)))
    #expect(
      after[13].hasPrefix(
        #"        {"Version": "2012-10-17", "Statement": [{"Sid": "Tables", "Effect": "Allow", "Action": ["dynamodb:CreateTable", "dynamodb:DescribeTable"], "Resource": {"Fn::Sub": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/shop-dev-*"}}"#
      ))
    #expect(!written.contains("sqs:DeleteQueue"))
    let lint = try IaCEndToEndTests().python(
      "import sys; from cfnlint.runner import main; sys.argv = ['cfn-lint', sys.argv[1]]; main()", [out + "/stack.yaml"]
    )
    #expect(lint.status == 0, "\(lint.output)")
  }
}
