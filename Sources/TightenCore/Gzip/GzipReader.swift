import CZlib

/// Reads one input as a stream of bytes: a file, standard input or bytes in
/// memory, inflating it on the fly when it starts with the gzip magic number.
///
/// Memory is fixed: one input buffer and zlib's window, whatever the size of
/// the file. Concatenated gzip members are read one after the other (they are
/// valid gzip); zero padding after the last member is ignored; a stream that
/// ends inside a member is reported as truncated. Other data after a member
/// (bytes that do not start with the gzip magic number) ends the stream where
/// the member ends, as gzip(1) does: what was read stands, and `warning` says
/// where the ignored data starts.
///
/// Each member's CRC-32 and length are checked here, not by zlib: tighten's
/// CRC (`tighten_crc32`) folds with carry-less multiplication, some three
/// times faster than zlib 1.2's, and CRC-32 was a quarter of zlib's time. A
/// member whose header carries its own CRC (FHCRC, which gzip(1) never
/// writes) is checked by zlib, header and all.
///
///     let reader = try GzipReader(path: "trail.json.gz")
///     while case let n = try reader.read(into: buffer), n > 0 { … }
public final class GzipReader {
  /// Where the compressed (or plain) bytes come from.
  enum Source {
    case file(fd: Int32, owned: Bool)
    case memory([UInt8], position: Int)
  }

  public let path: String
  public let limits: DecompressionLimits
  /// Whether the input is gzip (else it is passed through as it is).
  public private(set) var isCompressed = false
  /// Bytes of input consumed so far (compressed bytes for gzip).
  public private(set) var bytesIn = 0
  /// Bytes produced so far (decompressed bytes for gzip).
  public private(set) var bytesOut = 0
  /// A problem that lost nothing read: data after the last gzip member that
  /// is not another member (`.trailingData`, at its offset in the file).
  public private(set) var warning: InputError? = nil

  private var source: Source
  private let inputCapacity: Int
  /// Most bytes taken from the source at a time (tests sweep it from 1 up).
  private let chunkSize: Int
  private let input: UnsafeMutablePointer<UInt8>
  private var inputStart = 0
  private var inputEnd = 0
  private var inputEOF = false
  private var detected = false
  /// The z_stream lives in allocated storage that never moves: zlib checks its address.
  private let stream: UnsafeMutablePointer<z_stream>
  private var streamReady = false
  private var finished = false
  private var betweenMembers = false
  /// Whether zlib checks every member (as it did before tighten's own
  /// checks): the fuzzer compares the two. Set before the first read.
  package var zlibChecksAll = false
  /// The current member's CRC-32 and length so far, unless zlib checks it.
  private var memberCRC: UInt32 = 0
  private var memberLength = 0
  private var zlibChecks = false
  /// The last bytes zlib consumed (up to eight, the first in the lowest
  /// bits) and how many: a member's trailer when it ends.
  private var lastConsumed = (UInt64(0), 0)
  /// Bytes `peek` read, given again by the next reads.
  private var pushedBack: [UInt8] = []
  /// An error met while filling the rest of a read that gave pushed-back bytes: thrown by the next read.
  private var pendingError: InputError? = nil

  /// Opens a file (`-` is standard input).
  public convenience init(
    path: String, limits: DecompressionLimits = .init(), chunkSize: Int = 64 << 10
  ) throws(InputError) {
    if path == "-" {
      self.init(source: .file(fd: 0, owned: false), path: path, limits: limits, chunkSize: chunkSize)
      return
    }
    let fd: Int32
    do throws(Platform.SystemError) {
      fd = try Platform.openForReading(path)
    } catch {
      throw InputError(path: path, kind: .unreadable, reason: error.description)
    }
    if Platform.isDirectory(fd) {
      Platform.close(fd)
      throw InputError(path: path, kind: .unreadable, reason: "is a directory")
    }
    self.init(source: .file(fd: fd, owned: true), path: path, limits: limits, chunkSize: chunkSize)
  }

