/// Limits that keep one hostile file from taking the whole run down.
public struct ScanLimits: Sendable, Equatable {
  /// Deepest nesting accepted inside a record.
  public var depthLimit: Int
  /// Largest single record (or other top-level value); larger ones are skipped
  /// and counted without being held in memory.
  public var maxValueBytes: Int
  /// How much is asked of the reader at a time.
  public var readSize: Int

  public init(depthLimit: Int = 512, maxValueBytes: Int = 16 << 20, readSize: Int = 256 << 10) {
    self.depthLimit = depthLimit
    self.maxValueBytes = maxValueBytes
    self.readSize = readSize
  }
}

/// What a scan of one file found, also when it stopped on an error.
public struct ScanCounts: Sendable, Equatable {
  /// Records handed to the callback.
  public var records = 0
  /// Records (or values in a records array) skipped as unusable.
  public var invalid = 0
  /// The first of those, with its place and reason.
  public var firstInvalid: InputError? = nil
  /// Decompressed bytes read.
  public var bytes = 0

  public init() {}
}

/// Streams CloudTrail records out of one input, whatever the container:
///
/// - `{"Records": [ … ]}` (delivery files), streamed record by record;
/// - a top-level array of records;
/// - `aws cloudtrail lookup-events` output, `{"Events": [{"CloudTrailEvent": "<json>"}]}`;
/// - JSON lines: one record, or one `{"Records": […]}`, per line;
/// - EventBridge envelopes `{"detail-type": …, "detail": <record>}`.
///
/// Memory does not grow with the file: the buffer holds the record being
/// read (up to `ScanLimits.maxValueBytes`) and one read's worth of bytes.
/// A record that straddles two reads is simply parsed again once the rest
/// is in. Malformed JSON stops the file with its byte offset; records handed
/// over before that stay counted.
public final class RecordScanner {
  public let limits: ScanLimits
  private var parser = RecordParser()
  private var lookupBuffer = ByteArena()
  private var buffer: UnsafeMutablePointer<UInt8>
  private var capacity: Int

  public init(limits: ScanLimits = .init()) {
    self.limits = limits
    self.capacity = max(limits.readSize * 2, 64 << 10)
    self.buffer = .allocate(capacity: capacity)
  }

  deinit { buffer.deallocate() }

  /// Where the scan of a file stands between two steps.
  private enum Mode {
    /// Between top-level values.
    case top
    /// Inside a records array; `inObject` when the array is a member of a top-level object.
    case array(needComma: Bool, inObject: Bool)
    /// In a top-level object after its records array, skipping its other members.
    case afterArray(needComma: Bool)
    /// Skipping an oversized value without holding it, then going on as `then`.
    case skipping(depth: Int, inString: Bool, escape: Bool, then: Resume)
  }

  private enum Resume {
    case top
    case arrayElement(inObject: Bool)
    case objectMember
  }

