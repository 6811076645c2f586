import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("Binary blocks: the cache's rollups hold what the text lines hold")
struct BinaryBlockTests {
  static let invictus = Fixtures.path("trails/invictus-aws-dataset")

  /// The invictus sample as a summary: unrestored, as a rollup is written.
  static let analysis = TrailAnalyzer(workers: 1).analyze(paths: [invictus], restoringPaths: false)

  static func summary(binary: Bool) -> [UInt8] {
    SummaryWriter.write(analysis, filter: .init(), paths: ["a.json.gz"], level: 0, binary: binary)
  }

  static func read(_ bytes: [UInt8], binary: Bool = true) throws(InputError) -> SummaryReader.Summary {
    try SummaryReader.read(GzipReader(bytes: bytes, path: "rollup"), filter: .init(), binary: binary)
  }

  /// The inflated text of gzip'd bytes.
  static func inflate(_ bytes: [UInt8]) throws -> [UInt8] {
    let reader = GzipReader(bytes: bytes, path: "rollup")
    var out: [UInt8] = []
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
    defer { buffer.deallocate() }
    while case let n = try reader.read(into: buffer), n > 0 { out += buffer.prefix(n) }
    return out
  }

  static func deflate(_ text: [UInt8]) -> [UInt8] {
    let gzip = GzipWriter(level: 0)
    gzip.write(text)
    return gzip.finish()
  }

  /// Where the first byte after the line that starts with `prefix` is.
  static func after(_ prefix: String, in text: [UInt8]) throws -> Int {
    let key = Array(prefix.utf8)
    var start = 0
    while start < text.count {
      let end = text[start...].firstIndex(of: 0x0A) ?? text.count
      if text[start..<end].starts(with: key) { return end + 1 }
      start = end + 1
    }
    throw InputError(path: "rollup", kind: .malformed, reason: "no line \(prefix)")
  }

  @Test("the same strings, contexts and rows as the text lines, from blocks that are a line each")
  func sameAsText() throws {
    let text = try Self.read(Self.summary(binary: false), binary: false)
    let binary = try Self.read(Self.summary(binary: true))
    #expect(binary.part.rows.count == 1_054)  // 976 permissions, some in several contexts
    #expect(binary.part.names.count == 508)
    #expect(binary.part.names.count == text.part.names.count)
    #expect(
      (0..<Int32(508)).allSatisfy { Array(binary.part.names.bytes($0)) == Array(text.part.names.bytes($0)) })
    #expect(binary.part.contexts == text.part.contexts)
    #expect(binary.part.byBytes == text.part.byBytes)
    #expect(
      zip(binary.part.rows, text.part.rows).allSatisfy {
        $0.action == $1.action && $0.resource == $1.resource && $0.context == $1.context && $0.stats == $1.stats
      })
    // One block of strings and one of rows, each told by its line: 508 strings, 1,054 rows of 44 bytes.
    let inflated = try Self.inflate(Self.summary(binary: true))
    let lines = String(decoding: inflated, as: UTF8.self)
    #expect(lines.contains("\n{\"binaryRows\":1054,\"bytes\":46376}\n"))
    #expect(lines.contains("\n{\"binaryStrings\":508,\"bytes\":"))
    #expect(!lines.contains("\n{\"rows\":[") && !lines.contains("\n{\"strings\":["))
  }

  @Test("a summary given by a user may not hold binary blocks")
  func refusedOutsideTheCache() throws {
    #expect {
      _ = try Self.read(Self.summary(binary: true), binary: false)
    } throws: { error in
      (error as? InputError)?.reason == "usage summary line 3: byte 2: unknown line kind 'binaryStrings'"
    }
  }

  @Test("a row out of range, a block cut short or longer than its line says: the rollup is refused")
  func damaged() throws {
    let text = try Self.inflate(Self.summary(binary: true))
    let rows = try Self.after("{\"binaryRows\"", in: text)
    var outOfRange = text
    for i in 0..<4 { outOfRange[rows + i] = 0xFF }  // the first row's action: 4,294,967,295
    #expect(throws: InputError.self) { _ = try Self.read(Self.deflate(outOfRange)) }
    #expect(reason(Self.deflate(outOfRange)) == "usage summary line 8: binary row 1 is out of range")
    // The rows swapped: out of order.
    var swapped = text
    let size = UsageSummary.BinaryBlock.rowSize
    swapped.replaceSubrange(
      rows..<(rows + 2 * size), with: text[(rows + size)..<(rows + 2 * size)] + text[rows..<(rows + size)])
    #expect(reason(Self.deflate(swapped)) == "usage summary line 8: binary row 2: rows out of order")
    // A block whose line says one byte more: its newline is not where it should be.
    let line = Array("{\"binaryRows\":1054,\"bytes\":46376}".utf8)
    let start = rows - line.count - 1
    var longer = text
    longer.replaceSubrange(start..<(rows - 1), with: Array("{\"binaryRows\":1054,\"bytes\":46377}".utf8))
    #expect(reason(Self.deflate(longer)) == "usage summary line 8: a binary block of another size than its line says")
    // Cut inside the block.
    #expect(reason(Self.deflate(Array(text[..<(rows + 100)]))) == "the usage summary ends inside a binary block")
  }

  @Test("the fuzzer's seeds are whole summaries: one of text lines, one rollup of binary blocks")
  func fuzzSeeds() throws {
    for name in ["deploy-2.summary", "destroy-rollup.summary"] {
      let bytes = try #require(Platform.readFile(Fixtures.path("summaries/\(name)"), limit: 1 << 20))
      #expect(UsageSummary.check(bytes) == nil)
      #expect(String(decoding: bytes, as: UTF8.self).contains("{\"binaryRows\":") == name.contains("rollup"))
    }
    // Cut before its end line, a summary is refused.
    let rollup = try #require(Platform.readFile(Fixtures.path("summaries/destroy-rollup.summary"), limit: 1 << 20))
    #expect(UsageSummary.check(Array(rollup.dropLast(30)))?.kind == .truncated)
  }

  private func reason(_ bytes: [UInt8]) -> String? {
    do {
      _ = try Self.read(bytes)
      return nil
    } catch {
      return error.reason
    }
  }
}
