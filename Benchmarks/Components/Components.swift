// Component benchmarks (issue 15): the scanner, the mapper and the string
// table on their own, one thread each, with ordo-one/benchmark.
//
//     TIGHTEN_BENCHMARKS=1 swift package --allow-writing-to-package-directory benchmark
//
// (Scripts/bench runs them.) Input: the first 40 files of the benchmark
// corpus (`.bench/corpus-1000000`, or TIGHTEN_BENCH_CORPUS), inflated into
// memory once, so that zlib is not measured.
import Benchmark
import Foundation
import TightenCore

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .peakMemoryResident], maxDuration: .seconds(3), maxIterations: 50)
  let input = Input.load()
  let megabytes = Double(input.bytes) / 1e6

  // Scanner: records found and their fields read, nothing mapped.
  Benchmark("scanner: \(String(format: "%.1f", megabytes)) MB of inflated JSON, \(input.events) records") { benchmark in
    for _ in benchmark.scaledIterations {
      var records = 0
      for file in input.files {
        var counts = ScanCounts()
        try? RecordScanner().scan(GzipReader(bytes: file), counts: &counts) { _ in records += 1 }
      }
      blackHole(records)
    }
  }

  // Scanner and mapper: each record to its permissions, tallied, as one worker does (no merge).
  Benchmark("scanner + mapper: \(input.events) records") { benchmark in
    for _ in benchmark.scaledIterations {
      let tally = Accumulator(filter: TrailFilter(), mapper: PermissionMapper())
      let scanner = RecordScanner()
      for file in input.files {
        var counts = ScanCounts()
        try? scanner.scan(GzipReader(bytes: file), counts: &counts) { tally.add($0) }
      }
      blackHole(tally)
    }
  }

  // The string table: 1,000,000 lookups of strings it holds (the common case), over 100,000 strings.
  let strings = (0..<100_000).map { "arn:aws:s3:::orders-\($0 % 97)/invoices/2026/11/\($0)/document.pdf" }
  Benchmark("interner: 1,000,000 lookups of 100,000 strings held") { benchmark in
    let table = Interner()
    for s in strings { _ = table.intern(s) }
    let bytes = strings.map { Array($0.utf8) }
    for _ in benchmark.scaledIterations {
      var sum: Int32 = 0
      for i in 0..<1_000_000 {
        bytes[i % bytes.count].withUnsafeBufferPointer { sum &+= table.intern($0) }
      }
      blackHole(sum)
    }
  }
}

/// Trail files inflated into memory.
struct Input {
  var files: [[UInt8]] = []
  var bytes = 0
  var events = 0

  static func load() -> Input {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let corpus =
      ProcessInfo.processInfo.environment["TIGHTEN_BENCH_CORPUS"]
      ?? root.appendingPathComponent(".bench/corpus-1000000").path
    let paths = (FileManager.default.enumerator(atPath: corpus)?.compactMap { $0 as? String } ?? [])
      .filter { $0.hasSuffix(".json.gz") && !$0.contains("Digest") }.sorted().prefix(40)
    precondition(!paths.isEmpty, "no trail files under \(corpus): run Scripts/bench once to make the corpus")
    var input = Input()
    for path in paths {
      guard let reader = try? GzipReader(path: corpus + "/" + path) else { continue }
      var out: [UInt8] = []
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
      defer { buffer.deallocate() }
      while let n = try? reader.read(into: buffer), n > 0 { out += buffer.prefix(n) }
      var counts = ScanCounts()
      try? RecordScanner().scan(GzipReader(bytes: out), counts: &counts) { _ in }
      input.files.append(out)
      input.bytes += out.count
      input.events += counts.records
    }
    return input
  }
}
