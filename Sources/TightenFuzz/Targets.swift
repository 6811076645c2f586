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

  /// The gzip reader over arbitrary bytes, with small bounds and odd chunk
  /// sizes; its own CRC-32 and length checks against zlib's. The same bytes
  /// and warning when both read the input whole; the same error when not,
  /// but two ways: a CRC is found wrong where a member ends (zlib, reading
  /// the trailer in two calls, may drop what the call before gave), and a
  /// trailer cut short is truncated whatever its CRC (zlib checks the CRC
  /// before it misses the length).
  static func gzip(_ bytes: UnsafeBufferPointer<UInt8>) {
    let input = Array(bytes)
    let chunk = 1 + (input.first.map(Int.init) ?? 0) % 97
    let ours = inflated(input, chunkSize: chunk, zlibChecks: false)
    let zlib = inflated(input, chunkSize: chunk, zlibChecks: true)
    let same: Bool
    switch (ours.error, zlib.error) {
    case (nil, nil): same = ours.bytes == zlib.bytes && ours.warning == zlib.warning
    case (let a?, let b?):
      let cutTrailer = a.kind == .truncated && b.reason.hasSuffix("(incorrect data check)")
      same = (a == b || cutTrailer) && ours.bytes.starts(with: zlib.bytes)
    default: same = false
    }
    if !same {
      fatalError(
        "gzip checks differ from zlib's: \(String(describing: ours.error)) vs \(String(describing: zlib.error))")
    }
  }

  private static func inflated(_ input: [UInt8], chunkSize: Int, zlibChecks: Bool)
    -> (bytes: [UInt8], error: InputError?, warning: InputError?)
  {
    let limits = DecompressionLimits(maxOutputBytes: 1 << 22, maxRatio: 1000, ratioGraceBytes: 1 << 16)
    let reader = GzipReader(bytes: input, limits: limits, chunkSize: chunkSize)
    reader.zlibChecksAll = zlibChecks
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
    defer { buffer.deallocate() }
    var out: [UInt8] = []
    do {
      while case let n = try reader.read(into: buffer), n > 0 { out += buffer[0..<n] }
    } catch {
      return (out, error, reader.warning)
    }
    return (out, nil, reader.warning)
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
