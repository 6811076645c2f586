/// Handing parsed values on: records to the callback, wrappers unwrapped
/// first, anything else counted as invalid with its place.
extension RecordScan {
  /// Hands on the value parsed from the buffer at `itemStart`.
  @inline(__always)
  mutating func deliver(_ item: Item, at itemStart: Int, _ onRecord: OnRecord) throws(ScanFailure) {
    let base = UnsafePointer(buffer.base)
    switch item {
    case .record:
      emit(base, streamOffset: origin, onRecord)
    case .envelope:
      let detail = parser.record.detail
      var inner = JSONCursor(
        base: base, start: detail.start, end: detail.start + detail.count, depthLimit: limits.depthLimit)
      if case .record = try parser.parseItem(&inner) {
        emit(base, streamOffset: origin, onRecord)
      } else {
        noteInvalid(.notCloudTrail, at: itemStart, "an EventBridge envelope whose detail is not a CloudTrail record")
      }
    case .lookupEvent:
      try deliverLookup(at: itemStart, onRecord)
    case .container:
      break
    case .notRecord(let reason):
      noteInvalid(.notCloudTrail, at: itemStart, reason)
    }
  }

  /// A `CloudTrailEvent` string: the record is JSON inside JSON, decoded
  /// into the lookup buffer and parsed there.
  mutating func deliverLookup(at itemStart: Int, _ onRecord: OnRecord) throws(ScanFailure) {
    let field = parser.record.cloudTrailEvent
    lookupBuffer.reset()
    let inner: Field
    if parser.record.cloudTrailEventEscaped {
      inner = try decodeEscapes(UnsafePointer(buffer.base), start: field.start, count: field.count, into: lookupBuffer)
    } else {
      lookupBuffer.append(buffer.base + field.start, count: field.count)
      inner = Field(start: 0, count: field.count, location: .arena)
    }
    let innerBase = UnsafePointer(lookupBuffer.base)
    var c = JSONCursor(
      base: innerBase, start: inner.start, end: inner.start + inner.count, depthLimit: limits.depthLimit)
    do {
      guard case .record = try parser.parseItem(&c) else {
        noteInvalid(.notCloudTrail, at: itemStart, "a CloudTrailEvent that is not a CloudTrail record")
        return
      }
      emit(innerBase, streamOffset: origin + itemStart, onRecord)
    } catch {
      noteInvalid(.malformed, at: itemStart, "a CloudTrailEvent string that is not valid JSON")
    }
  }

  /// A records container found inside an array, held whole in the buffer.
  mutating func deliverNested(_ range: Range<Int>, _ onRecord: OnRecord) throws(ScanFailure) {
    var c = JSONCursor(
      base: UnsafePointer(buffer.base), start: range.lowerBound, end: range.upperBound,
      depthLimit: limits.depthLimit)
    guard case .container(let arrayStart) = try parser.parseItem(&c) else { return }
    c.pos = arrayStart + 1
    var first = true
    while try c.nextElement(&first) {
      let elementStart = c.pos
      let item = try parser.parseItem(&c)
      if case .container = item {
        c.pos = elementStart
        try c.skipValue()
        noteInvalid(.notCloudTrail, at: elementStart, "records nested inside records")
      } else {
        try deliver(item, at: elementStart, onRecord)
      }
    }
  }

  /// Hands the parsed record to the callback, or counts it when it cannot be
  /// used. `base[0]` is byte `streamOffset` of the input.
  @inline(__always)
  mutating func emit(_ base: UnsafePointer<UInt8>, streamOffset: Int, _ onRecord: OnRecord) {
    if let reason = parser.record.invalidReason {
      counts.note(fail(.malformed, streamOffset + parser.record.invalidOffset, "record skipped: \(reason)"))
      return
    }
    counts.records += 1
    if let reason = parser.record.recoveredReason {
      counts.noteRecovered(fail(.malformed, streamOffset + parser.record.recoveredOffset, reason))
    }
    let arena = parser.arena
    withUnsafePointer(to: &parser.record) { record in
      onRecord(EventView(base: base, arena: arena, record: record))
    }
  }

  /// Counts an unusable value at buffer offset `offset`.
  mutating func noteInvalid(_ kind: InputError.Kind, at offset: Int, _ reason: String) {
    counts.note(fail(kind, origin + offset, reason))
  }
}
