import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("YAML reader")
struct YAMLReaderTests {
  private func parse(_ text: String, limits: PolicyValue.YAMLLimits = .init()) throws(PolicyError) -> PolicyValue {
    try PolicyValue.parseYAML(text, path: "t.yaml", limits: limits)
  }

  /// The error `text` gives, as `place: reason`.
  private func failure(_ text: String, limits: PolicyValue.YAMLLimits = .init()) -> String? {
    do {
      _ = try parse(text, limits: limits)
      return nil
    } catch {
      return error.message
    }
  }

  @Test("scalars as CloudFormation reads them: quoted and !!str text stays text")
  func scalars() throws {
    let value = try parse(
      """
      a: 123
      b: "123"
      c: yes
      d: !!str true
      e: ~
      f: 1.5e3
      g: plain text
      h: 'it''s'
      """)
    #expect(
      value
        == .object([
          ("a", .number("123")), ("b", .string("123")), ("c", .bool(true)), ("d", .string("true")), ("e", .null),
          ("f", .number("1.5e3")), ("g", .string("plain text")), ("h", .string("it's")),
        ]))
  }

  @Test("short-form tags become their long form, on scalars and collections")
  func shortForms() throws {
    let value = try parse(
      """
      r: !Ref Bucket
      g: !GetAtt Role.Arn
      s: !Sub "arn:aws:s3:::${Bucket}/*"
      j: !Join [":", [a, b]]
      """)
    #expect(
      value
        == .object([
          ("r", .object([("Ref", .string("Bucket"))])),
          ("g", .object([("Fn::GetAtt", .array([.string("Role"), .string("Arn")]))])),
          ("s", .object([("Fn::Sub", .string("arn:aws:s3:::${Bucket}/*"))])),
          ("j", .object([("Fn::Join", .array([.string(":"), .array([.string("a"), .string("b")])]))])),
        ]))
  }

  @Test("an alias inserts its anchor's value, including the anchor's tag; an alias may be a key")
  func aliases() throws {
    let value = try parse("a: &x [1, !Ref B]\nb: *x\n&k key: 1\nc: *k\n")
    let list = PolicyValue.array([.number("1"), .object([("Ref", .string("B"))])])
    #expect(value == .object([("a", list), ("b", list), ("key", .number("1")), ("c", .string("key"))]))
    #expect(
      try parse("&k key: 1\nm: {*k : 2}\n")
        == .object([("key", .number("1")), ("m", .object([("key", .number("2"))]))]))
  }

  @Test("duplicate keys are an error with the line, as for JSON")
  func duplicateKeys() {
    #expect(failure("Effect: Allow\nAction: s3:*\nEffect: Deny\n") == "line 3: invalid YAML: duplicate key \"Effect\"")
  }

  @Test("a key that is a sequence, a mapping or an alias to one is an error")
  func collectionKeys() {
    #expect(failure("? [a, b]\n: c\n") == "line 1: invalid YAML: a mapping key that is a sequence; keys are strings")
    #expect(failure("{{a: b}: c}\n") == "line 1: invalid YAML: a mapping key that is a mapping; keys are strings")
    #expect(failure("x: &l [1]\n*l : 2\n") == "line 2: invalid YAML: a mapping key *l that is not a string")
  }

  @Test("nesting is bounded, written or through aliases")
  func depth() {
    let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
    #expect(failure(deep) == "line 1: invalid YAML: nested deeper than 256 levels")
    // Each anchor nests the one before 100 levels deeper: 3 of them pass 256.
    var lines: [String] = ["a0: &a0 x"]
    for i in 1...3 {
      lines.append(
        "a\(i): &a\(i) " + String(repeating: "[", count: 100) + "*a\(i - 1)" + String(repeating: "]", count: 100))
    }
    #expect(failure(lines.joined(separator: "\n")) == "line 4: invalid YAML: nested deeper than 256 levels")
  }

  @Test("alias expansion is bounded by values, alias uses and bytes")
  func expansion() {
    var limits = PolicyValue.YAMLLimits()
    limits.values = 100
    #expect(
      failure("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n", limits: limits)
        == "YAML aliases expand to more than 100 values; refused")
    limits = .init()
    limits.aliases = 3
    #expect(
      failure("a: &a 1\nb: [*a, *a, *a, *a]\n", limits: limits)
        == "YAML aliases expand to more than 3 alias uses; refused")
    limits = .init()
    limits.bytes = 1 << 20
    let big = String(repeating: "x", count: 300_000)
    #expect(
      failure("a: &a \(big)\nb: [*a, *a, *a, *a]\n", limits: limits)
        == "YAML aliases expand to more than 1 MiB of text; refused")
  }

  @Test("syntax errors, undefined aliases and second documents name the place")
  func errors() {
    #expect(
      failure("a: [1, 2\n")
        == "line 2, column 1: invalid YAML: while parsing a flow sequence, did not find expected ',' or ']'")
    #expect(failure("a: *nowhere\n") == "line 1: invalid YAML: the alias *nowhere names no anchor before it")
    #expect(
      failure("a: 1\n---\nb: 2\n")
        == "line 2: invalid YAML: a second YAML document; a template or policy is one document")
    #expect(failure("# only a comment\n") == "the file is empty")
  }

  @Test(
    "deeply nested duplicate complex keys are refused at once (the policy fuzzer's 6 KB input took minutes in Yams)")
  func fuzzerTimeout() throws {
    let bytes = try Data(
      contentsOf: URL(fileURLWithPath: Fixtures.path("fuzz-findings/policy-timeout-duplicate-complex-keys.yaml")))
    let text = String(decoding: bytes, as: UTF8.self)
    #expect(failure(text) == "line 2: invalid YAML: a mapping key that is a mapping; keys are strings")
  }
}
