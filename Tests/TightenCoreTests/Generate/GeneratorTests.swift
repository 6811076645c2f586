import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("Generator")
struct GeneratorTests {
  static let deploy = Fixtures.sampleTrails.appendingPathComponent("trails/deploy-1").path
  static let invictus = Fixtures.path("trails/invictus-aws-dataset")

  /// Every observed permission is allowed by the documents, and they allow no action that was not observed.
  static func checkCoverage(_ analysis: TrailAnalysis, _ documents: [PolicyDocument]) {
    checkNothingLost(analysis, documents)
    let observed = Set(analysis.usage.map { $0.permission.action.lowercased() })
    for document in documents {
      for statement in document.statements {
        for action in statement.actions ?? [] {
          #expect(observed.contains(action.lowercased()), "granted but not observed: \(action)")
        }
      }
    }
  }

  /// Every observed permission is allowed by the documents.
  static func checkNothingLost(_ analysis: TrailAnalysis, _ documents: [PolicyDocument]) {
    let evaluator = PolicyEvaluator(policies: PolicySet(documents: documents))
    for u in analysis.usage {
      let result = evaluator.evaluate(
        CallFacts(
          action: u.permission.action, resource: u.permission.resource, context: u.context,
          firstSeen: u.stats.firstSeen, lastSeen: u.stats.lastSeen))
      #expect(result.missing == nil, "lost: \(u.permission) \(u.context.passedToService)")
    }
  }

  static let realSamples = [
    Fixtures.sampleTrails.appendingPathComponent("trails").path, invictus,
    Fixtures.path("trails/otrf-ec2-proxy-s3-exfiltration"), Fixtures.path("trails/trailscraper-fixtures"),
    Fixtures.path("trails/aws-ctpl-serializer-fixtures"),
  ]

