/// The resources `generate` writes statements from, by key: the strings of
/// the analysis's table, then the texts made while generating (patterns,
/// ARNs with any account or region). A text has one key however it comes,
/// so sets of keys are sets of texts, and no `String` is made for a resource
/// until a statement names it.
///
/// Texts are compared by bytes, as IAM compares them: two spellings of one
/// accented name (composed, decomposed) are two resources, each granted,
/// where `String` equality would write one and refuse calls on the other.
/// Bytes that are not UTF-8 are keyed as `String` repairs them (U+FFFD),
/// which is how a policy writes them.
///
/// Several threads may read it while none makes a key (`key(_:)` for a text
/// the base does not hold).
final class ResourceKeys: @unchecked Sendable {
  let base: Interner
  /// Each base string's key: the first id, in byte order, of the strings equal to it.
  private var canonical: [Int32]
  /// Base ids in byte order, one per distinct string: what `key(_:)` searches.
  private let ordered: [Int32]
  private let made = Interner()

  /// - Parameter base: A table that no longer changes (an analysis's).
  init(base: Interner) {
    self.base = base
    let (sorted, rank) = RowOrder.byteOrder(Array(0..<Int32(base.count)), names: base)
    var ordered: [Int32] = []
    ordered.reserveCapacity(sorted.count)
    for id in sorted where ordered.isEmpty || rank[Int(id)] != rank[Int(ordered.last!)] { ordered.append(id) }
    self.ordered = ordered
    canonical = (0..<base.count).map { ordered[rank[$0]] }
    // Beyond ASCII, `key(_:)` decides (bytes that are not UTF-8 are keyed as repaired).
    for id in 0..<Int32(base.count) where !Platform.isASCII(base.bytes(id)) { canonical[Int(id)] = key(base.bytes(id)) }
  }

  /// How many keys there are so far.
  var count: Int { base.count + made.count }

  /// The key of a string of the base table.
  func key(base id: Int32) -> Int32 { canonical[Int(id)] }

  /// The key of a text: the base's when it holds it, else a made one.
  func key(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
    if !Platform.isASCII(bytes) {
      let repaired = String(decoding: bytes, as: UTF8.self)
      if !repaired.utf8.elementsEqual(bytes) { return key(repaired) }
    }
    var (low, high) = (0, ordered.count)
    while low < high {
      let mid = (low + high) / 2
      let order = compareBytes(base.bytes(ordered[mid]), bytes)
      if order == 0 { return ordered[mid] }
      if order < 0 { low = mid + 1 } else { high = mid }
    }
    return Int32(base.count) + made.intern(bytes)
  }

  func key(_ text: String) -> Int32 {
    var text = text
    return text.withUTF8 { key($0) }
  }

  func bytes(_ key: Int32) -> UnsafeBufferPointer<UInt8> {
    key < base.count ? base.bytes(key) : made.bytes(key - Int32(base.count))
  }

  func string(_ key: Int32) -> String { String(decoding: bytes(key), as: UTF8.self) }

  /// Whether the text holds `*` or `?`.
  func hasWildcard(_ key: Int32) -> Bool {
    let b = bytes(key)
    return Glob.hasByte(UInt8(ascii: "*"), b) || Glob.hasByte(UInt8(ascii: "?"), b)
  }

  /// Keys in the order of their texts as statements list them (`String`'s
  /// order, which is byte order for ASCII; compared as `String`s otherwise).
  func sortedAsStrings(_ keys: [Int32]) -> [String] {
    let ascii = keys.allSatisfy { key in bytes(key).allSatisfy { $0 < 0x80 } }
    guard ascii else { return keys.map(string).sorted() }
    var keys = keys
    let inOrder = zip(keys, keys.dropFirst()).allSatisfy { compareBytes(bytes($0), bytes($1)) < 0 }
    if !inOrder { keys.sort { compareBytes(bytes($0), bytes($1)) < 0 } }
    return keys.map(string)
  }
}