  /// Opens a file by its bytes (a name that is not UTF-8 included); `path` is
  /// its shown form.
  public convenience init(
    path: RawPath, limits: DecompressionLimits = .init(), chunkSize: Int = 64 << 10
  ) throws(InputError) {
    let fd: Int32
    do throws(Platform.SystemError) {
      fd = try Platform.openForReading(path)
    } catch {
      throw InputError(path: path.display, kind: .unreadable, reason: error.description)
    }
    if Platform.isDirectory(fd) {
      Platform.close(fd)
      throw InputError(path: path.display, kind: .unreadable, reason: "is a directory")
    }
    self.init(source: .file(fd: fd, owned: true), path: path.display, limits: limits, chunkSize: chunkSize)
  }

  /// Reads bytes held in memory, `chunkSize` at a time (tests sweep it from 1 byte up).
  public convenience init(
    bytes: [UInt8], path: String = "<memory>", limits: DecompressionLimits = .init(),
    chunkSize: Int = 64 << 10
  ) {
    self.init(source: .memory(bytes, position: 0), path: path, limits: limits, chunkSize: chunkSize)
  }

  init(source: Source, path: String, limits: DecompressionLimits, chunkSize: Int) {
    self.source = source
    self.path = path
    self.limits = limits
    self.chunkSize = max(1, chunkSize)
    self.inputCapacity = max(16, chunkSize)
    self.input = .allocate(capacity: inputCapacity)
    self.stream = .allocate(capacity: 1)
    self.stream.initialize(to: z_stream())
  }

  deinit {
    if streamReady { inflateEnd(stream) }
    stream.deinitialize(count: 1)
    stream.deallocate()
    input.deallocate()
    if case .file(let fd, true) = source { Platform.close(fd) }
  }

