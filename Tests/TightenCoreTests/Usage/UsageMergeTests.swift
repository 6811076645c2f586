import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("UsageMerge: string tables joined in byte order, rows by merged ids")
struct UsageMergeTests {
  static let invictus = Fixtures.path("trails/invictus-aws-dataset")

  /// A part over `strings` (ids in the order given, not sorted) with rows of (action, resource, count).
  static func part(_ strings: [String], _ rows: [(Int32, Int32, Int)]) -> UsagePart {
    let names = Interner()
    for s in strings { _ = names.intern(s) }
    let (byBytes, rank) = RowOrder.byteOrder(Array(0..<Int32(strings.count)), names: names)
    let sorted = rows.sorted { (rank[Int($0.0)], rank[Int($0.1)]) < (rank[Int($1.0)], rank[Int($1.1)]) }
    return UsagePart(
      names: names, byBytes: byBytes,
      rows: sorted.map {
        Accumulator.Row(action: $0.0, resource: $0.1, context: 0, stats: UsageStats(count: $0.2))
      },
      contexts: [CallContext(principal: "arn:aws:iam::1:role/r")], counts: .init())
  }

  static func merged(_ parts: [UsagePart], threads: Int) -> TrailAnalysis {
    UsageMerge.merge(parts, outcomes: [], fileCount: 0, threads: threads)
  }

