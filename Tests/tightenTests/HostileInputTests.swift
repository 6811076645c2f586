import Foundation
import Testing
import TightenTestSupport

/// Hostile policies and files, through the built binary: nothing of the
/// user's is lost or changed, nothing hangs, and every refusal names the file
/// and the reason with exit status 2.
@Suite("Hostile policies and files")
struct HostileInputTests {
  static let deploy = "SampleTrails/trails/deploy-1"
  static let declared = Fixtures.sampleTrails.appendingPathComponent("policies/deploy-declared.json").path

  /// A policy document with `statement` as its one statement.
  static func policy(_ statement: String) -> String {
    #"{"Version":"2012-10-17","Statement":[\#(statement)]}"#
  }

  static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

  // MARK: The history

  @Test("a history tighten cannot read is an error naming the line, and is left as it was")
  func unreadableHistory() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let good = #"{"iteration": 1, "calls": 3}"#
    let history = try Fixtures.write(Array((good + "\n").utf8) + [0x7B, 0xFF, 0x7D, 0x0A], to: "h.jsonl", in: root)
    let before = try Self.bytes(history)
    let r = try Binary.run([
      "generate", "--lifecycle", "observed", Self.deploy, "--policy", Self.declared, "--history", history,
    ])
    #expect(r.status == 2)
    #expect(r.stderr.hasSuffix("\(history): error: line 2: not UTF-8 text; not a history tighten wrote\n"))
    #expect(try Self.bytes(history) == before)
  }

  @Test("a history that is an input of the run (a trail, the policy) is refused and left as it was")
  func historyIsAnInput() throws {
    let trail = try #require(
      FileManager.default.subpaths(atPath: Fixtures.sampleTrails.appendingPathComponent("trails/deploy-1").path)?
        .first { $0.hasSuffix(".json.gz") && !$0.contains("Digest") })
    let trailPath = "\(Self.deploy)/\(trail)"
    for target in [trailPath, Self.declared] {
      let path = target.hasPrefix("/") ? target : Fixtures.packageRoot.appendingPathComponent(target).path
      let before = try Self.bytes(path)
      let r = try Binary.run([
        "generate", "--lifecycle", "observed", Self.deploy, "--policy", Self.declared, "--history", target,
      ])
      #expect(r.status == 2)
      #expect(r.stderr.contains("\(target): error: is an input of this run; the history must be a file of its own\n"))
      #expect(try Self.bytes(path) == before)
    }
  }

  @Test("a history that is a folder or a link is refused with the reason")
  func historyFolderOrLink() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    var r = try Binary.run([
      "generate", "--lifecycle", "observed", Self.deploy, "--policy", Self.declared, "--history", root.path,
    ])
    #expect(r.status == 2)
    #expect(r.stderr.hasSuffix("\(root.path): error: cannot write the history (Is a directory)\n"))
    let target = try Fixtures.write("keep\n", to: "target.txt", in: root)
    let link = root.appendingPathComponent("h.jsonl").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
    r = try Binary.run([
      "generate", "--lifecycle", "observed", Self.deploy, "--policy", Self.declared, "--history", link,
    ])
    #expect(r.status == 2)
    #expect(r.stderr.hasSuffix("\(link): error: is a symbolic link; tighten does not write through links\n"))
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep\n")
  }

  @Test("concurrent runs appending to one history keep every turn, numbered once each")
  func concurrentHistory() async throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let history = root.appendingPathComponent("h.jsonl").path
    try await withThrowingTaskGroup(of: Int32.self) { group in
      // Eight different turns (the same trail named eight ways): a turn run again would not be added.
      for i in 0..<8 {
        group.addTask {
          try Binary.run([
            "generate", "--lifecycle", "observed", Self.deploy + String(repeating: "/.", count: i), "--policy",
            Self.declared, "--history", history,
          ]).status
        }
      }
      for try await status in group { #expect(status == 0) }
    }
    let lines = try String(contentsOfFile: history, encoding: .utf8).split(separator: "\n")
    let turns = try lines.map { line in
      try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["iteration"] as? Int
    }
    #expect(turns == Array(1...8))
  }

  @Test("a partial run is marked partial in the history")
  func partialTurn() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let history = root.appendingPathComponent("h.jsonl").path
    let broken = Fixtures.path("broken/truncated.json.gz")
    let r = try Binary.run([
      "generate", "--lifecycle", "observed", Self.deploy, broken, "--policy", Self.declared, "--history", history,
    ])
    #expect(r.status == 3)
    let line = try String(contentsOfFile: history, encoding: .utf8)
    #expect(line.hasPrefix(#"{"iteration": 1, "trails": ["SampleTrails/trails/deploy-1", "#))
    #expect(line.hasSuffix(#", "partial": true}"# + "\n"))
  }

  // MARK: Output files and standard output

  @Test("a failed write to standard output exits 2 with the reason", arguments: ["scan", "diff", "generate"])
  func fullDisk(command: String) throws {
    var arguments = [command, Self.deploy, "--principal", "cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1"]
    if command == "generate" { arguments += ["--lifecycle", "observed"] }
    if command == "diff" { arguments += ["--policy", Self.declared, "--fail-on", "never"] }
    let process = Process()
    process.executableURL = Binary.url
    process.arguments = arguments
    process.currentDirectoryURL = Fixtures.packageRoot
    process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
    let err = Pipe()
    process.standardError = err
    try process.run()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 2)
    #expect(stderr == "tighten: error: cannot write the output (No space left on device)\n")
  }

  @Test("generate never writes through a link in the output folder, nor over its own input policy")
  func outputFolder() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let target = try Fixtures.write("keep\n", to: "elsewhere.txt", in: root)
    let out = root.appendingPathComponent("out")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: out.appendingPathComponent("policy.json").path, withDestinationPath: target)
    var r = try Binary.run(["generate", "--lifecycle", "observed", Self.deploy, "--output", out.path])
    #expect(r.status == 2)
    #expect(r.stderr == "\(out.path)/policy.json: error: is a symbolic link; tighten does not write through links\n")
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep\n")
    // The refined policy keeps its file name: written into the input's folder it would replace the input.
    let input = try Fixtures.write(
      try String(contentsOfFile: Self.declared, encoding: .utf8), to: "p/deploy-declared.json", in: root)
    let before = try Self.bytes(input)
    r = try Binary.run([
      "generate", "--lifecycle", "observed", Self.deploy, "--policy", input, "--output",
      root.appendingPathComponent("p").path,
    ])
    #expect(r.status == 2)
    #expect(r.stderr.hasSuffix("\(input): error: is an input of this run; tighten does not write over its inputs\n"))
    #expect(try Self.bytes(input) == before)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("p").path) == [
        "deploy-declared.json"
      ])
  }

  @Test(
    "an output file replaced by generate (with --force: tighten did not write it) is replaced whole, keeping its permission bits"
  )
  func atomicReplace() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let old = try Fixtures.write("old\n", to: "policy.json", in: root)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: old)
    let refused = try Binary.run(["generate", "--lifecycle", "observed", Self.deploy, "--output", root.path])
    #expect(refused.status == 2)
    #expect(try String(contentsOfFile: old, encoding: .utf8) == "old\n")
    let r = try Binary.run(["generate", "--lifecycle", "observed", Self.deploy, "--output", root.path, "--force"])
    #expect(r.status == 0)
    let text = try String(contentsOfFile: old, encoding: .utf8)
    #expect(text.hasPrefix("{\n  \"Version\": \"2012-10-17\","))
    let mode = try FileManager.default.attributesOfItem(atPath: old)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == [
        ".tighten-manifest.json", "policy.json",
      ])
  }

  // MARK: Policies read as IAM reads them

  @Test(
    "a policy IAM would reject is an error naming the place",
    arguments: [
      (
        HostileInputTests.policy(#"{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}"#),
        "line 1, column 56: invalid JSON: duplicate key \"Effect\""
      ),
      (
        HostileInputTests.policy(
          #"{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:username":[["a"]]}}}"#),
        "Statement[0].Condition.StringEquals.aws:username[0]: a condition value must be a string, number or boolean, found an array"
      ),
      (
        HostileInputTests.policy(
          #"{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":1e}}}"#),
        "line 1, column 132: invalid JSON: invalid value '1e'"
      ),
      (
        HostileInputTests.policy(
          #"{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/33"}}}"#
        ),
        "Statement[0].Condition.NotIpAddress.aws:SourceIp: '10.0.0.0/33' is not an IP address or CIDR range"
      ),
    ])
  func rejected(text: String, message: String) throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let path = try Fixtures.write(text, to: "p.json", in: root)
    let r = try Binary.run(["diff", "--policy", path, Self.deploy])
    #expect(r.status == 2)
    #expect(r.stderr == "\(path): error: \(message)\n")
  }

  @Test("an unknown tag on Action in a template is an error, never a wildcard")
  func unknownTag() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let template = """
      Resources:
        Policy:
          Type: AWS::IAM::ManagedPolicy
          Properties:
            PolicyDocument:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: !Everything s3
                  Resource: "*"
      """
    let path = try Fixtures.write(template, to: "t.yaml", in: root)
    let r = try Binary.run(["diff", "--policy", path, Self.deploy])
    #expect(r.status == 2)
    #expect(
      r.stderr == "\(path): error: Resources.Policy.Properties.PolicyDocument.Statement.Action: "
        + "unknown function or tag 'Fn::Everything': CloudFormation would reject the template\n")
  }

  @Test("YAML aliases that expand without end are refused, quickly")
  func billionLaughs() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    var lines = [#"a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
    for i in 1..<9 {
      lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ",") + "]")
    }
    lines.append("Resources: *a8")
    let path = try Fixtures.write(lines.joined(separator: "\n") + "\n", to: "laughs.yaml", in: root)
    let r = try Binary.run(["diff", "--policy", path, Self.deploy])
    #expect(r.status == 2)
    #expect(r.stderr == "\(path): error: YAML aliases expand to more than 10000 alias uses; refused\n")
  }

  @Test(
    "a policy path that is not a policy file says what it is",
    arguments: [
      ("/dev/zero", "larger than 64 MiB: not a policy file"),
      ("/tmp", "is a folder, not a policy file"),
      ("/nonexistent/p.json", "cannot read the file (No such file or directory)"),
    ])
  func notAPolicy(path: String, message: String) throws {
    let r = try Binary.run(["diff", "--policy", path, Self.deploy])
    #expect(r.status == 2)
    #expect(r.stderr == "\(path): error: \(message)\n")
  }

  @Test("a baseline that cannot be read says why")
  func baseline() throws {
    let r = try Binary.run(["diff", "--policy", Self.declared, Self.deploy, "--baseline", "/nonexistent/b.json"])
    #expect(r.status == 2)
    #expect(r.stderr == "/nonexistent/b.json: error: cannot read the baseline file (No such file or directory)\n")
  }

  @Test("two policies with one file name are written to two files, named by their folders")
  func sameOutputName() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let text = try String(contentsOfFile: Self.declared, encoding: .utf8)
    let a = try Fixtures.write(text, to: "a/deploy.json", in: root)
    let b = try Fixtures.write(text, to: "b/deploy.json", in: root)
    let out = root.appendingPathComponent("out").path
    let r = try Binary.run([
      "generate", "--lifecycle", "observed", Self.deploy, "--policy", a, "--policy", b, "--output", out,
    ])
    #expect(r.status == 0)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: out).sorted() == [
        ".tighten-manifest.json", "a.deploy.json", "b.deploy.json",
      ])
  }

  @Test("the history is checked before any document is written, and no document is written over it")
  func historyFirst() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("out").path
    let bad = try Fixtures.write("not json\n", to: "bad.jsonl", in: root)
    var r = try Binary.run([
      "generate", "--lifecycle", "observed", Self.deploy, "--policy", Self.declared, "--output", out, "--history", bad,
    ])
    #expect(r.status == 2)
    #expect(r.stderr.hasSuffix("\(bad): error: line 1: not a JSON object; not a history tighten wrote\n"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: out) == [])
    // A history where a document would go: refused, the history kept.
    let history = try Fixtures.write(#"{"iteration": 1}"# + "\n", to: "out2/deploy-declared.json", in: root)
    let out2 = root.appendingPathComponent("out2").path
    r = try Binary.run([
      "generate", "--lifecycle", "observed", Self.deploy, "--policy", Self.declared, "--output", out2, "--history",
      history,
    ])
    #expect(r.status == 2)
    #expect(r.stderr.hasSuffix("\(history): error: is an input of this run; tighten does not write over its inputs\n"))
    #expect(try String(contentsOfFile: history, encoding: .utf8) == #"{"iteration": 1}"# + "\n")
  }

  @Test("an append that fails half-way leaves the history as it was")
  func failedAppend() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let turn =
      #"{"iteration": 1, "trails": [], "calls": 0, "padding": ""# + String(repeating: "x", count: 900) + "\"}\n"
    let history = try Fixtures.write(turn, to: "h.jsonl", in: root)
    // A 1 KiB file-size limit: the next line cannot be written whole.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = [
      "-c", #"trap '' XFSZ; ulimit -f 2; exec "$0" generate "$1" --lifecycle observed --policy "$2" --history "$3""#,
      Binary.url.path,
      Self.deploy, Self.declared, history,
    ]
    process.currentDirectoryURL = Fixtures.packageRoot
    process.standardOutput = Pipe()
    let err = Pipe()
    process.standardError = err
    try process.run()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 2)
    #expect(stderr.hasSuffix("\(history): error: cannot write the history (File too large)\n"))
    #expect(try String(contentsOfFile: history, encoding: .utf8) == turn)
  }

  @Test("--help and --version to a full disk exit 2", arguments: ["--help", "--version"])
  func helpToFullDisk(flag: String) throws {
    let process = Process()
    process.executableURL = Binary.url
    process.arguments = [flag]
    process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
    process.standardError = Pipe()
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 2)
  }

  @Test("a template parameter in an IP condition is read as not known, with a warning")
  func ipParameter() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let template = """
      Parameters:
        OfficeCidr:
          Type: String
      Resources:
        Policy:
          Type: AWS::IAM::ManagedPolicy
          Properties:
            PolicyDocument:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: "s3:*"
                  Resource: "*"
                  Condition:
                    IpAddress:
                      aws:SourceIp: !Ref OfficeCidr
      """
    let path = try Fixtures.write(template, to: "t.yaml", in: root)
    let r = try Binary.run(["diff", "--policy", path, Self.deploy, "--fail-on", "never"])
    #expect(r.status == 0)
    #expect(r.stderr.contains("\(path): warning: Ref OfficeCidr is not known before deployment; read as *\n"))
  }
}
