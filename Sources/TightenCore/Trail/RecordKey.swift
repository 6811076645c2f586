/// The member names of a record that the parser acts on.
enum RecordKey: UInt8 {
  case eventSource, eventName, eventTime, timestamp, awsRegion, errorCode, errorMessage, eventType
  case eventCategory, recipientAccountId, sourceIPAddress, readOnly, managementEvent
  case requestParameters, responseElements, additionalEventData, userIdentity, resources
  case detail, cloudTrailEvent, records, events, other

  @inline(__always)
  init(_ p: UnsafePointer<UInt8>, _ n: Int) {
    switch n {
    case 6:
      self = same(p, n, "detail") ? .detail : same(p, n, "Events") ? .events : .other
    case 7:
      self = same(p, n, "Records") ? .records : .other
    case 8:
      self = same(p, n, "readOnly") ? .readOnly : .other
    case 9:
      if same(p, n, "eventName") {
        self = .eventName
      } else if same(p, n, "eventTime") {
        self = .eventTime
      } else if same(p, n, "awsRegion") {
        self = .awsRegion
      } else if same(p, n, "errorCode") {
        self = .errorCode
      } else if same(p, n, "eventType") {
        self = .eventType
      } else if same(p, n, "resources") {
        self = .resources
      } else {
        self = .other
      }
    case 10:
      self = same(p, n, "@timestamp") ? .timestamp : .other
    case 11:
      self = same(p, n, "eventSource") ? .eventSource : .other
    case 12:
      self = same(p, n, "userIdentity") ? .userIdentity : same(p, n, "errorMessage") ? .errorMessage : .other
    case 13:
      self = same(p, n, "eventCategory") ? .eventCategory : .other
    case 15:
      if same(p, n, "managementEvent") {
        self = .managementEvent
      } else if same(p, n, "sourceIPAddress") {
        self = .sourceIPAddress
      } else if same(p, n, "CloudTrailEvent") {
        self = .cloudTrailEvent
      } else {
        self = .other
      }
    case 16:
      self = same(p, n, "responseElements") ? .responseElements : .other
    case 17:
      self = same(p, n, "requestParameters") ? .requestParameters : .other
    case 18:
      self = same(p, n, "recipientAccountId") ? .recipientAccountId : .other
    case 19:
      self = same(p, n, "additionalEventData") ? .additionalEventData : .other
    default:
      self = .other
    }
  }
}
