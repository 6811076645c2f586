/// One entry of a record's `resources` array.
public struct ResourceRef: Sendable {
  public var arn: Field
  public var type: Field
  public var accountId: Field
}

/// The fields of one CloudTrail record that the analysis reads, as places in
/// the bytes; everything else in the record is skipped unparsed.
///
///     {"eventSource":"s3.amazonaws.com","eventName":"GetObject",
///      "userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/R/s",
///                      "sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/p/R"}}},
///      "requestParameters":{"bucketName":"b","key":"k"}, …}
///
/// gives `eventSource` and `eventName` as strings, `issuerArn` as the role's
/// ARN (with its path), and `requestParameters` as the raw bytes `{"bucketName":…}`.
struct RawRecord {
  var eventSource = Field.absent
  var eventName = Field.absent
  var eventTime = Field.absent
  var timestamp = Field.absent  // "@timestamp" of log pipelines, when eventTime is missing
  var awsRegion = Field.absent
  var errorCode = Field.absent
  var errorMessage = Field.absent
  var eventType = Field.absent
  var eventCategory = Field.absent
  var recipientAccountId = Field.absent
  var sourceIPAddress = Field.absent
  var readOnly: Bool? = nil
  var managementEvent: Bool? = nil
  var requestParameters = Field.absent  // raw JSON value
  var responseElements = Field.absent  // raw JSON value
  var additionalEventData = Field.absent  // raw JSON value

  var identityType = Field.absent
  var identityArn = Field.absent
  var identityAccountId = Field.absent
  var identityUserName = Field.absent
  var identityPrincipalId = Field.absent
  var invokedBy = Field.absent
  var issuerType = Field.absent
  var issuerArn = Field.absent
  var issuerUserName = Field.absent
  var issuerAccountId = Field.absent
  var mfaAuthenticated: Bool? = nil

  var resources: [ResourceRef] = []

  // Wrappers around a record.
  var detail = Field.absent  // EventBridge envelope: raw object
  var cloudTrailEvent = Field.absent  // lookup-events: the record as a JSON string
  var cloudTrailEventEscaped = false

  /// Why the record cannot be used (a field of the wrong type, say); nil when it can.
  var invalidReason: String? = nil
  var invalidOffset = 0
  /// A field read in a form CloudTrail does not write, whose meaning is still
  /// clear (`requestParameters` as a JSON string): the record counts, with a warning.
  var recoveredReason: String? = nil
  var recoveredOffset = 0

  mutating func reset() {
    let keep = resources
    self = RawRecord()
    resources = keep
    resources.removeAll(keepingCapacity: true)
  }
}