  /// Fills `buffer` with the next bytes of the stream.
  ///
  /// - Returns: How many bytes were written; 0 only at the end of the stream.
  /// - Throws: `InputError` when the file cannot be read, the gzip data is
  ///   corrupt or truncated, or the output passes the limits.
  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    if !pushedBack.isEmpty && buffer.count > 0 { return givePushedBack(into: buffer) }
    if let error = pendingError {
      pendingError = nil
      throw error
    }
    guard buffer.count > 0, !finished else { return 0 }
    if !detected { try detect() }
    let produced = isCompressed ? try inflate(into: buffer) : try passThrough(into: buffer)
    bytesOut += produced
    if produced == 0 { finished = true }
    return produced
  }

  /// The first bytes of the stream, up to `count` (fewer only when the stream
  /// is shorter). Call before any `read`: the bytes are given again by the
  /// reads that follow, so a reader can look at a file's kind and hand it on.
  public func peek(_ count: Int) throws(InputError) -> [UInt8] {
    precondition(bytesOut == 0 && pushedBack.isEmpty, "peek before reading")
    let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 1)
    defer { bytes.deallocate() }
    var filled = 0
    while filled < count {
      let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[filled...]))
      if n == 0 { break }
      filled += n
    }
    pushedBack = Array(bytes[0..<filled])
    return pushedBack
  }

  /// The pushed-back bytes, and as many more as the buffer holds: a read
  /// after `peek` gives what it would have given without it.
  private func givePushedBack(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    let n = min(buffer.count, pushedBack.count)
    pushedBack.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
    pushedBack.removeFirst(n)
    guard pushedBack.isEmpty, n < buffer.count else { return n }
    do {
      return try n + read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[n...]))
    } catch {
      pendingError = error
      return n
    }
  }

  // MARK: - Plain input

  private func passThrough(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    if inputStart < inputEnd {
      let n = min(buffer.count, inputEnd - inputStart)
      buffer.baseAddress!.copyMemory(from: input + inputStart, byteCount: n)
      inputStart += n
      return n
    }
    if inputEOF { return 0 }
    let n = try rawRead(into: buffer.baseAddress!, count: buffer.count)
    if n == 0 { inputEOF = true }
    bytesIn += n
    return n
  }

  // MARK: - Gzip input

  private func detect() throws(InputError) {
    detected = true
    // Read until two bytes are in hand (or the input ends), whatever the chunk size.
    while inputEnd - inputStart < 2 && !inputEOF { try refillKeeping() }
    isCompressed = inputEnd - inputStart >= 2 && input[inputStart] == 0x1f && input[inputStart + 1] == 0x8b
    if !isCompressed {
      bytesIn += inputEnd - inputStart
      return
    }
    let status = tighten_inflateInit2(stream, 15 + 32)
    guard status == Z_OK else {
      throw gzipError(.corrupt, ZlibError(code: status, message: zlibMessage()), "cannot start inflating")
    }
    streamReady = true
    try startMember()
  }

  /// Chooses who checks the member starting at `inputStart`: zlib when its
  /// header has a CRC of its own (flag FHCRC), else `inflate` below.
  private func startMember() throws(InputError) {
    while inputEnd - inputStart < 4 && !inputEOF { try refillKeeping() }
    zlibChecks = zlibChecksAll || (inputEnd - inputStart >= 4 && input[inputStart + 3] & 0x02 != 0)
    inflateValidate(stream, zlibChecks ? 1 : 0)
    memberCRC = 0
    memberLength = 0
  }

  /// Keeps the last eight of the `count` bytes consumed before `inputStart`.
  @inline(__always)
  private func noteConsumed(_ count: Int) {
    if count >= 8 {
      lastConsumed = (UInt64(littleEndian: UnsafeRawPointer(input + inputStart - 8).loadUnaligned(as: UInt64.self)), 8)
      return
    }
    var (word, held) = lastConsumed
    for i in inputStart - count..<inputStart {
      word = held < 8 ? word | UInt64(input[i]) << (8 * held) : word >> 8 | UInt64(input[i]) << 56
      held = min(8, held + 1)
    }
    lastConsumed = (word, held)
  }

  /// At a member's end: its trailer's CRC-32 and length (modulo 2^32)
  /// against those of the bytes it inflated to.
  private func checkTrailer() throws(InputError) {
    guard !zlibChecks else { return }
    let trailer = lastConsumed.0  // the first byte in the lowest bits
    if lastConsumed.1 < 8 || UInt32(truncatingIfNeeded: trailer) != memberCRC {
      // At zlib's offset: after the CRC, before the length.
      throw gzipError(
        .corrupt, ZlibError(code: Z_DATA_ERROR, message: "incorrect data check"), "corrupt gzip data",
        offset: bytesIn - 4)
    }
    if UInt32(truncatingIfNeeded: trailer >> 32) != UInt32(truncatingIfNeeded: memberLength) {
      throw gzipError(
        .corrupt, ZlibError(code: Z_DATA_ERROR, message: "incorrect length check"), "corrupt gzip data")
    }
  }

  private func inflate(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    let out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
    var stalls = 0
    while true {
      if betweenMembers {
        // After a member: zero padding is ignored, the gzip magic number
        // starts a new member, anything else is trailing data.
        while true {
          while inputStart < inputEnd && input[inputStart] == 0 {
            inputStart += 1
            bytesIn += 1
          }
          if inputStart < inputEnd { break }
          if inputEOF { return 0 }
          try refill()
        }
        while inputEnd - inputStart < 2 && !inputEOF { try refillKeeping() }
        guard inputEnd - inputStart >= 2 && input[inputStart] == 0x1f && input[inputStart + 1] == 0x8b else {
          warning = InputError(
            path: path, kind: .trailingData, offset: bytesIn,
            reason: "trailing data after the gzip stream ignored (not a gzip member)")
          return 0
        }
        inflateReset(stream)
        betweenMembers = false
        try startMember()
      }
      if inputStart == inputEnd && !inputEOF { try refill() }
      let availableIn = inputEnd - inputStart
      stream.pointee.next_in = input + inputStart
      stream.pointee.avail_in = UInt32(availableIn)
      stream.pointee.next_out = out
      stream.pointee.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
      let status = CZlib.inflate(stream, Z_NO_FLUSH)
      let consumed = availableIn - Int(stream.pointee.avail_in)
      let produced = buffer.count - Int(stream.pointee.avail_out)
      inputStart += consumed
      bytesIn += consumed
      if !zlibChecks {
        if produced > 0 {
          memberCRC = tighten_crc32(memberCRC, out, produced)
          memberLength &+= produced
        }
        if consumed > 0 { noteConsumed(consumed) }
      }
      switch status {
      case Z_OK, Z_BUF_ERROR:
        if produced == 0 && consumed == 0 && inputEOF && inputStart == inputEnd {
          throw gzipError(.truncated, nil, "gzip stream ends before its end marker (truncated file)")
        }
      case Z_STREAM_END:
        try checkTrailer()
        betweenMembers = true
      case Z_NEED_DICT:
        throw gzipError(.corrupt, ZlibError(code: status, message: zlibMessage()), "corrupt gzip data")
      default:
        throw gzipError(.corrupt, ZlibError(code: status, message: zlibMessage()), "corrupt gzip data")
      }
      if produced > 0 {
        try checkBounds(adding: produced)
        return produced
      }
      // zlib neither consumed nor produced although it had both input and room.
      if consumed == 0 && status != Z_STREAM_END {
        stalls += 1
        if stalls > 2 { throw gzipError(.corrupt, nil, "gzip stream makes no progress") }
      } else {
        stalls = 0
      }
    }
  }

  private func checkBounds(adding produced: Int) throws(InputError) {
    let total = bytesOut + produced
    if total > limits.maxOutputBytes {
      throw InputError(
        path: path, kind: .tooLarge, offset: bytesIn,
        reason: "decompressed size passes the bound of \(limits.maxOutputBytes) bytes (a decompression bomb?)")
    }
    if total > limits.ratioGraceBytes && total / max(bytesIn, 1) > limits.maxRatio {
      throw InputError(
        path: path, kind: .tooLarge, offset: bytesIn,
        reason: "decompresses more than \(limits.maxRatio) times its compressed size (a decompression bomb?)")
    }
  }

  private func zlibMessage() -> String? {
    stream.pointee.msg.map { String(cString: $0) }
  }

  /// An error of this input at `offset` (by default, the compressed bytes consumed so far).
  private func gzipError(_ kind: InputError.Kind, _ zlib: ZlibError?, _ what: String, offset: Int? = nil)
    -> InputError
  {
    let reason = zlib.map { "\(what): \($0)" } ?? what
    return InputError(path: path, kind: kind, offset: offset ?? bytesIn, reason: reason)
  }

  // MARK: - Raw input

  /// Replaces consumed input with fresh bytes.
  private func refill() throws(InputError) {
    inputStart = 0
    inputEnd = try rawRead(into: input, count: inputCapacity)
    if inputEnd == 0 { inputEOF = true }
  }

  /// Appends fresh bytes after those not yet consumed (used while detecting).
  private func refillKeeping() throws(InputError) {
    if inputStart > 0 {
      let kept = inputEnd - inputStart
      if kept > 0 { (input).update(from: input + inputStart, count: kept) }
      inputStart = 0
      inputEnd = kept
    }
    let room = inputCapacity - inputEnd
    guard room > 0 else { return }
    let n = try rawRead(into: input + inputEnd, count: room)
    if n == 0 { inputEOF = true }
    inputEnd += n
  }

  private func rawRead(into destination: UnsafeMutableRawPointer, count wanted: Int) throws(InputError) -> Int {
    let count = min(wanted, chunkSize)
    switch source {
    case .file(let fd, _):
      do throws(Platform.SystemError) {
        return try Platform.read(fd, into: destination, count: count)
      } catch {
        throw InputError(path: path, kind: .unreadable, offset: bytesIn, reason: error.description)
      }
    case .memory(let bytes, let position):
      let n = min(count, bytes.count - position)
      if n > 0 {
        bytes.withUnsafeBytes { destination.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
      }
      source = .memory(bytes, position: position + n)
      return n
    }
  }
}
