import Testing
import TightenTestSupport

@testable import TightenCore

/// Reads everything a reader gives, `bufferSize` bytes at a time.
func drain(_ reader: GzipReader, bufferSize: Int = 4096) throws(InputError) -> [UInt8] {
  var out: [UInt8] = []
  let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 1)
  defer { buffer.deallocate() }
  while true {
    let n = try reader.read(into: buffer)
    if n == 0 { return out }
    out.append(contentsOf: buffer[0..<n])
  }
}

@Suite("GzipReader")
struct GzipReaderTests {
  static let text = String(repeating: #"{"eventName":"GetObject","n":12345},"#, count: 3000)
  static let chunkSizes = [1, 2, 7, 64, 4096, 65536]

  @Test("inflates a gzip member whatever the input chunk size", arguments: chunkSizes)
  func inflatesAcrossChunkSizes(chunk: Int) throws {
    let gz = TestGzip.compress(Self.text)
    let reader = GzipReader(bytes: gz, chunkSize: chunk)
    #expect(try drain(reader, bufferSize: max(chunk, 16)) == Array(Self.text.utf8))
    #expect(reader.isCompressed)
    #expect(reader.bytesIn == gz.count)
  }

  @Test("reads concatenated members one after the other", arguments: [1, 7, 4096])
  func concatenatedMembers(chunk: Int) throws {
    let gz = TestGzip.compress("first,") + TestGzip.compress("second,") + TestGzip.compress("third")
    #expect(try drain(GzipReader(bytes: gz, chunkSize: chunk)) == Array("first,second,third".utf8))
  }

  @Test("ignores zero padding after the last member")
  func zeroPadding() throws {
    let gz = TestGzip.compress("padded") + [UInt8](repeating: 0, count: 100)
    #expect(try drain(GzipReader(bytes: gz)) == Array("padded".utf8))
  }

  @Test("reports a truncated stream with the path", arguments: [1, 64, 65536])
  func truncated(chunk: Int) throws {
    let gz = TestGzip.compress(Self.text)
    let cut = Array(gz[0..<(gz.count / 2)])
    let error = #expect(throws: InputError.self) {
      try drain(GzipReader(bytes: cut, path: "cut.json.gz", chunkSize: chunk))
    }
    #expect(error?.kind == .truncated)
    #expect(error?.path == "cut.json.gz")
    #expect(error?.reason.contains("truncated") == true)
  }

  @Test("reports a stream cut inside its trailer as truncated")
  func truncatedTrailer() throws {
    let gz = TestGzip.compress("short")
    let error = #expect(throws: InputError.self) { try drain(GzipReader(bytes: Array(gz.dropLast(3)))) }
    #expect(error?.kind == .truncated)
  }

  @Test("reports corrupt data with zlib's own message")
  func corrupt() throws {
    var gz = TestGzip.compress(Self.text)
    for i in 20..<40 { gz[i] ^= 0xFF }
    let error = #expect(throws: InputError.self) { try drain(GzipReader(bytes: gz, path: "bad.gz")) }
    #expect(error?.kind == .corrupt)
    #expect(error?.path == "bad.gz")
    #expect(error?.reason.contains("data error") == true)
    #expect(error?.offset != nil)
  }

  @Test(
    "data after the last member that is not a member is ignored with a warning, as gzip(1) does",
    arguments: [1, 2, 7, 64, 4096])
  func trailingData(chunk: Int) throws {
    let members = TestGzip.compress("first,") + TestGzip.compress("second")
    for tail in [Array("not gzip".utf8), [0, 0, 0x78, 0x9C], [0x1F], [0x1F, 0x8A, 0x08], [0x8B]] as [[UInt8]] {
      let reader = GzipReader(bytes: members + tail, path: "t.json.gz", chunkSize: chunk)
      #expect(try drain(reader, bufferSize: max(chunk, 16)) == Array("first,second".utf8))
      let at = members.count + tail.prefix(while: { $0 == 0 }).count
      #expect(
        reader.warning
          == InputError(
            path: "t.json.gz", kind: .trailingData, offset: at,
            reason: "trailing data after the gzip stream ignored (not a gzip member)"))
      #expect(reader.bytesIn == at)
    }
  }

  @Test("a clean stream, zero padding included, has no warning")
  func noWarning() throws {
    let reader = GzipReader(bytes: TestGzip.compress("ok") + [0, 0])
    #expect(try drain(reader) == Array("ok".utf8))
    #expect(reader.warning == nil)
  }

  @Test("after the gzip magic number a bad member is still an error")
  func badSecondMember() throws {
    let gz = TestGzip.compress("ok") + [0x1F, 0x8B] + Array("not deflate".utf8)
    let error = #expect(throws: InputError.self) { try drain(GzipReader(bytes: gz)) }
    #expect(error?.kind == .corrupt)
    let cut = TestGzip.compress("ok") + [0x1F, 0x8B]
    #expect(throws: InputError.self) { try drain(GzipReader(bytes: cut)) }
  }

  @Test("passes plain input through unchanged", arguments: [1, 3, 4096])
  func plain(chunk: Int) throws {
    let reader = GzipReader(bytes: Array(Self.text.utf8), chunkSize: chunk)
    #expect(try drain(reader, bufferSize: 5) == Array(Self.text.utf8))
    #expect(!reader.isCompressed)
  }

  @Test("an empty input gives no bytes")
  func empty() throws {
    #expect(try drain(GzipReader(bytes: [])) == [])
    #expect(try drain(GzipReader(bytes: [0x1F])) == [0x1F])
  }

  @Test("refuses to inflate past the compression-ratio bound")
  func ratioBound() throws {
    let bomb = TestGzip.compress([UInt8](repeating: 0x20, count: 8 << 20), level: 9)
    let error = #expect(throws: InputError.self) { try drain(GzipReader(bytes: bomb, path: "bomb.gz")) }
    #expect(error?.kind == .tooLarge)
    #expect(error?.reason.contains("1000 times") == true)
  }

  @Test("refuses to inflate past the absolute output bound")
  func outputBound() throws {
    let gz = TestGzip.compress(Self.text)
    let limits = DecompressionLimits(maxOutputBytes: 1000)
    let error = #expect(throws: InputError.self) { try drain(GzipReader(bytes: gz, limits: limits)) }
    #expect(error?.kind == .tooLarge)
  }

  @Test("a missing file is unreadable, with the system's reason")
  func missingFile() throws {
    let error = #expect(throws: InputError.self) { try GzipReader(path: "/nonexistent/trail.json.gz") }
    #expect(error?.kind == .unreadable)
    #expect(error?.reason == "No such file or directory")
  }

  @Test("a folder is not a file")
  func folder() throws {
    let error = #expect(throws: InputError.self) { try GzipReader(path: "/tmp") }
    #expect(error?.kind == .unreadable)
    #expect(error?.reason == "is a directory")
  }
}
