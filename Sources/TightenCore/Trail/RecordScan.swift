/// The record scanner's working state, in the manner of swift-foundation's
/// `JSONScanner`: the buffer and parser reused from input to input, and where
/// the scan of the current input stands. `run` is a loop over named steps.
///
/// The bytes in hand are `buffer[start..<end]`; `buffer[0]` is byte `origin`
/// of the decompressed input, so buffer offset `i` is byte `origin + i` of
/// the file:
///
///     input   … origin ………… origin+start ………… origin+end …
///     buffer    0             start              end          capacity
///
/// A step that runs out of bytes (`ScanFailure.incomplete`) leaves `start`
/// and `mode` where the last completed step left them; it is tried again
/// once `wanted` bytes are in hand. A record that straddles two reads is
/// thus parsed again from its start.
struct RecordScan: ~Copyable {
  typealias OnRecord = (borrowing EventView) -> Void

  let limits: ScanLimits
  var parser = RecordParser()
  /// The decoded `CloudTrailEvent` string of lookup-events output.
  let lookupBuffer = ByteArena()
  var buffer: GrowableBytes

  // The current input (set by `begin`).
  var path = ""
  var mode = ScanMode.top
  /// First byte still needed.
  var start = 0
  /// Bytes in the buffer.
  var end = 0
  /// Offset in the input of `buffer[0]`.
  var origin = 0
  var eof = false
  /// Top-level values seen.
  var values = 0
  var bomChecked = false
  /// Bytes that must be in hand before the pending step is tried again.
  var wanted = 0
  var counts = ScanCounts()

  init(limits: ScanLimits) {
    self.limits = limits
    self.buffer = GrowableBytes(capacity: max(limits.readSize * 2, 64 << 10))
  }

  /// Starts on a new input, keeping the buffers.
  mutating func begin(_ path: String, counts: ScanCounts) {
    self.path = path
    self.counts = counts
    mode = .top
    (start, end, origin, eof) = (0, 0, 0, false)
    (values, bomChecked, wanted) = (0, false, 0)
  }

  /// Scans the whole input: reads when a step needs bytes, steps until the input is done.
  mutating func run(_ reader: GzipReader, _ onRecord: OnRecord) throws(InputError) {
    while true {
      if end - start < max(wanted, 1) && !eof {
        try fill(reader)
        continue
      }
      if !bomChecked && !skipByteOrderMark() { continue }
      wanted = 0
      if case .skipping(let value) = mode {
        try skipOversized(value)
        continue
      }
      guard try step(onRecord) else { break }
    }
    try finish()
  }

  /// Keeps the bytes from `start` on, moves them to the front and reads until
  /// `wanted` (at least one) bytes are in hand or the input ends.
  mutating func fill(_ reader: GzipReader) throws(InputError) {
    let wanted = max(self.wanted, 1)
    let kept = end - start
    if start > 0 {
      if kept > 0 { buffer.base.update(from: buffer.base + start, count: kept) }
      origin += start
      start = 0
      end = kept
    }
    buffer.reserve(max(wanted, kept + limits.readSize), keeping: end)
    while end < wanted || end == kept {
      let room = UnsafeMutableRawBufferPointer(start: buffer.base + end, count: buffer.capacity - end)
      if room.count == 0 { break }
      let n = try reader.read(into: room)
      if n == 0 {
        eof = true
        break
      }
      end += n
    }
    counts.bytes = origin + end
  }

  /// Steps over a UTF-8 byte order mark at the very start of the input.
  /// Returns false while fewer than three bytes are in hand to tell.
  mutating func skipByteOrderMark() -> Bool {
    let b = buffer.base
    if origin == 0 && end - start >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
      start = 3
    } else if origin == 0 && end - start < 3 && !eof {
      wanted = 3
      return false
    }
    bomChecked = true
    return true
  }

  /// One step in the current mode over the bytes in hand. Returns false once the input is done.
  @inline(__always)
  mutating func step(_ onRecord: OnRecord) throws(InputError) -> Bool {
    var c = JSONCursor(base: UnsafePointer(buffer.base), start: start, end: end, depthLimit: limits.depthLimit)
    do throws(ScanFailure) {
      switch mode {
      case .top: return try stepTop(&c, onRecord)
      case .array: try stepArray(&c, onRecord)
      case .afterArray: try stepAfterArray(&c)
      case .skipping: preconditionFailure("oversized values are skipped by skipOversized")
      }
    } catch .incomplete {
      try needMore()
    } catch {
      if case .malformed(let offset, let reason) = error { throw fail(.malformed, origin + offset, reason) }
    }
    return true
  }

  /// The step ran out of bytes: at the end of the input that is an error;
  /// a value too large to hold is skipped; otherwise more bytes are wanted.
  mutating func needMore() throws(InputError) {
    if eof {
      if case .top = mode {
        throw fail(.truncated, origin + start, "the JSON ends inside a value (the file is cut short)")
      }
      throw fail(.truncated, origin + end, "the JSON ends inside the records (the file is cut short)")
    }
    let pending = end - start
    if pending >= limits.maxValueBytes {
      startSkipping()
      return
    }
    // Ask for twice what is pending (so a long value is not re-parsed too often),
    // but never more than one largest value and one read: the buffer stays bounded.
    wanted = min(max(pending * 2, limits.readSize), limits.maxValueBytes + limits.readSize)
  }

  /// Counts the value at `start` as too large and skips it as it streams past.
  mutating func startSkipping() {
    counts.note(fail(.malformed, origin + start, "a value larger than \(limits.maxValueBytes) bytes was skipped"))
    while start < end, ASCII.isWhitespace(buffer.base[start]) || buffer.base[start] == ASCII.comma { start += 1 }
    let then: ScanMode.Resume
    switch mode {
    case .array(_, let inObject): then = .arrayElement(inObject: inObject)
    case .afterArray: then = .objectMember
    default: then = .top
    }
    if case .top = mode { values += 1 }
    mode = .skipping(OversizedValue(then: then))
  }

  /// Skips on through the bytes in hand; past the value's end the scan goes on.
  mutating func skipOversized(_ value: OversizedValue) throws(InputError) {
    var value = value
    if let used = value.skip(UnsafeBufferPointer(start: buffer.base + start, count: end - start)) {
      start += used
      mode = value.then.mode
      return
    }
    start = end  // nothing to keep
    if eof { throw fail(.truncated, origin + start, "the JSON ends inside a value (the file is cut short)") }
    mode = .skipping(value)
  }

  /// After the last step: an input with no JSON value, or no usable record, is an error.
  func finish() throws(InputError) {
    if values == 0 {
      throw origin + end == 0
        ? fail(.empty, 0, "the file is empty") : fail(.empty, origin + end, "no JSON value in the file")
    }
    if counts.records == 0, let first = counts.firstInvalid {
      throw fail(first.kind, first.offset ?? 0, "no usable CloudTrail record: \(first.reason)")
    }
  }

  /// An error in the current input at a byte offset of the input.
  func fail(_ kind: InputError.Kind, _ offset: Int, _ reason: String) -> InputError {
    InputError(path: path, kind: kind, offset: offset, reason: reason)
  }
}
