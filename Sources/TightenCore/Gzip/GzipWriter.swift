import CZlib

/// Compresses bytes into one gzip member, piece by piece: usage summaries,
/// the cache's entries, and the tests' and fuzzers' compressed input.
///
///     let writer = GzipWriter(level: 1)
///     writer.write(piece)          // as many times as needed
///     let gzip = writer.finish()   // the whole member
public final class GzipWriter {
  private let stream: UnsafeMutablePointer<z_stream>
  private var output: [UInt8] = []
  private var finished = false
  private static let chunk = 64 << 10

  /// `level`: zlib's, 1 (fastest) to 9 (smallest).
  public init(level: Int32 = 6) {
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    // 15 + 16: a gzip header and trailer around the deflate data.
    precondition(tighten_deflateInit2(stream, level, 15 + 16) == Z_OK, "zlib cannot start deflating")
  }

  deinit {
    deflateEnd(stream)
    stream.deinitialize(count: 1)
    stream.deallocate()
  }

  public func write(_ bytes: UnsafeBufferPointer<UInt8>) {
    precondition(!finished, "write after finish")
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    run(UnsafeMutablePointer(mutating: base), bytes.count, flush: Z_NO_FLUSH)
  }

  public func write(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { write($0) } }

  /// Ends the member and returns it whole.
  public func finish() -> [UInt8] {
    if !finished {
      run(nil, 0, flush: Z_FINISH)
      finished = true
    }
    return output
  }

  private func run(_ input: UnsafeMutablePointer<UInt8>?, _ count: Int, flush: Int32) {
    stream.pointee.next_in = input
    stream.pointee.avail_in = UInt32(count)
    while true {
      let start = output.count
      output.append(contentsOf: repeatElement(0, count: Self.chunk))
      let status = output.withUnsafeMutableBufferPointer { out in
        stream.pointee.next_out = out.baseAddress! + start
        stream.pointee.avail_out = UInt32(Self.chunk)
        return deflate(stream, flush)
      }
      output.removeLast(Int(stream.pointee.avail_out))
      precondition(status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR, "deflate failed: \(status)")
      if flush == Z_FINISH ? status == Z_STREAM_END : stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 {
        return
      }
    }
  }

  /// One gzip member holding `bytes`.
  public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
    let writer = GzipWriter(level: level)
    writer.write(bytes)
    return writer.finish()
  }
}
