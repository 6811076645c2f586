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
