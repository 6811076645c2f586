import CZlib

/// Writes gzip, for tests that need compressed input of a known shape.
public enum TestGzip {
  /// One gzip member holding `bytes`.
  public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    defer {
      deflateEnd(stream)
      stream.deinitialize(count: 1)
      stream.deallocate()
    }
    precondition(tighten_deflateInit2(stream, level, 15 + 16) == Z_OK)
    var out = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(bytes.count))) + 64)
    let produced = bytes.withUnsafeBufferPointer { input in
      out.withUnsafeMutableBufferPointer { output in
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.pointee.avail_in = UInt32(input.count)
        stream.pointee.next_out = output.baseAddress
        stream.pointee.avail_out = UInt32(output.count)
        precondition(deflate(stream, Z_FINISH) == Z_STREAM_END)
        return output.count - Int(stream.pointee.avail_out)
      }
    }
    return Array(out[0..<produced])
  }

  public static func compress(_ text: String, level: Int32 = 6) -> [UInt8] {
    compress(Array(text.utf8), level: level)
  }
}
