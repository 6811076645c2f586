/// The member names of a record, foretold from the records before it.
///
/// CloudTrail writes a record's members in one order, so the name after
/// `eventTime` is `eventSource` record after record. For each member name
/// met, this keeps the bytes of the one that followed it last time, as it
/// stood in the JSON (`"eventSource":`), with its `RecordKey`. The parser
/// compares the bytes ahead with that in a few words; when they are equal,
/// the name is the one foretold and neither the search for its closing
/// quote nor its classification is needed. When they differ (another
/// record shape, white space, an escape), the name is read the usual way
/// and becomes the new foretelling.
///
/// A name that matches is exactly what `JSONCursor.nextMember` reads: the
/// bytes are the quote, a name without quote or backslash, the quote and
/// the colon, so its compact path finds the same name and ends at the same
/// byte.
final class MemberPredictor {
  /// Where a foretelling is kept: one place per `RecordKey` but `.other`,
  /// `otherPlaces` for the `.other` names, and one for the first member of
  /// a record.
  static let places = RecordKey.other.place + otherPlaces + 1
  /// `.other` names go by a hash of their length and first and last bytes,
  /// chosen so that those CloudTrail writes (`eventVersion`, `userAgent`,
  /// `requestID`, `eventID`, `tlsDetails`, `vpcEndpointId`, `sharedEventID`,
  /// `apiVersion`, `sessionCredentialFromConsole`, `serviceEventDetails`,
  /// `addendum`, `edgeDeviceDetails`) fall in different places.
  static let otherPlaces = 32
  static var start: Int { places - 1 }
  /// Longest foretold name with its quotes and colon: four words.
  static let width = 32

  /// Per place: the bytes (`width` each), their count (0: nothing foretold), the key, and the key's place.
  private let bytes: UnsafeMutablePointer<UInt8>
  private let counts: UnsafeMutablePointer<Int>
  private let keys: UnsafeMutablePointer<RecordKey>
  private let nextPlaces: UnsafeMutablePointer<Int>

  init() {
    bytes = .allocate(capacity: Self.places * Self.width)
    counts = .allocate(capacity: Self.places)
    counts.initialize(repeating: 0, count: Self.places)
    keys = .allocate(capacity: Self.places)
    keys.initialize(repeating: .other, count: Self.places)
    nextPlaces = .allocate(capacity: Self.places)
    nextPlaces.initialize(repeating: Self.start, count: Self.places)
  }

  deinit {
    bytes.deallocate()
    counts.deallocate()
    keys.deallocate()
    nextPlaces.deallocate()
  }

  /// The key foretold at `place` when the `end - at` bytes at `at` begin
  /// with its name (quoted, then a colon), with the number of those bytes
  /// and the key's own place; nil otherwise.
  @inline(__always)
  func match(_ place: Int, _ base: UnsafePointer<UInt8>, at: Int, end: Int) -> (
    key: RecordKey, count: Int, place: Int
  )? {
    let n = counts[place]
    guard n > 0, at &+ n <= end, sameBytes(base + at, bytes + place &* Self.width, n) else { return nil }
    return (keys[place], n, nextPlaces[place])
  }

  /// Keeps, at `place`, the name whose quoted bytes and colon are the `n` at
  /// `at` (a name without escapes, read the compact way), with its key.
  /// Names too short to compare by words, or too long to keep, are not kept.
  @inline(__always)
  func keep(_ place: Int, _ base: UnsafePointer<UInt8>, at: Int, count n: Int, key: RecordKey, keyPlace: Int) {
    guard n >= 8 && n <= Self.width else {
      counts[place] = 0
      return
    }
    (bytes + place &* Self.width).update(from: base + at, count: n)
    counts[place] = n
    keys[place] = key
    nextPlaces[place] = keyPlace
  }
}

extension RecordKey {
  /// This key's place among the `MemberPredictor`'s; `.other` names go by
  /// a hash (`name`: the name's `count` bytes).
  @inline(__always)
  var place: Int { Int(rawValue) }

  @inline(__always)
  func place(_ name: UnsafePointer<UInt8>, _ count: Int) -> Int {
    guard self == .other else { return place }
    let hash = count > 0 ? count &+ 4 &* Int(name[0]) &+ 18 &* Int(name[count &- 1]) : 0
    return RecordKey.other.place &+ hash & (MemberPredictor.otherPlaces - 1)
  }
}
