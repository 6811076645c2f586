/// What one JSON value turned out to be.
enum Item {
  /// A CloudTrail record; its fields are in the parser's `record`.
  case record
  /// `{"Records": [` or `{"Events": [`: the array starts at the given index.
  case container(arrayStart: Int)
  /// An EventBridge envelope; the record is the `detail` object.
  case envelope
  /// An entry of `lookup-events` output; the record is the `CloudTrailEvent` string.
  case lookupEvent
  /// Not a record (a number, an object without `eventSource`, …), and why.
  case notRecord(reason: String)
}