  @Test(
    "every labelled case's documented requirements, not only what the mapper found, are allowed by the policy generated from its record, in every resource mode",
    arguments: MappingCase.all)
  func labelledRequirementsAllowed(_ c: MappingCase) throws {
    guard case .permissions(let required) = c.expect, !required.isEmpty else { return }
    let analysis = TrailAnalyzer(workers: 1).analyze(
      bytes: Array(#"{"Records":["#.utf8) + Array(c.record.utf8) + Array("]}".utf8))
    let context = try #require(analysis.usage.first?.context)
    for mode in GeneratorOptions.ResourceMode.allCases {
      let generator = Generator(options: .init(resources: mode, maxSize: 6144))
      let evaluator = PolicyEvaluator(
        policies: PolicySet(documents: try generator.documents(generator.statements(from: analysis), name: "policy")))
      for row in required {
        var call = context
        call.passedToService = row[3]
        let result = evaluator.evaluate(
          CallFacts(action: row[0], resource: row[1], context: call, firstSeen: nil, lastSeen: nil))
        #expect(result.missing == nil, "\(mode): refused \(row[0]) on \(row[1]) (\(c.reference))")
      }
    }
  }

  @Test("no action the mapper emits, on the labelled cases and the real samples, is outside the catalogue")
  func actionsInCatalogue() {
    let records = MappingCase.all.map(\.record).joined(separator: ",")
    let labelled = TrailAnalyzer(workers: 1).analyze(
      bytes: Array(#"{"Records":["#.utf8) + Array(records.utf8) + Array("]}".utf8))
    let samples = TrailAnalyzer().analyze(paths: Self.realSamples)
    let actions = Set((labelled.usage + samples.usage).map(\.permission.action))
    #expect(actions.count > 250)
    #expect(actions.filter { Catalog.shared.action($0) == nil }.sorted() == [])
  }

  @Test("from the trails: every permission allowed, no action beyond them", arguments: [deploy] + realSamples)
  func coverage(_ path: String) throws {
    let analysis = TrailAnalyzer().analyze(paths: [path])
    for mode in GeneratorOptions.ResourceMode.allCases {
      let generator = Generator(options: .init(resources: mode, maxSize: 6144))
      let documents = try generator.documents(generator.statements(from: analysis), name: "policy")
      Self.checkCoverage(analysis, documents)
    }
  }

  @Test("every labelled mapping case is covered by its generated policy")
  func coverageOfLabelledCases() throws {
    let records = MappingCase.all.map(\.record).joined(separator: ",")
    let analysis = TrailAnalyzer(workers: 1).analyze(
      bytes: Array(#"{"Records":["#.utf8) + Array(records.utf8) + Array("]}".utf8))
    let generator = Generator()
    let documents = try generator.documents(generator.statements(from: analysis), name: "policy")
    #expect(documents.count > 1)  // hundreds of permissions: split along services
    Self.checkCoverage(analysis, documents)
  }

  @Test("PassRole carries the services it was passed to, and denied calls are included")
  func passRoleAndDenials() throws {
    let analysis = TrailAnalyzer().analyze(paths: [Self.deploy])
    let statements = Generator().statements(from: analysis)
    let passToStates = try #require(statements.first { $0.label == "IamPassRoleToStates" })
    #expect(passToStates.resources == ["arn:aws:iam::111122223333:role/shop-dev-CheckoutRole"])
    #expect(
      passToStates.conditions == [
        ConditionClause(op: "StringEquals", key: "iam:PassedToService", values: ["states.amazonaws.com"])
      ])
    #expect(statements.contains { $0.actions == ["lambda:CreateEventSourceMapping"] && $0.resources == ["*"] })
  }

  @Test("resource modes: exact ARNs, common prefixes, kinds")
  func resourceModes() throws {
    let analysis = TrailAnalyzer().analyze(paths: [Self.deploy], )
    func tables(_ mode: GeneratorOptions.ResourceMode, anyAccount: Bool = false) -> [String] {
      Generator(options: .init(resources: mode, anyAccount: anyAccount)).statements(from: analysis)
        .first { $0.label == "DynamodbTable" }?.resources ?? []
    }
    #expect(
      tables(.exact) == [
        "arn:aws:dynamodb:us-east-1:111122223333:table/shop-dev-OrdersTable",
        "arn:aws:dynamodb:us-east-1:111122223333:table/shop-dev-UsersTable",
      ])
    #expect(tables(.prefix) == ["arn:aws:dynamodb:us-east-1:111122223333:table/shop-dev-*"])
    #expect(tables(.wildcard) == ["arn:aws:dynamodb:us-east-1:111122223333:table/*"])
    #expect(tables(.prefix, anyAccount: true) == ["arn:aws:dynamodb:us-east-1:*:table/shop-dev-*"])
  }

  @Test("S3 object keys collapse to their common path")
  func objectKeys() {
    let generator = Generator(options: .init(resources: .prefix))
    let keys = ResourceKeys(base: Interner())
    let list = ["arn:aws:s3:::logs/2026/11/01/a.gz", "arn:aws:s3:::logs/2026/11/02/b.gz", "arn:aws:s3:::other/x"]
      .map { keys.key($0) }
    let patterns = generator.resourcePatterns(list, keys)
    #expect(keys.string(patterns[Int(list[0])]) == "arn:aws:s3:::logs/2026/11/*")
    #expect(patterns[Int(list[1])] == patterns[Int(list[0])])
    #expect(patterns[Int(list[2])] == -1)  // alone: exact
  }

  @Test("a name prefix of three characters or more stays; else whole segments; beyond ASCII, characters")
  func commonNames() {
    func common(_ names: [String]) -> String {
      let table = Interner()  // the bytes stay where they are while the table lives
      let ids = names.map { table.intern($0) }
      return String(decoding: Generator.commonName(ids.map { table.bytes($0) }), as: UTF8.self)
    }
    #expect(common(["2026/11/01/a", "2026/11/02/b"]) == "2026/11/")
    #expect(common(["orders-prod-1", "orders-prod-2"]) == "orders-prod-")
    #expect(common(["café/x1", "café/x2"]) == "café/")
    #expect(common(["café-orders-1", "café-orders-2"]) == "café-orders-")
    #expect(common(["a\r\nb", "a\r\nc"]) == "")
  }

  @Test("a text has one key: the base table's when it holds it, equal strings of the base sharing one")
  func oneKeyPerText() {
    let base = Interner()
    for text in ["b", "a", "c", "a"] {
      var text = text
      text.withUTF8 { base.append($0.baseAddress, $0.count) }
    }
    let keys = ResourceKeys(base: base)
    #expect(keys.key(base: 3) == keys.key(base: 1))
    #expect(keys.key("c") == 2)
    #expect(keys.key("d") == 4)
    #expect(keys.key("d") == 4)
    #expect(keys.string(4) == "d")
    #expect(keys.sortedAsStrings([2, 0, 1, 4]) == ["a", "b", "c", "d"])
    #expect(keys.hasWildcard(keys.key("a*")) && !keys.hasWildcard(2))
  }

  @Test(
    "keys compare bytes: composed and decomposed spellings are two resources; bytes that are not UTF-8, as repaired")
  func keysBeyondASCII() {
    let base = Interner()
    let texts: [[UInt8]] = [
      Array("arn:aws:s3:::b/caf\u{E9}".utf8), Array("arn:aws:s3:::b/cafe\u{301}".utf8),
      Array("arn:aws:s3:::b/k".utf8) + [0xFF], Array("arn:aws:s3:::b/k".utf8) + [0xC3],
      Array("arn:aws:s3:::b/k\u{FFFD}".utf8),
    ]
    for text in texts { text.withUnsafeBufferPointer { base.append($0.baseAddress, $0.count) } }
    let keys = ResourceKeys(base: base)
    // IAM compares the bytes it is sent: a policy naming one spelling refuses the other.
    #expect(keys.key(base: 0) != keys.key(base: 1))
    #expect(keys.key("arn:aws:s3:::b/caf\u{E9}") == keys.key(base: 0))
    // Two invalid endings both written as U+FFFD are the one resource a policy can name, the base's own.
    #expect(keys.key(base: 2) == 4 && keys.key(base: 3) == 4 && keys.key(base: 4) == 4)
    #expect(([0xFF] as [UInt8]).withUnsafeBufferPointer { keys.key($0) } == keys.key("\u{FFFD}"))
    #expect(keys.count == 6)
    let statements = Generator().statements(
      for: [
        "arn:aws:s3:::b/caf\u{E9}", "arn:aws:s3:::b/cafe\u{301}", "arn:aws:s3:::b/caf\u{E9}",
      ].map { (Permission(action: "s3:GetObject", resource: $0), "") }, sidPrefix: "")
    #expect(statements.map(\.resources) == [["arn:aws:s3:::b/caf\u{E9}", "arn:aws:s3:::b/cafe\u{301}"]])
    #expect(statements.first?.resources?.map(\.utf8.count) == [20, 21])
    // A pattern covering one spelling (`?` is one character) drops that one alone.
    let covered = Generator().statements(
      for: ["arn:aws:s3:::b/caf\u{E9}", "arn:aws:s3:::b/cafe\u{301}", "arn:aws:s3:::b/caf?"].map {
        (Permission(action: "s3:GetObject", resource: $0), "")
      }, sidPrefix: "")
    #expect(covered.first?.resources == ["arn:aws:s3:::b/caf?", "arn:aws:s3:::b/cafe\u{301}"])
    // --resources prefix: a common name keeps only what every spelling's bytes share, so the pattern matches both.
    let prefixed = Generator(options: .init(resources: .prefix)).statements(
      for: ["arn:aws:s3:::b/caf\u{E9}-1", "arn:aws:s3:::b/cafe\u{301}-2"].map {
        (Permission(action: "s3:GetObject", resource: $0), "")
      }, sidPrefix: "")
    #expect(prefixed.first?.resources == ["arn:aws:s3:::b/caf*"])
    for name in ["arn:aws:s3:::b/caf\u{E9}-1", "arn:aws:s3:::b/cafe\u{301}-2"] {
      #expect(Glob.coversPrepared("arn:aws:s3:::b/caf*", name))
    }
  }

  @Test("a pattern made for some resources and the same text named in the trail are one resource")
  func patternEqualToResource() {
    let generator = Generator(options: .init(resources: .prefix))
    let permissions = [
      ("s3:GetObject", "arn:aws:s3:::logs/2026/11/01/a.gz"), ("s3:GetObject", "arn:aws:s3:::logs/2026/11/02/b.gz"),
      ("s3:PutObject", "arn:aws:s3:::logs/2026/11/*"),
    ]
    let statements = generator.statements(
      for: permissions.map { (Permission(action: $0.0, resource: $0.1), "") }, sidPrefix: "")
    #expect(statements.count == 1)
    #expect(statements.first?.actions == ["s3:GetObject", "s3:PutObject"])
    #expect(statements.first?.resources == ["arn:aws:s3:::logs/2026/11/*"])
  }

  @Test(
    "no document is over the size limit, and the split follows services",
    arguments: [
      (deploy, 600), (deploy, 1000), (deploy, 6144), (invictus, 6144),
    ])
  func sizes(_ path: String, _ limit: Int) throws {
    let analysis = TrailAnalyzer().analyze(paths: [path])
    let generator = Generator(options: .init(maxSize: limit))
    let documents = try generator.documents(generator.statements(from: analysis), name: "policy")
    for document in documents {
      #expect(PolicyWriter.size(document) <= limit)
      let parsed = try PolicyValue.parseJSON(PolicyWriter.json(document), path: document.name)  // valid JSON
      #expect(parsed["Statement"] != nil)
    }
    Self.checkCoverage(analysis, documents)
  }

  @Test("more than ten documents is an error that says so")
  func tooMany() {
    let analysis = TrailAnalyzer().analyze(paths: [Self.invictus])
    let generator = Generator(options: .init(maxSize: 300))
    #expect(throws: GeneratorError.self) { try generator.documents(generator.statements(from: analysis), name: "p") }
  }

  @Test("the same input gives byte-identical output")
  func deterministic() throws {
    let one = TrailAnalyzer(workers: 1).analyze(paths: [Self.invictus])
    let four = TrailAnalyzer(workers: 4).analyze(paths: [Self.invictus])
    let a = try Generator().documents(Generator().statements(from: one), name: "p").map(PolicyWriter.json)
    let b = try Generator().documents(Generator().statements(from: four), name: "p").map(PolicyWriter.json)
    #expect(a == b)
  }

  @Test("Sids are letters and digits only, and unique")
  func sids() {
    let statements = Generator().statements(from: TrailAnalyzer().analyze(paths: [Self.invictus]))
    #expect(Set(statements.map(\.label)).count == statements.count)
    #expect(statements.allSatisfy { $0.label.allSatisfy { $0.isLetter || $0.isNumber } })
  }

  @Test("a document's size is its frame's plus each statement's plus a comma between two, as written")
  func additiveSize() {
    let statements = Generator().statements(from: TrailAnalyzer().analyze(paths: [Self.invictus]))
    #expect(statements.count > 3)
    let frame = PolicyWriter.size(PolicyDocument(name: "", path: "", statements: []))
    #expect(frame == #"{"Version":"2012-10-17","Statement":[]}"#.count)
    for n in [1, 2, statements.count] {
      let list = Array(statements.prefix(n))
      #expect(
        PolicyWriter.size(PolicyDocument(name: "", path: "", statements: list))
          == frame + list.map(PolicyWriter.size).reduce(0, +) + n - 1)
    }
    // A statement's size is worked out from its strings' sizes; it is what writing it counts.
    let odd: [[String]] = [
      [], ["*"], ["arn:aws:s3:::b/a b"], ["a\"q", "b\\s", "c\u{1}", "tab\there", "é\u{2003}x", "\r\n", ""],
      ["arn:aws:s3:::b/1", "arn:aws:s3:::b/2"],
    ]
    for resources in odd {
      for actions in [["s3:GetObject"], ["s3:GetObject", "s3:Put*"], []] {
        for label in ["Named", "#3"] {
          let statement = PolicyStatement(
            label: label, index: 0, effect: .allow, actions: actions, resources: resources,
            conditions: [ConditionClause(op: "StringEquals", key: "aws:RequestedRegion", values: ["eu west"])])
          var notForm = statement
          (notForm.notActions, notForm.actions, notForm.notResources, notForm.resources) = (
            actions, nil, resources, nil
          )
          for s in [statement, notForm] {
            #expect(
              PolicyWriter.size(s) == PolicyWriter.nonWhitespaceCount(PolicyWriter.value(s).indented()),
              "\(resources) \(actions) \(label)")
          }
        }
      }
    }
    // White space inside values is not counted either; non-ASCII takes the exact path.
    #expect(PolicyWriter.nonWhitespaceCount("a b\tc\u{A0}é\u{2003}") == 4)
    #expect(PolicyWriter.nonWhitespaceCount(" {\n  \"a\": 1\r\n}") == 7)
  }

  @Test(
    "a statement of many resources is halved until each half fits, each half measured as written",
    arguments: [700, 1500, 3000])
  func halving(_ limit: Int) throws {
    let resources = (0..<97).map { "arn:aws:s3:::bucket-\($0 % 7)/key-\(String(repeating: "x", count: $0 % 13))-\($0)" }
    let statement = PolicyStatement(
      label: "S3Object", index: 0, effect: .allow, actions: ["s3:GetObject", "s3:PutObject"], resources: resources)
    let generator = Generator(options: .init(maxSize: limit))
    let documents = try generator.documents([statement], name: "p")
    let parts = documents.flatMap(\.statements)
    #expect(parts.flatMap { $0.resources ?? [] } == resources)
    #expect(parts.count > 1)
    for document in documents { #expect(PolicyWriter.size(document) <= limit) }
    // The halves are the tree of halvings: labels say the path, and no half fits whole with its sibling.
    #expect(parts.allSatisfy { $0.label.hasPrefix("S3ObjectPart") })
    for part in parts {
      let alone = PolicyWriter.size(PolicyDocument(name: "", path: "", statements: [part]))
      #expect(alone <= limit)
    }
  }

  @Test(
    "an ARN's service as ARN parses it",
    arguments: [
      ("arn:aws:s3:::b/k", "s3"), ("arn:aws:iam::1:role/a:b", "iam"), ("arn:aws:s3::b", nil), ("s3:::b/k", nil),
      ("arn::lambda:us-east-1:1:function:f", "lambda"),
    ])
  func serviceOfARN(_ arn: String, _ service: String?) {
    #expect(Generator.service(ofARN: arn).map(String.init) == service)
    #expect(Generator.service(ofARN: arn).map(String.init) == ARN(arn)?.service)
  }

  @Test("common prefixes by character: byte by byte for ASCII, Foundation's otherwise")
  func commonPrefixes() {
    #expect(Generator.commonPrefix("logs/2026/a", "logs/2027/b") == "logs/202")
    #expect(Generator.commonPrefix("abc", "abc") == "abc")
    #expect(Generator.commonPrefix("", "abc") == "")
    #expect(Generator.commonPrefix("e", "e\u{301}x") == "")  // é is one character
    #expect(Generator.commonPrefix("a\r\nb", "a\r\nc") == "a\r\n")
    #expect(Generator.commonPrefix("a\rb", "a\r\nc") == "a")
  }
}
