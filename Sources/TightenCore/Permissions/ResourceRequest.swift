/// What one call gives for building ARNs: its request parameters, the
/// resources its record names, and where it ran.
struct ResourceRequest {
  var parameters: UnsafeBufferPointer<UInt8>
  var recordArns: [UnsafeBufferPointer<UInt8>]
  var region: String
  var account: String
  var partition: String
  /// The call maps to several actions (the record's resources may belong to either).
  var several = false

  /// The parameters inside a request CloudTrail wraps in one member named for
  /// the call (`{"DeleteFlowLogsRequest": {"FlowLogId": …}}`, as EC2 records
  /// some calls); `parameters` themselves otherwise.
  static func unwrapped(_ parameters: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    guard let base = parameters.baseAddress, parameters.count > 12 else { return parameters }
    var c = JSONCursor(base: base, start: 0, end: parameters.count, depthLimit: 512)
    do throws(ScanFailure) {
      guard try c.peekSignificant() == ASCII.openBrace else { return parameters }
      c.pos += 1
      var first = true
      guard let key = try c.nextMember(&first), !key.hasEscape,
        UnsafeBufferPointer(start: base + key.start, count: key.count).reversed().starts(with: "tseuqeR".utf8),
        try c.peekSignificant() == ASCII.openBrace
      else { return parameters }
      let start = c.pos
      try c.skipValue()
      let end = c.pos
      guard try c.nextMember(&first) == nil else { return parameters }  // only member
      return UnsafeBufferPointer(start: base + start, count: end - start)
    } catch {
      return parameters
    }
  }

  /// The request's text values at `path`; none when the request has no parameters.
  func values(_ path: JSONLookup.Path) -> [String] {
    parameters.count == 0 ? [] : JSONLookup.strings(in: parameters, at: path)
  }

  /// The S3 copy source of `CopyObject` and `UploadPartCopy`.
  static let copySource = JSONLookup.Path("x-amz-copy-source")
  /// Where DynamoDB's PartiQL calls hold their statements.
  static let statementPaths = ["statement", "statements[].statement", "transactStatements[].statement"]
    .map(JSONLookup.Path.init)
}