  @Test(
    "two parts with shared strings, their ids in no order: one table in byte order, shared rows summed",
    arguments: [1, 2, 3, 8])
  func shared(threads: Int) {
    let a = Self.part(
      ["s3:PutObject", "arn:aws:s3:::b/2", "s3:GetObject", "arn:aws:s3:::b/1", "unused"],
      [(0, 1, 1), (2, 3, 2), (2, 1, 4)])
    let b = Self.part(
      ["arn:aws:s3:::b/1", "s3:GetObject", "arn:aws:s3:::a", "s3:DeleteObject"],
      [(1, 0, 8), (3, 2, 16)])
    let m = Self.merged([a, b], threads: threads)
    #expect(
      (0..<Int32(m.strings.count)).map(m.string) == [
        "arn:aws:s3:::a", "arn:aws:s3:::b/1", "arn:aws:s3:::b/2", "s3:DeleteObject", "s3:GetObject", "s3:PutObject",
      ])
    #expect(
      m.rows.map { "\(m.string($0.action)) \(m.string($0.resource)) \($0.stats.count)" } == [
        "s3:DeleteObject arn:aws:s3:::a 16",
        "s3:GetObject arn:aws:s3:::b/1 10",
        "s3:GetObject arn:aws:s3:::b/2 4",
        "s3:PutObject arn:aws:s3:::b/2 1",
      ])
  }

  @Test(
    "many small parts beside a large one (a nightly run's new files) are joined first: the same tables, rows and contexts",
    arguments: [1, 2])
  func smallPartsJoined(threads: Int) {
    // Parts of (action, resource, principal of the context, count); contexts numbered in each part as met.
    func part(_ rows: [(String, String, String, Int)]) -> UsagePart {
      let names = Interner()
      var contexts: [CallContext] = []
      var contextIDs: [String: Int32] = [:]
      let ids = rows.map { row -> (Int32, Int32, Int32, Int) in
        let context = contextIDs[row.2] ?? Int32(contexts.count)
        if contextIDs[row.2] == nil {
          contextIDs[row.2] = context
          contexts.append(CallContext(principal: row.2))
        }
        return (names.intern(row.0), names.intern(row.1), context, row.3)
      }
      let (byBytes, rank) = RowOrder.byteOrder(Array(0..<Int32(names.count)), names: names)
      let contextRank = RowOrder.contextRanks(contexts)
      let sorted = ids.sorted {
        (rank[Int($0.0)], rank[Int($0.1)], contextRank[Int($0.2)]) < (
          rank[Int($1.0)], rank[Int($1.1)], contextRank[Int($1.2)]
        )
      }
      return UsagePart(
        names: names, byBytes: byBytes,
        rows: sorted.map {
          Accumulator.Row(action: $0.0, resource: $0.1, context: $0.2, stats: UsageStats(count: $0.3))
        },
        contexts: contexts, counts: .init())
    }
    let large = part(
      (0..<40).map {
        ("s3:GetObject", "arn:aws:s3:::b/\($0 % 20)", $0 < 20 ? "arn:aws:iam::1:role/z" : "arn:aws:iam::1:role/m", 1)
      })
    let smalls = [
      [
        ("s3:GetObject", "arn:aws:s3:::b/3", "arn:aws:iam::1:role/a", 2),
        ("s3:PutObject", "arn:aws:s3:::c", "arn:aws:iam::1:role/z", 4),
      ],
      [("s3:GetObject", "arn:aws:s3:::b/3", "arn:aws:iam::1:role/z", 8)],
      [
        ("s3:GetObject", "arn:aws:s3:::b/30", "arn:aws:iam::1:role/q", 16),
        ("s3:GetObject", "arn:aws:s3:::b/3", "arn:aws:iam::1:role/a", 32),
      ],
    ].map(part)
    // The small parts both before and after the large one, as workers and rollups may come.
    for parts in [[large] + smalls, [smalls[0], large, smalls[1], smalls[2]]] {
      let m = Self.merged(parts, threads: threads)
      let firstMet = parts.flatMap(\.contexts).reduce(into: [String]()) { met, context in
        if !met.contains(context.principal) { met.append(context.principal) }
      }
      #expect(m.contexts.map(\.principal) == firstMet)
      // What a plain tally says: counts summed by (action, resource, principal), in RowOrder.
      var counts: [String: Int] = [:]
      for part in parts {
        for row in part.rows {
          let key =
            "\(part.names.string(row.action)) \(part.names.string(row.resource)) \(part.contexts[Int(row.context)].principal)"
          counts[key, default: 0] += row.stats.count
        }
      }
      let got = m.rows.map {
        "\(m.string($0.action)) \(m.string($0.resource)) \(m.contexts[Int($0.context)].principal)"
      }
      #expect(Set(got) == Set(counts.keys) && got.count == counts.count)
      #expect(m.rows.map(\.stats.count) == got.map { counts[$0]! })
      #expect(
        got.prefix(4) == [
          "s3:GetObject arn:aws:s3:::b/0 arn:aws:iam::1:role/m", "s3:GetObject arn:aws:s3:::b/0 arn:aws:iam::1:role/z",
          "s3:GetObject arn:aws:s3:::b/1 arn:aws:iam::1:role/m", "s3:GetObject arn:aws:s3:::b/1 arn:aws:iam::1:role/z",
        ])
      #expect(
        got.filter { $0.contains("b/3 ") } == [
          "s3:GetObject arn:aws:s3:::b/3 arn:aws:iam::1:role/a", "s3:GetObject arn:aws:s3:::b/3 arn:aws:iam::1:role/m",
          "s3:GetObject arn:aws:s3:::b/3 arn:aws:iam::1:role/z",
        ])
      #expect(m.rows.filter { m.string($0.resource) == "arn:aws:s3:::b/3" }.map(\.stats.count) == [34, 1, 9])
      #expect((0..<Int32(m.strings.count)).map(m.string).last == "s3:PutObject" && m.strings.count == 24)
    }
  }

  @Test("a table that repeats a string: rows on either copy are one row")
  func repeated() {
    let names = Interner()
    for s in ["s3:GetObject", "arn:aws:s3:::b/1", "arn:aws:s3:::b/0"] { _ = names.intern(s) }
    names.append(Array("arn:aws:s3:::b/1".utf8), 16)
    let (byBytes, rank) = RowOrder.byteOrder([0, 1, 2, 3], names: names)
    #expect(byBytes.map(names.string) == ["arn:aws:s3:::b/0", "arn:aws:s3:::b/1", "arn:aws:s3:::b/1", "s3:GetObject"])
    #expect(rank == [2, 1, 0, 1])
    let part = UsagePart(
      names: names, byBytes: byBytes,
      rows: [
        Accumulator.Row(action: 0, resource: 2, context: 0, stats: UsageStats(count: 1)),
        Accumulator.Row(action: 0, resource: 1, context: 0, stats: UsageStats(count: 2)),
        Accumulator.Row(action: 0, resource: 3, context: 0, stats: UsageStats(count: 4)),
      ], contexts: [CallContext()], counts: .init())
    let m = Self.merged([part], threads: 2)
    #expect(m.strings.count == 3)
    #expect(
      m.rows.map { "\(m.string($0.resource)) \($0.stats.count)" } == ["arn:aws:s3:::b/0 1", "arn:aws:s3:::b/1 6"])
  }

  @Test("a table already in byte order is only checked: ranks are the ids")
  func sortedTable() {
    let names = Interner()
    for s in ["a", "ab", "b", "ba"] { _ = names.intern(s) }
    let (byBytes, rank) = RowOrder.byteOrder([0, 1, 2, 3], names: names)
    #expect(byBytes == [0, 1, 2, 3])
    #expect(rank == [0, 1, 2, 3])
  }

  @Test("a real sample's merged table: each string once, strictly rising, every row's ids in it", arguments: [1, 3])
  func realSample(workers: Int) {
    let a = TrailAnalyzer(workers: workers).analyze(paths: [Self.invictus])
    let strings = (0..<Int32(a.strings.count)).map { Array(a.bytes($0)) }
    #expect(strings.count == 508)  // the distinct actions and resources of its 976 permissions
    #expect(zip(strings, strings.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) })
    let used = Set(a.rows.flatMap { [$0.action, $0.resource] })
    #expect(used.count == strings.count)
  }

  @Test("the JSON rows written on several threads in small pieces are the rows written on one")
  func parallelRows() {
    let a = TrailAnalyzer(workers: 2).analyze(paths: [Self.invictus])
    #expect(a.rows.count == 1_054)  // 976 permissions, some in several contexts
    let one = ByteSink.collect { ScanReport.permissionRows(a, to: $0) }
    for (threads, piece) in [(2, 1), (3, 7), (8, 100), (2, 5_000)] {
      #expect(ByteSink.collect { ScanReport.permissionRows(a, to: $0, threads: threads, piece: piece) } == one)
    }
    // A thread's piece at least as large as what the sink hands on goes on as it is, in order.
    var handed: [Int] = []
    var bytes: [UInt8] = []
    let small = ByteSink(flushAt: 4_096) {
      handed.append($0.count)
      bytes.append(contentsOf: $0)
    }
    ScanReport.permissionRows(a, to: small, threads: 3, piece: 50)
    small.flush()
    #expect(String(decoding: bytes, as: UTF8.self) == one)
    #expect(handed.contains { $0 > 8_192 })
    // A permission's rows (one per context) stay in one piece.
    let ranges = a.permissionRanges(piece: 1)
    #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == a.rows.count)
    for (x, y) in zip(ranges, ranges.dropFirst()) {
      #expect(x.upperBound == y.lowerBound)
      let (before, after) = (a.rows[x.upperBound - 1], a.rows[y.lowerBound])
      #expect(before.action != after.action || before.resource != after.resource)
    }
    #expect(ranges.count < a.rows.count)  // the sample has permissions called in several contexts
  }

  @Test("one worker's tallies share their call plans: each call planned once")
  func sharedPlans() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let first = Accumulator(filter: .init(), mapper: PermissionMapper())
    let second = Accumulator(filter: .init(), mapper: PermissionMapper(), sharing: first)
    #expect(first.planCache === second.planCache)
    try Fixtures.write(
      Records.file([Records.record(name: "GetObject"), Records.record(name: "PutObject")]), to: "a.json", in: root)
    try Fixtures.write(
      Records.file([Records.record(name: "GetObject"), Records.record(name: "DeleteObject")]), to: "b.json", in: root)
    let scanner = RecordScanner()
    for (name, tally) in [("a.json", first), ("b.json", second)] {
      var counts = ScanCounts()
      try scanner.scan(GzipReader(path: root.appendingPathComponent(name).path), counts: &counts) { tally.add($0) }
    }
    #expect(first.planCache.count == 3)
    #expect(second.finish().rows.count == 2)
  }

  @Test("a JSON row is the same whether written straight (no escapes) or append by append (escapes)")
  func rowWriters() {
    let names = Interner()
    for text in ["s3:GetObject", "arn:aws:s3:::b/plain", "arn:aws:s3:::b/q\"uote\\d\u{1}"] { _ = names.intern(text) }
    let (byBytes, _) = RowOrder.byteOrder([0, 1, 2], names: names)
    let rows = [
      Accumulator.Row(
        action: 0, resource: 1, context: 0,
        stats: UsageStats(count: 1_234_567, denied: 0, firstSeen: -1, lastSeen: 1_795_219_199)),
      Accumulator.Row(
        action: 0, resource: 2, context: 0, stats: UsageStats(count: 7, denied: 2, firstSeen: nil, lastSeen: 0)),
    ]
    let part = UsagePart(names: names, byBytes: byBytes, rows: rows, contexts: [CallContext()], counts: .init())
    let a = Self.merged([part], threads: 1)
    #expect(
      ByteSink.collect { ScanReport.permissionRows(a, to: $0) } == """
        [
            {"action": "s3:GetObject", "resource": "arn:aws:s3:::b/plain", "resourceBasis": "exact", "count": 1234567, "denied": 0, "firstSeen": "1969-12-31T23:59:59Z", "lastSeen": "2026-11-20T23:59:59Z"},
            {"action": "s3:GetObject", "resource": "arn:aws:s3:::b/q\\"uote\\\\d\\u0001", "resourceBasis": "exact", "count": 7, "denied": 2, "firstSeen": null, "lastSeen": "1970-01-01T00:00:00Z"}
          ]
        """)
  }
}
