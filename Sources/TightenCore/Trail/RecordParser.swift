/// Parses one JSON value in memory into a `RawRecord`, reading only the
/// fields the analysis needs and skipping the rest.
struct RecordParser {
  var record = RawRecord()
  let arena = ByteArena()
  let predictor = MemberPredictor()

  /// Parses the value at `cursor.pos`; on return `cursor.pos` is past it,
  /// except for `.container`, where it is left inside the object.
  ///
  /// The members are read in one loop here, not in a helper, and each field
  /// is assigned directly: a key path to the field would be built at run
  /// time on every record.
  mutating func parseItem(_ c: inout JSONCursor) throws(ScanFailure) -> Item {
    record.reset()
    arena.reset()
    let first = try c.peekSignificant()
    guard first == ASCII.openBrace else { return try notObject(&c, first) }
    let objectStart = c.pos
    c.pos += 1
    var firstMember = true
    var place = MemberPredictor.start
    while true {
      let k: RecordKey
      let open = firstMember ? c.pos : c.pos &+ 1
      if firstMember || (c.pos < c.end && c.base[c.pos] == ASCII.comma),
        let foretold = predictor.match(place, c.base, at: open, end: c.end)
      {
        k = foretold.key
        c.pos = open &+ foretold.count
        firstMember = false
        place = foretold.place
      } else {
        guard let key = try c.nextMember(&firstMember) else { break }
        k = key.hasEscape ? try decodedKey(c, key) : RecordKey(c.base + key.start, key.count)
        let keyPlace = k.place(c.base + key.start, key.count)
        if !key.hasEscape && key.start == open &+ 1 && c.pos == key.start &+ key.count &+ 2 {
          predictor.keep(place, c.base, at: open, count: key.count &+ 3, key: k, keyPlace: keyPlace)
        }
        place = keyPlace
      }
      switch k {
      case .eventSource: record.eventSource = try stringValue(&c, "eventSource")
      case .eventName: record.eventName = try stringValue(&c, "eventName")
      case .eventTime: record.eventTime = try stringValue(&c, "eventTime")
      case .timestamp: record.timestamp = try stringValue(&c, "@timestamp")
      case .awsRegion: record.awsRegion = try stringValue(&c, "awsRegion")
      case .errorCode: record.errorCode = try stringValue(&c, "errorCode")
      case .errorMessage: record.errorMessage = try stringValue(&c, "errorMessage")
      case .eventType: record.eventType = try stringValue(&c, "eventType")
      case .eventCategory: record.eventCategory = try stringValue(&c, "eventCategory")
      case .recipientAccountId: record.recipientAccountId = try stringValue(&c, "recipientAccountId")
      case .sourceIPAddress: record.sourceIPAddress = try stringValue(&c, "sourceIPAddress")
      case .readOnly: record.readOnly = try boolean(&c)
      case .managementEvent: record.managementEvent = try boolean(&c)
      case .requestParameters: try requestParameters(&c)
      case .responseElements: record.responseElements = try rawValue(&c, "responseElements")
      case .additionalEventData: record.additionalEventData = try rawValue(&c, "additionalEventData")
      case .userIdentity: try userIdentity(&c)
      case .resources: try resources(&c)
      case .detail: record.detail = try rawValue(&c, "detail")
      case .cloudTrailEvent: try cloudTrailEvent(&c)
      case .records, .events:
        if try c.peekSignificant() == ASCII.openBracket {
          return .container(arrayStart: c.pos)
        }
        try c.skipValue()
      case .other:
        c.tooDeep = false
        let start = try c.skipValue()
        if c.tooDeep { invalid("a value nested deeper than \(c.depthLimit) levels", at: start) }
      }
    }
    return classify(c.base, objectStart: objectStart)
  }

  /// A value that is not an object (`first` is its first byte): skipped, and why it is no record.
  private func notObject(_ c: inout JSONCursor, _ first: UInt8) throws(ScanFailure) -> Item {
    c.tooDeep = false
    try c.skipValue()
    let what = first == ASCII.openBracket ? "an array" : first == ASCII.quote ? "a string" : "a scalar"
    if c.tooDeep { return .notRecord(reason: "\(what) nested deeper than \(c.depthLimit) levels") }
    return .notRecord(reason: "\(what), not a record object")
  }

  /// What an object whose members are all read turned out to be.
  @inline(__always)
  private mutating func classify(_ base: UnsafePointer<UInt8>, objectStart: Int) -> Item {
    if record.eventSource.isPresent || record.eventName.isPresent {
      if record.invalidReason == nil {
        if !record.eventSource.isPresent { invalid("the record has no eventSource", at: objectStart) }
        if !record.eventName.isPresent { invalid("the record has no eventName", at: objectStart) }
        if !Self.validUTF8(base, arena, record.eventSource) {
          invalid("eventSource is not valid UTF-8", at: objectStart)
        }
        if !Self.validUTF8(base, arena, record.eventName) { invalid("eventName is not valid UTF-8", at: objectStart) }
      }
      return .record
    }
    if record.detail.isPresent, base[record.detail.start] == ASCII.openBrace { return .envelope }
    if record.cloudTrailEvent.isPresent { return .lookupEvent }
    if record.invalidReason == nil && record.identityType.isPresent {
      return .notRecord(reason: "a record without eventSource and eventName")
    }
    return .notRecord(reason: "an object without eventSource or eventName (not a CloudTrail record)")
  }

