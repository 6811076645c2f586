import TightenCore

/// A seeded random mutator, for builds without libFuzzer: it mutates seed
/// inputs (bit flips, byte edits, chunk copies, JSON tokens) and runs the
/// target in-process. The same seed gives the same inputs.
enum Mutator {
  nonisolated(unsafe) static var current: [UInt8] = []
  nonisolated(unsafe) static var artifact = ""

  struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
  }

  static let tokens: [[UInt8]] = [
    "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud83d", "null", "true", "1e999", "-0", "\"Records\":[",
    "\"eventSource\":\"s3.amazonaws.com\"", "\"eventName\":\"GetObject\"", "\"Statement\":", "\"Effect\":\"Allow\"",
    "\"Action\":\"*\"", "\"Resource\":\"*\"", "\"Condition\":{\"StringLike\":{\"aws:PrincipalArn\":\"*\"}}",
    "!Sub ", "!Ref ", "${AWS::AccountId}", "\u{FEFF}", "\n", "\u{1F}\u{8B}",
  ].map { Array($0.utf8) }

  static func main(target: String, arguments: [String]) {
    var seconds = 10.0
    var seed: UInt64 = 1
    var files: [String] = []
    var i = 0
    while i < arguments.count {
      switch arguments[i] {
      case "--seconds":
        seconds = Double(arguments[i + 1]) ?? seconds
        i += 2
      case "--seed":
        seed = UInt64(arguments[i + 1]) ?? seed
        i += 2
      default:
        files.append(arguments[i])
        i += 1
      }
    }
    var seeds = files.compactMap(read)
    if seeds.isEmpty {
      seeds = [Array(#"{"Records":[{"eventSource":"s3.amazonaws.com","eventName":"GetObject"}]}"#.utf8)]
    }
    installCrashHandler()
    var random = Random(state: seed)
    var corpus = seeds
    let start = now()
    var executions = 0
    while now() - start < seconds {
      var input = corpus[random.below(corpus.count)]
      for _ in 0...random.below(4) { mutate(&input, &random, corpus) }
      if input.count > 1 << 16 { input.removeLast(input.count - (1 << 16)) }
      current = input
      artifact = "fuzz-artifacts/crash-\(target)-\(seed)-\(executions)"
      input.withUnsafeBufferPointer { Targets.run(target, $0) }
      executions += 1
      if executions % 64 == 0 && corpus.count < 512 { corpus.append(input) }
    }
    print("mutator \(target): \(executions) executions in \(Int(seconds)) s, seed \(seed), 0 crashes")
  }

  static func mutate(_ input: inout [UInt8], _ r: inout Random, _ corpus: [[UInt8]]) {
    switch r.below(7) {
    case 0 where !input.isEmpty:
      input[r.below(input.count)] ^= UInt8(1 << r.below(8))
    case 1 where !input.isEmpty:
      input[r.below(input.count)] = UInt8(truncatingIfNeeded: r.next())
    case 2 where !input.isEmpty:
      let at = r.below(input.count)
      input.removeSubrange(at..<min(input.count, at + 1 + r.below(16)))
    case 3:
      input.insert(contentsOf: tokens[r.below(tokens.count)], at: r.below(input.count + 1))
    case 4 where !input.isEmpty:
      let from = r.below(input.count)
      let chunk = input[from..<min(input.count, from + 1 + r.below(64))]
      input.insert(contentsOf: chunk, at: r.below(input.count + 1))
    case 5:
      let other = corpus[r.below(corpus.count)]
      let cut = r.below(input.count + 1)
      input = Array(input[..<cut]) + Array(other[r.below(other.count + 1)...])
    default:
      if !input.isEmpty { input.removeLast(r.below(input.count)) }
    }
  }

  /// A seed file's bytes (the first megabyte or so), nil when it cannot be read.
  static func read(_ path: String) -> [UInt8]? {
    Platform.readFile(path, limit: 1 << 20)
  }

  static func now() -> Double {
    Platform.monotonicSeconds()
  }

  /// On a trap, write the input that caused it, then die as before.
  static func installCrashHandler() {
    let handler: @convention(c) (Int32) -> Void = { signal in
      Platform.makeDirectory("fuzz-artifacts")
      _ = Mutator.current.withUnsafeBytes { Platform.writeFile(Mutator.artifact, $0) }
      var message = "mutator: crash; input written to \(Mutator.artifact)\n"
      message.withUTF8 { try? Platform.writeAll(UnsafeRawBufferPointer($0), to: 2) }
      Platform.raiseWithDefaultAction(signal)
    }
    Platform.onCrash(handler)
  }
}
