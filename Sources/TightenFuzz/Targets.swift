import TightenCore

/// The inputs the fuzzers feed: bytes from a trail file or a policy file.
/// A target must never crash, hang or grow without bound, whatever the bytes.
enum Targets {
  static let names = ["gzip", "scanner", "policy", "yaml", "history", "summary"]

  static func run(_ name: String, _ bytes: UnsafeBufferPointer<UInt8>) {
    switch name {
    case "gzip": gzip(bytes)
    case "scanner": scanner(bytes)
    case "policy": policy(bytes)
    case "yaml": yaml(bytes)
    case "history": history(bytes)
    case "summary": summary(bytes)
    default: break
    }
  }

  /// The gzip reader over arbitrary bytes, with small bounds and odd chunk sizes.
  static func gzip(_ bytes: UnsafeBufferPointer<UInt8>) {
    let input = Array(bytes)
    let limits = DecompressionLimits(maxOutputBytes: 1 << 22, maxRatio: 1000, ratioGraceBytes: 1 << 16)
    let reader = GzipReader(bytes: input, limits: limits, chunkSize: 1 + (input.first.map(Int.init) ?? 0) % 97)
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
    defer { buffer.deallocate() }
    do {
      while try reader.read(into: buffer) > 0 {}
    } catch {}
  }

  /// The record scanner, mapper and tally over arbitrary bytes (plain or gzip'd).
  static func scanner(_ bytes: UnsafeBufferPointer<UInt8>) {
    let limits = ScanLimits(depthLimit: 64, maxValueBytes: 1 << 16, readSize: 1 + (bytes.count % 4096))
    let analyzer = TrailAnalyzer(scanLimits: limits, workers: 1)
    let analysis = analyzer.analyze(bytes: Array(bytes))
    _ = ScanReport.json(analysis)
  }

  /// The YAML reader with small expansion bounds, then the template reader over what it accepts.
  static func yaml(_ bytes: UnsafeBufferPointer<UInt8>) {
    var limits = PolicyValue.YAMLLimits()
    limits.values = 20_000
    limits.aliases = 1_000
    limits.bytes = 1 << 20
    guard (try? PolicyValue.parseYAML(String(decoding: bytes, as: UTF8.self), path: "t.yaml", limits: limits)) != nil
    else { return }
    _ = try? PolicyLoader(account: "111122223333", region: "us-east-1")
      .load(text: String(decoding: bytes, as: UTF8.self), name: "t.yaml")
  }

  /// The usage summary reader over arbitrary bytes, binary blocks allowed (as the cache reads its entries).
  static func summary(_ bytes: UnsafeBufferPointer<UInt8>) {
    _ = UsageSummary.check(Array(bytes))
  }

  /// The history reader over arbitrary bytes.
  static func history(_ bytes: UnsafeBufferPointer<UInt8>) {
    _ = try? History.parse(Array(bytes), path: "history.jsonl")
  }

  /// The policy loader (JSON and YAML) and the evaluator over what it accepts.
  static func policy(_ bytes: UnsafeBufferPointer<UInt8>) {
    let text = String(decoding: bytes, as: UTF8.self)
    let name = bytes.first.map { $0 & 1 == 0 } == true ? "policy.json" : "template.yaml"
    guard
      let set = try? PolicyLoader(principals: ["deployer"], account: "111122223333", region: "us-east-1")
        .load(text: text, name: name)
    else { return }
    let evaluator = PolicyEvaluator(policies: set)
    let context = CallContext(
      principal: "arn:aws:iam::111122223333:role/deployer", principalAccount: "111122223333", region: "us-east-1",
      sourceIP: "203.0.113.10", passedToService: "lambda.amazonaws.com", mfa: true)
    for (action, resource) in [
      ("s3:GetObject", "arn:aws:s3:::b/k"), ("iam:PassRole", "arn:aws:iam::111122223333:role/r"),
      ("kms:CreateKey", "*"),
      ("ec2:CreateVpc", "arn:aws:ec2:us-east-1:111122223333:vpc/*"),
    ] {
      _ = evaluator.evaluate(
        CallFacts(action: action, resource: resource, context: context, firstSeen: 0, lastSeen: 86_400))
      // As `simulate` evaluates: given keys, every other key absent, matched statements and the keys read.
      let given = GivenContext(
        [("aws:CalledVia", ["s3.amazonaws.com", "athena.amazonaws.com"]), ("aws:SourceIp", ["2001:db8::1"])],
        principal: "arn:aws:sts::111122223333:assumed-role/deployer/s")
      _ = SimulateCommand(policyFiles: []).answer(
        .init(
          action: action, resource: resource,
          context: [
            ("aws:CalledVia", ["s3.amazonaws.com", "athena.amazonaws.com"]), ("aws:SourceIp", ["2001:db8::1"]),
          ]), with: evaluator)
      _ = evaluator.evaluate(
        CallFacts(action: action, resource: resource, context: CallContext(), given: given), matches: true)
    }
    _ = InvalidEntries.find(set, catalog: .shared)
  }
}