  /// `CloudTrailEvent` of lookup-events output: the record as a JSON string, kept undecoded.
  private mutating func cloudTrailEvent(_ c: inout JSONCursor) throws(ScanFailure) {
    if try c.consumeNull() { return }
    guard try c.peekSignificant() == ASCII.quote else {
      try wrongType(&c, "CloudTrailEvent", "a string")
      return
    }
    let s = try c.string()
    record.cloudTrailEvent = Field(start: s.start, count: s.count, location: .record)
    record.cloudTrailEventEscaped = s.hasEscape
  }

  // MARK: - Members

  private mutating func recovered(_ reason: String, at offset: Int) {
    if record.recoveredReason == nil {
      record.recoveredReason = reason
      record.recoveredOffset = offset
    }
  }

  /// `requestParameters` as CloudTrail writes it (an object), or as some log
  /// pipelines and Athena tables store it: the object's JSON in a string, read as that JSON.
  private mutating func requestParameters(_ c: inout JSONCursor) throws(ScanFailure) {
    guard try c.peekSignificant() == ASCII.quote else {
      record.requestParameters = try rawValue(&c, "requestParameters")
      return
    }
    let start = c.pos
    let text = try stringValue(&c, "requestParameters")
    let bytes = EventView.bytes(text, base: c.base, arena: arena)
    if let first = bytes.first(where: { !ASCII.isWhitespace($0) }), first == ASCII.openBrace {
      record.requestParameters = text
      recovered("requestParameters is a string holding JSON: read as that JSON", at: start)
    } else {
      recovered("requestParameters is a string, not an object: left out", at: start)
    }
  }

  private mutating func invalid(_ reason: String, at offset: Int) {
    if record.invalidReason == nil {
      record.invalidReason = reason
      record.invalidOffset = offset
    }
  }

  private mutating func wrongType(_ c: inout JSONCursor, _ name: String, _ expected: String) throws(ScanFailure) {
    let start = c.pos
    let kind = typeName(c.base[c.pos])
    try c.skipValue()
    invalid("\(name) is \(kind), not \(expected)", at: start)
  }

  private func boolean(_ c: inout JSONCursor) throws(ScanFailure) -> Bool? {
    if let b = try c.boolean() { return b }
    return try lenientBool(&c)
  }

  /// `"true"`/`"false"` as strings (some log pipelines write them so); other values are skipped.
  private func lenientBool(_ c: inout JSONCursor) throws(ScanFailure) -> Bool? {
    if try c.peekSignificant() == ASCII.quote {
      let s = try c.string()
      return same(c.base + s.start, s.count, "true")
    }
    try c.skipValue()
    return nil
  }

  /// A string value, decoded when it holds escapes; absent for `null`.
  private mutating func stringValue(_ c: inout JSONCursor, _ name: String) throws(ScanFailure) -> Field {
    let b = try c.peekSignificant()
    if b == ASCII.quote {
      let s = try c.string()
      if s.hasEscape {
        return try decodeEscapes(c.base, start: s.start, count: s.count, into: arena)
      }
      return Field(start: s.start, count: s.count, location: .record)
    }
    if try c.consumeNull() { return .absent }
    try wrongType(&c, name, "a string")
    return .absent
  }

  /// A value's raw bytes, skipped over; absent for `null`.
  @inline(__always)
  private mutating func rawValue(_ c: inout JSONCursor, _ name: String) throws(ScanFailure) -> Field {
    if try c.consumeNull() { return .absent }
    c.tooDeep = false
    let start = try c.skipValue()
    if c.tooDeep { invalid("\(name) is nested deeper than \(c.depthLimit) levels", at: start) }
    return Field(start: start, count: c.pos - start, location: .record)
  }

  /// Calls `body` with each member name of the object at the cursor.
  private mutating func members(
    _ c: inout JSONCursor, _ name: String,
    _ body: (inout RecordParser, inout JSONCursor, UnsafePointer<UInt8>, Int) throws(ScanFailure) -> Void
  ) throws(ScanFailure) {
    if try c.consumeNull() { return }
    guard try c.peekSignificant() == ASCII.openBrace else {
      try wrongType(&c, name, "an object")
      return
    }
    c.pos += 1
    var firstMember = true
    while let key = try c.nextMember(&firstMember) {
      if key.hasEscape {
        let decoded = try decodeEscapes(c.base, start: key.start, count: key.count, into: arena)
        try body(&self, &c, UnsafePointer(arena.base + decoded.start), decoded.count)
      } else {
        try body(&self, &c, c.base + key.start, key.count)
      }
    }
  }

