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
  /// The buffers reused from input to input, and the steps of a scan.
  private var state: RecordScan

  public init(limits: ScanLimits = .init()) {
    self.limits = limits
    self.state = RecordScan(limits: limits)
  }

  /// Reads every record of `reader`, calling `onRecord` for each usable one.
  ///
  /// The reader's warning (data after the gzip stream) joins `counts.warnings`.
  ///
  /// - Throws: `InputError` for unreadable, corrupt or malformed input, and
  ///   `.notCloudTrail` for JSON that holds no records. `counts` tells what
  ///   was read before the error.
  public func scan(
    _ reader: GzipReader, counts: inout ScanCounts, onRecord: (borrowing EventView) -> Void
  ) throws(InputError) {
    state.begin(reader.path, counts: counts)
    defer { counts = state.counts }
    try state.run(reader, onRecord)
    if let warning = reader.warning { state.counts.warnings.append(warning) }
  }
}