  /// Reads every record of `reader`, calling `onRecord` for each usable one.
  ///
  /// - Throws: `InputError` for unreadable, corrupt or malformed input, and
  ///   `.notCloudTrail` for JSON that holds no records. `counts` tells what
  ///   was read before the error.
  public func scan(
    _ reader: GzipReader, counts: inout ScanCounts, onRecord: (borrowing EventView) -> Void
  ) throws(InputError) {
    let path = reader.path
    var mode = Mode.top
    var start = 0  // first byte still needed
    var end = 0  // bytes in the buffer
    var origin = 0  // offset in the stream of buffer[0]
    var eof = false
    var values = 0
    var bomChecked = false
    var wanted = 0  // bytes that must be in hand before the pending step is tried again

    func fail(_ kind: InputError.Kind, _ offset: Int, _ reason: String) -> InputError {
      InputError(path: path, kind: kind, offset: offset, reason: reason)
    }

    scanning: while true {
      // Make sure there is something to look at.
      if end - start < max(wanted, 1) && !eof {
        try fill(reader, &start, &end, &origin, &eof, wanted: max(wanted, 1))
        counts.bytes = origin + end
        continue
      }
      if !bomChecked {
        if origin == 0 && end - start >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
          start = 3
        } else if origin == 0 && end - start < 3 && !eof {
          wanted = 3
          continue
        }
        bomChecked = true
      }
      wanted = 0

      if case .skipping(var depth, var inString, var escape, let then) = mode {
        var i = start
        var done = false
        while i < end {
          let c = buffer[i]
          i += 1
          if inString {
            if escape {
              escape = false
            } else if c == ASCII.backslash {
              escape = true
            } else if c == ASCII.quote {
              inString = false
              if depth == 0 {
                done = true
                break
              }
            }
          } else if c == ASCII.quote {
            inString = true
          } else if c == ASCII.openBrace || c == ASCII.openBracket {
            depth += 1
          } else if c == ASCII.closeBrace || c == ASCII.closeBracket {
            depth -= 1
            if depth <= 0 {
              done = true
              break
            }
          }
        }
        start = i
        if done {
          switch then {
          case .top: mode = .top
          case .arrayElement(let inObject): mode = .array(needComma: true, inObject: inObject)
          case .objectMember: mode = .afterArray(needComma: true)
          }
        } else {
          if eof { throw fail(.truncated, origin + start, "the JSON ends inside a value (the file is cut short)") }
          mode = .skipping(depth: depth, inString: inString, escape: escape, then: then)
          start = end  // nothing to keep
        }
        continue
      }

      var c = JSONCursor(base: UnsafePointer(buffer), start: start, end: end, depthLimit: limits.depthLimit)
      let stepStart = start
      do throws(ScanFailure) {
        switch mode {
        case .top:
          c.skipWhitespace()
          if c.atEnd {
            start = c.pos
            if eof { break scanning }
            continue
          }
          let b = c.base[c.pos]
          if b == ASCII.openBracket {
            c.pos += 1
            values += 1
            start = c.pos
            mode = .array(needComma: false, inObject: false)
          } else if b == ASCII.openBrace {
            let item = try parser.parseItem(&c)
            values += 1
            if case .container(let arrayStart) = item {
              start = arrayStart + 1
              mode = .array(needComma: false, inObject: true)
            } else {
              try deliver(item, &c, stepStart, origin, path, &counts, onRecord)
              start = c.pos
            }
          } else {
            throw ScanFailure.malformed(
              offset: c.pos, reason: "expected '{' or '[' (CloudTrail JSON), found \(describe(b))")
          }

        case .array(let needComma, let inObject):
          var b = try c.peekSignificant()
          if b == ASCII.closeBracket {
            c.pos += 1
            start = c.pos
            mode = inObject ? .afterArray(needComma: true) : .top
            continue
          }
          if needComma {
            guard b == ASCII.comma else {
              throw ScanFailure.malformed(
                offset: c.pos, reason: "expected ',' or ']' between records, found \(describe(b))")
            }
            c.pos += 1
            start = c.pos
            mode = .array(needComma: false, inObject: inObject)
            b = try c.peekSignificant()
          }
          let elementStart = c.pos
          let item = try parser.parseItem(&c)
          if case .container = item {
            // A records container inside an array: read it whole, in place.
            c.pos = elementStart
            try c.skipValue()
            try deliverNested(elementStart, c.pos, origin, path, &counts, onRecord)
          } else {
            try deliver(item, &c, elementStart, origin, path, &counts, onRecord)
          }
          start = c.pos
          mode = .array(needComma: true, inObject: inObject)

        case .afterArray(let needComma):
          var b = try c.peekSignificant()
          if b == ASCII.closeBrace {
            c.pos += 1
            start = c.pos
            mode = .top
            continue
          }
          if needComma {
            guard b == ASCII.comma else {
              throw ScanFailure.malformed(
                offset: c.pos, reason: "expected ',' or '}' after the records, found \(describe(b))")
            }
            c.pos += 1
            b = try c.peekSignificant()
          }
          guard b == ASCII.quote else {
            throw ScanFailure.malformed(offset: c.pos, reason: "expected a member name, found \(describe(b))")
          }
          _ = try c.string(detectEscapes: false)
          try c.expect(ASCII.colon, "':'")
          try c.skipValue()
          start = c.pos
          mode = .afterArray(needComma: true)

        case .skipping:
          preconditionFailure("handled above")
        }
      } catch .incomplete {
        // `start` and `mode` still say where the last completed step left off.
        if eof {
          if case .top = mode {
            throw fail(.truncated, origin + start, "the JSON ends inside a value (the file is cut short)")
          }
          throw fail(.truncated, origin + end, "the JSON ends inside the records (the file is cut short)")
        }
        let pending = end - start
        if pending >= limits.maxValueBytes {
          // Too large to hold: skip it as it streams past.
          let offset = origin + start
          note(&counts, fail(.malformed, offset, "a value larger than \(limits.maxValueBytes) bytes was skipped"))
          var p = start
          while p < end, isWhitespace(buffer[p]) || buffer[p] == ASCII.comma { p += 1 }
          start = p
          let then: Resume
          switch mode {
          case .array(_, let inObject): then = .arrayElement(inObject: inObject)
          case .afterArray: then = .objectMember
          default: then = .top
          }
          if case .top = mode { values += 1 }
          mode = .skipping(depth: 0, inString: false, escape: false, then: then)
          continue
        }
        // Ask for twice what is pending (so a long value is not re-parsed too often),
        // but never more than one largest value and one read: the buffer stays bounded.
        wanted = min(max(pending * 2, limits.readSize), limits.maxValueBytes + limits.readSize)
      } catch {
        if case .malformed(let offset, let reason) = error { throw fail(.malformed, origin + offset, reason) }
      }
    }
    if values == 0 {
      throw origin + end == 0
        ? fail(.empty, 0, "the file is empty") : fail(.empty, origin + end, "no JSON value in the file")
    }
    if counts.records == 0, let first = counts.firstInvalid {
      throw fail(first.kind, first.offset ?? 0, "no usable CloudTrail record: \(first.reason)")
    }
  }

  @inline(__always) private func isWhitespace(_ c: UInt8) -> Bool {
    c == ASCII.space || c == ASCII.newline || c == ASCII.carriageReturn || c == ASCII.tab
  }

  private func note(_ counts: inout ScanCounts, _ error: InputError) {
    counts.invalid += 1
    if counts.firstInvalid == nil { counts.firstInvalid = error }
  }

  /// Hands a parsed value on: a record to the callback, a wrapper unwrapped
  /// first, anything else counted as invalid.
  private func deliver(
    _ item: Item, _ c: inout JSONCursor, _ itemStart: Int, _ origin: Int, _ path: String,
    _ counts: inout ScanCounts, _ onRecord: (borrowing EventView) -> Void
  ) throws(ScanFailure) {
    switch item {
    case .record:
      emit(c.base, origin, path, &counts, onRecord)
    case .envelope:
      let detail = parser.record.detail
      var inner = JSONCursor(
        base: c.base, start: detail.start, end: detail.start + detail.count, depthLimit: limits.depthLimit)
      let unwrapped = try parser.parseItem(&inner)
      if case .record = unwrapped {
        emit(c.base, origin, path, &counts, onRecord)
      } else {
        note(
          &counts,
          InputError(
            path: path, kind: .notCloudTrail, offset: origin + itemStart,
            reason: "an EventBridge envelope whose detail is not a CloudTrail record"))
      }
    case .lookupEvent:
      try deliverLookup(c.base, itemStart, origin, path, &counts, onRecord)
    case .container:
      break
    case .notRecord(let reason):
      note(&counts, InputError(path: path, kind: .notCloudTrail, offset: origin + itemStart, reason: reason))
    }
  }

  /// A `CloudTrailEvent` string: the record is JSON inside JSON.
  private func deliverLookup(
    _ base: UnsafePointer<UInt8>, _ itemStart: Int, _ origin: Int, _ path: String,
    _ counts: inout ScanCounts, _ onRecord: (borrowing EventView) -> Void
  ) throws(ScanFailure) {
    let field = parser.record.cloudTrailEvent
    let escaped = parser.record.cloudTrailEventEscaped
    lookupBuffer.reset()
    let inner: Field
    if escaped {
      inner = try decodeEscapes(base, start: field.start, count: field.count, into: lookupBuffer)
    } else {
      lookupBuffer.append(base + field.start, count: field.count)
      inner = Field(start: 0, count: field.count, location: .arena)
    }
    let innerBase = UnsafePointer(lookupBuffer.base)
    var c = JSONCursor(
      base: innerBase, start: inner.start, end: inner.start + inner.count, depthLimit: limits.depthLimit)
    do {
      let item = try parser.parseItem(&c)
      guard case .record = item else {
        note(
          &counts,
          InputError(
            path: path, kind: .notCloudTrail, offset: origin + itemStart,
            reason: "a CloudTrailEvent that is not a CloudTrail record"))
        return
      }
      emit(innerBase, origin + itemStart, path, &counts, onRecord)
    } catch {
      note(
        &counts,
        InputError(
          path: path, kind: .malformed, offset: origin + itemStart,
          reason: "a CloudTrailEvent string that is not valid JSON"))
    }
  }

  /// A records container found inside an array, held whole in the buffer.
  private func deliverNested(
    _ from: Int, _ to: Int, _ origin: Int, _ path: String,
    _ counts: inout ScanCounts, _ onRecord: (borrowing EventView) -> Void
  ) throws(ScanFailure) {
    var c = JSONCursor(base: UnsafePointer(buffer), start: from, end: to, depthLimit: limits.depthLimit)
    guard case .container(let arrayStart) = try parser.parseItem(&c) else { return }
    c.pos = arrayStart + 1
    var first = true
    while try c.nextElement(&first) {
      let elementStart = c.pos
      let item = try parser.parseItem(&c)
      if case .container = item {
        c.pos = elementStart
        try c.skipValue()
        note(
          &counts,
          InputError(
            path: path, kind: .notCloudTrail, offset: origin + elementStart,
            reason: "records nested inside records"))
      } else {
        try deliver(item, &c, elementStart, origin, path, &counts, onRecord)
      }
    }
  }

  private func emit(
    _ base: UnsafePointer<UInt8>, _ origin: Int, _ path: String,
    _ counts: inout ScanCounts, _ onRecord: (borrowing EventView) -> Void
  ) {
    if let reason = parser.record.invalidReason {
      note(
        &counts,
        InputError(
          path: path, kind: .malformed, offset: origin + parser.record.invalidOffset,
          reason: "record skipped: \(reason)"))
      return
    }
    counts.records += 1
    let view = EventView(base: base, arena: parser.arena, record: parser.record)
    onRecord(view)
  }

  /// Keeps the bytes from `start` on, moves them to the front and reads until
  /// `wanted` bytes are in hand or the input ends.
  private func fill(
    _ reader: GzipReader, _ start: inout Int, _ end: inout Int, _ origin: inout Int, _ eof: inout Bool,
    wanted: Int
  ) throws(InputError) {
    let kept = end - start
    if start > 0 {
      if kept > 0 { buffer.update(from: buffer + start, count: kept) }
      origin += start
      start = 0
      end = kept
    }
    let need = max(wanted, kept + limits.readSize)
    if need > capacity {
      var newCapacity = capacity
      while newCapacity < need { newCapacity *= 2 }
      let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
      fresh.update(from: buffer, count: end)
      buffer.deallocate()
      buffer = fresh
      capacity = newCapacity
    }
    while end < wanted || end == kept {
      let room = UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end)
      if room.count == 0 { return }
      let n = try reader.read(into: room)
      if n == 0 {
        eof = true
        return
      }
      end += n
    }
  }
}