  private mutating func userIdentity(_ c: inout JSONCursor) throws(ScanFailure) {
    try members(&c, "userIdentity") { p, c, key, n throws(ScanFailure) in
      switch n {
      case 4 where same(key, n, "type"): p.record.identityType = try p.stringValue(&c, "userIdentity.type")
      case 3 where same(key, n, "arn"): p.record.identityArn = try p.stringValue(&c, "userIdentity.arn")
      case 9 where same(key, n, "accountId"):
        p.record.identityAccountId = try p.stringValue(&c, "userIdentity.accountId")
      case 9 where same(key, n, "invokedBy"): p.record.invokedBy = try p.stringValue(&c, "userIdentity.invokedBy")
      case 8 where same(key, n, "userName"):
        p.record.identityUserName = try p.stringValue(&c, "userIdentity.userName")
      case 11 where same(key, n, "principalId"):
        p.record.identityPrincipalId = try p.stringValue(&c, "userIdentity.principalId")
      case 14 where same(key, n, "sessionContext"): try p.sessionContext(&c)
      default: try c.skipValue()
      }
    }
  }

  private mutating func sessionContext(_ c: inout JSONCursor) throws(ScanFailure) {
    try members(&c, "userIdentity.sessionContext") { p, c, key, n throws(ScanFailure) in
      if n == 13 && same(key, n, "sessionIssuer") {
        try p.members(&c, "sessionIssuer") { p, c, key, n throws(ScanFailure) in
          switch n {
          case 4 where same(key, n, "type"): p.record.issuerType = try p.stringValue(&c, "sessionIssuer.type")
          case 3 where same(key, n, "arn"): p.record.issuerArn = try p.stringValue(&c, "sessionIssuer.arn")
          case 8 where same(key, n, "userName"):
            p.record.issuerUserName = try p.stringValue(&c, "sessionIssuer.userName")
          case 9 where same(key, n, "accountId"):
            p.record.issuerAccountId = try p.stringValue(&c, "sessionIssuer.accountId")
          default: try c.skipValue()
          }
        }
      } else if n == 10 && same(key, n, "attributes") {
        try p.members(&c, "sessionContext.attributes") { p, c, key, n throws(ScanFailure) in
          if n == 16 && same(key, n, "mfaAuthenticated") {
            p.record.mfaAuthenticated = try p.boolean(&c)
          } else {
            try c.skipValue()
          }
        }
      } else {
        try c.skipValue()
      }
    }
  }

  private mutating func resources(_ c: inout JSONCursor) throws(ScanFailure) {
    if try c.consumeNull() { return }
    guard try c.peekSignificant() == ASCII.openBracket else {
      try wrongType(&c, "resources", "an array")
      return
    }
    c.pos += 1
    var firstElement = true
    while try c.nextElement(&firstElement) {
      let b = c.base[c.pos]
      if b == ASCII.quote {
        // A bare ARN where CloudTrail writes {"ARN": …}: read as one; other strings left out.
        let start = c.pos
        let text = try stringValue(&c, "resources[]")
        if EventView.bytes(text, base: c.base, arena: arena).starts(with: "arn:".utf8) {
          record.resources.append(ResourceRef(arn: text, type: .absent, accountId: .absent))
          recovered("an entry of resources is a string: read as an ARN", at: start)
        } else {
          recovered("an entry of resources is a string, not an ARN: left out", at: start)
        }
        continue
      }
      guard b == ASCII.openBrace else {
        let start = c.pos
        let kind = typeName(b)
        try c.skipValue()
        recovered("an entry of resources is \(kind), not an object: left out", at: start)
        continue
      }
      var ref = ResourceRef(arn: .absent, type: .absent, accountId: .absent)
      try members(&c, "resources[]") { p, c, key, n throws(ScanFailure) in
        switch n {
        case 3 where same(key, n, "ARN") || same(key, n, "arn"): ref.arn = try p.stringValue(&c, "resources[].ARN")
        case 4 where same(key, n, "type"): ref.type = try p.stringValue(&c, "resources[].type")
        case 9 where same(key, n, "accountId"): ref.accountId = try p.stringValue(&c, "resources[].accountId")
        default: try c.skipValue()
        }
      }
      record.resources.append(ref)
    }
  }

  private mutating func decodedKey(_ c: JSONCursor, _ key: (start: Int, count: Int, hasEscape: Bool))
    throws(ScanFailure) -> RecordKey
  {
    let decoded = try decodeEscapes(c.base, start: key.start, count: key.count, into: arena)
    let k = RecordKey(UnsafePointer(arena.base + decoded.start), decoded.count)
    return k
  }
}

extension RecordParser {
  /// Whether a field's bytes are UTF-8 (ASCII, the usual case, is checked
  /// first). Static, as the parser is a large value: a method called from
  /// `parseItem` that is not inlined got a copy of it on every call.
  static func validUTF8(_ base: UnsafePointer<UInt8>, _ arena: ByteArena, _ field: Field) -> Bool {
    let bytes = EventView.bytes(field, base: base, arena: arena)
    if Platform.isASCII(bytes) { return true }
    return String(validating: bytes, as: UTF8.self) != nil
  }

}
