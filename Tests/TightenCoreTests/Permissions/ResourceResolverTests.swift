import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("ResourceResolver")
struct ResourceResolverTests {
  let mapper = PermissionMapper()

  static func arn(_ key: Int) -> String { "arn:aws:s3:::b/k\(key)" }

  /// For one GetObject record naming `keys`' objects: the ARNs the fast path
  /// keeps, and the resources of the general path.
  func resolve(_ keys: [Int]) throws -> (fast: [String], general: [String]) {
    let resources = keys.map { #"{"type":"AWS::S3::Object","ARN":"\#(Self.arn($0))"}"# }
    let record = Records.record(extra: #""resources":["# + resources.joined(separator: ",") + "]")
    let plan = mapper.plan(source: "s3.amazonaws.com", event: "GetObject")
    let matcher = try #require(mapper.recordResourceMatcher(plan))
    var fast: [String] = []
    var general: [String] = []
    var counts = ScanCounts()
    try RecordScanner().scan(GzipReader(bytes: Array(record.utf8)), counts: &counts) { e in
      var out: [UnsafeBufferPointer<UInt8>] = []
      #expect(matcher.match(e, into: &out))
      fast = out.map { String(decoding: $0, as: UTF8.self) }
      var mapped: [MappedPermission] = []
      mapper.resolve(plan, e, into: &mapped)
      #expect(Set(mapped.map(\.action)) == ["s3:GetObject"])
      general = mapped.map(\.resource)
    }
    #expect(counts.records == 1)
    return (fast, general)
  }

  /// Keys with repeats: `count` keys drawn from `distinct` values, out of order.
  static func keys(_ count: Int, distinct: Int) -> [Int] { (0..<count).map { ($0 * 7 + 3) % distinct } }

  @Test(
    "duplicates among a record's resources are dropped: first occurrence order on the fast path, sorted on the other",
    arguments: [(3, 2), (16, 5), (17, 5), (17, 17), (40, 13), (1000, 1000)])
  func duplicates(_ count: Int, _ distinct: Int) throws {
    let keys = Self.keys(count, distinct: distinct)
    var firstOccurrences: [Int] = []
    for k in keys where !firstOccurrences.contains(k) { firstOccurrences.append(k) }
    let (fast, general) = try resolve(keys)
    #expect(fast == firstOccurrences.map(Self.arn))
    #expect(general == firstOccurrences.map(Self.arn).sorted())
  }

  @Test("100,000 resources, and 150,000 with 1,000 distinct, in linear time")
  func manyResources() throws {
    let all = try resolve(Array(0..<100_000))
    #expect(all.fast.count == 100_000)
    #expect(all.fast.first == Self.arn(0))
    #expect(all.fast.last == Self.arn(99_999))
    #expect(all.general.count == 100_000)
    #expect(all.general == all.fast.sorted())
    let repeated = try resolve(Self.keys(150_000, distinct: 1000))
    #expect(repeated.fast == Self.keys(1000, distinct: 1000).map(Self.arn))
    #expect(repeated.general == (0..<1000).map(Self.arn).sorted())
  }
}
