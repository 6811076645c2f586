import CScan

/// Gives each distinct byte string a small number, without making a `String`
/// for every lookup: the hot path hashes the bytes where they lie.
///
///     let id = interner.intern(bytes)   // 0, 1, 2, … in order of first sight
///     interner.string(id)               // the String, made once
///
/// One per worker; not thread-safe.
package final class Interner {
  private var storage: GrowableBytes
  private var storageCount = 0
  /// Per id: where its bytes start in `storage`, and how many.
  private var offsets: UnsafeMutablePointer<Int>
  private var lengths: UnsafeMutablePointer<Int32>
  /// Each string's hash, folded to 32 bits (enough to tell most strings apart, and to place them).
  private var hashes: UnsafeMutablePointer<UInt32>
  private var idCapacity: Int
  package private(set) var count = 0
  /// The bytes of all the strings together.
  var byteCount: Int { storageCount }
  /// Open addressing: 0 empty, else the id + 1 in the bits of `mask`, and
  /// above them the string's hash in those bits (its tag, `tagMask`). Four
  /// bytes a slot: the table is most of a worker's memory for strings. The
  /// table is at most half full, so an id + 1 fits in the bits of `mask`.
  private var slots: UnsafeMutablePointer<UInt32>
  private var mask: Int
  /// The bits of a slot above `mask`'s.
  private var tagMask: UInt32 { ~UInt32(truncatingIfNeeded: mask) }
  /// Ids below this are in `slots`; `append` adds strings without indexing them.
  private var indexed = 0

  /// `expected`: how many distinct strings to make room for at once, and
  /// `bytes`: how many bytes they hold together.
  package init(expected: Int = 0, bytes: Int = 0) {
    storage = GrowableBytes(capacity: max(bytes, 1 << 16))
    idCapacity = max(expected, 512)
    offsets = .allocate(capacity: idCapacity)
    lengths = .allocate(capacity: idCapacity)
    hashes = .allocate(capacity: idCapacity)
    // The slots grow with the strings interned: a table read whole (by
    // `append`) and never looked up has none to clear.
    slots = .allocate(capacity: 1024)
    slots.initialize(repeating: 0, count: 1024)
    mask = 1023
  }

  deinit {
    offsets.deallocate()
    lengths.deallocate()
    hashes.deallocate()
    slots.deallocate()
  }

  @inline(__always)
  static func hash(_ p: UnsafePointer<UInt8>?, _ n: Int) -> UInt64 {
    // FNV-1a, 8 bytes at a time where it can.
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    guard let p else { return h }
    var i = 0
    while i + 8 <= n {
      let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
      h = (h ^ word) &* 0x0000_0100_0000_01B3
      h ^= h >> 29
      i += 8
    }
    while i < n {
      h = (h ^ UInt64(p[i])) &* 0x0000_0100_0000_01B3
      i += 1
    }
    return h ^ (h >> 32)
  }

  package func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
    intern(bytes.baseAddress, bytes.count)
  }

  package func intern(_ string: String) -> Int32 {
    var s = string
    return s.withUTF8 { intern($0) }
  }

  package func intern(_ p: UnsafePointer<UInt8>?, _ n: Int) -> Int32 {
    if indexed < count { index() }
    let h = UInt32(truncatingIfNeeded: Self.hash(p, n))
    let tag = h & tagMask
    var slot = Int(h) & mask
    while true {
      let entry = slots[slot]
      if entry == 0 { break }
      // Another string's slot is told by its tag, without reading its hash: most strings a worker
      // interns are new (object keys, request ids), and each read was a cache miss.
      if entry & tagMask == tag {
        let i = Int(entry & ~tagMask) - 1
        if Int(lengths[i]) == n && (n == 0 || sameBytes(storage.base + offsets[i], p!, n)) {
          return Int32(truncatingIfNeeded: i)
        }
      }
      slot = (slot + 1) & mask
    }
    // New entry.
    storage.reserve(storageCount + n, keeping: storageCount)
    if n > 0 { (storage.base + storageCount).update(from: p!, count: n) }
    if count == idCapacity { growIDs() }
    let id = count
    offsets[id] = storageCount
    lengths[id] = Int32(n)
    hashes[id] = h
    count += 1
    storageCount += n
    slots[slot] = tag | UInt32(id + 1)
    indexed = count
    if count * 2 > mask + 1 { growSlots() }
    return Int32(truncatingIfNeeded: id)
  }

  /// Adds a string as the next id without looking for it first: for a table
  /// read whole (a usage summary's), whose strings are read by id. Repeats
  /// are harmless: `intern` then finds one of them.
  func append(_ p: UnsafePointer<UInt8>?, _ n: Int) {
    storage.reserve(storageCount + n, keeping: storageCount)
    if n > 0 { (storage.base + storageCount).update(from: p!, count: n) }
    if count == idCapacity { growIDs() }
    offsets[count] = storageCount
    lengths[count] = Int32(n)
    count += 1
    storageCount += n
  }

  /// Where `appendPieces` writes one piece's strings: each call of `add`
  /// puts the next string after the one before. Used by one thread.
  struct PieceWriter: @unchecked Sendable {
    fileprivate let storage: UnsafeMutablePointer<UInt8>
    fileprivate let offsets: UnsafeMutablePointer<Int>
    fileprivate let lengths: UnsafeMutablePointer<Int32>
    fileprivate var id: Int
    fileprivate var at: Int

    @inline(__always) mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
      if let p = bytes.baseAddress { (storage + at).update(from: p, count: bytes.count) }
      offsets[id] = at
      lengths[id] = Int32(bytes.count)
      id += 1
      at += bytes.count
    }
  }

  /// `append` for pieces of strings whose counts and sizes are known, each
  /// piece written by `fill` on its own thread (`threads` at most): the ids
  /// follow the pieces' order. `fill` must add exactly the piece's strings.
  func appendPieces(
    _ pieces: [(count: Int, bytes: Int)], threads: Int, _ fill: @Sendable (Int, inout PieceWriter) -> Void
  ) {
    let (n, bytes) = pieces.reduce((0, 0)) { ($0.0 + $1.count, $0.1 + $1.bytes) }
    storage.reserve(storageCount + bytes, keeping: storageCount)
    while count + n > idCapacity { growIDs() }
    var starts: [(id: Int, at: Int)] = [(count, storageCount)]
    for piece in pieces { starts.append((starts.last!.id + piece.count, starts.last!.at + piece.bytes)) }
    let writers = starts.dropLast().map {
      PieceWriter(storage: storage.base, offsets: offsets, lengths: lengths, id: $0.id, at: $0.at)
    }
    let ends = Parallel.map(pieces.count, threads: threads) { k in
      var writer = writers[k]
      fill(k, &writer)
      return writer.id
    }
    precondition(ends == starts.dropFirst().map(\.id), "a piece added other than its count of strings")
    count += n
    storageCount += bytes
  }

  /// Indexes the strings `append` added, for `intern`.
  private func index() {
    if count * 2 > mask + 1 { growSlots(toHold: count) }
    while indexed < count {
      let i = indexed
      hashes[i] = UInt32(truncatingIfNeeded: Self.hash(storage.base + offsets[i], Int(lengths[i])))
      indexed += 1
      if indexed * 2 > mask + 1 {
        growSlots()
      } else {
        insert(i)
      }
    }
  }

  private func insert(_ i: Int) {
    var slot = Int(hashes[i]) & mask
    while slots[slot] != 0 { slot = (slot + 1) & mask }
    slots[slot] = hashes[i] & tagMask | UInt32(i + 1)
  }

  /// Makes room for `more` strings of `bytes` bytes together, at once (a
  /// table read whole: no doubling, no copying as it grows).
  func reserve(more: Int, bytes: Int) {
    storage.reserve(storageCount + bytes, keeping: storageCount)
    if count + more > idCapacity { growIDs(to: count + more) }
  }

  private func growIDs(to needed: Int = 0) {
    let capacity = max(idCapacity * 2, needed)
    let (o, l, h) = (
      UnsafeMutablePointer<Int>.allocate(capacity: capacity), UnsafeMutablePointer<Int32>.allocate(capacity: capacity),
      UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
    )
    o.update(from: offsets, count: count)
    l.update(from: lengths, count: count)
    h.update(from: hashes, count: count)
    offsets.deallocate()
    lengths.deallocate()
    hashes.deallocate()
    (offsets, lengths, hashes, idCapacity) = (o, l, h, capacity)
  }

  /// Doubles the slots, or more to hold `ids` strings at half load.
  private func growSlots(toHold ids: Int = 0) {
    var size = (mask + 1) * 2
    while size < ids * 2 { size *= 2 }
    slots.deallocate()
    slots = .allocate(capacity: size)
    slots.initialize(repeating: 0, count: size)
    mask = size - 1
    for i in 0..<indexed { insert(i) }
  }

  /// Byte order of two ids' strings.
  func less(_ a: Int32, _ b: Int32) -> Bool {
    compareBytes(bytes(a), bytes(b)) < 0
  }

  /// For a table whose ids are in byte order (a merge's): the first id whose
  /// string is not before `bytes`, or `count` when every string is. A binary search.
  func firstID(notBefore bytes: some Collection<UInt8>) -> Int {
    let key = Array(bytes)
    return key.withUnsafeBufferPointer { key in
      var (low, high) = (0, count)
      while low < high {
        let mid = (low + high) / 2
        if compareBytes(self.bytes(Int32(mid)), key) < 0 { low = mid + 1 } else { high = mid }
      }
      return low
    }
  }

  /// Whether the ids are in byte order (what `firstID(notBefore:)` needs), each string checked.
  var isInByteOrder: Bool {
    count < 2 || (1..<count).allSatisfy { !less(Int32($0), Int32($0 - 1)) }
  }

  func bytes(_ id: Int32) -> UnsafeBufferPointer<UInt8> {
    precondition(id >= 0 && Int(id) < count, "string id out of range")
    return UnsafeBufferPointer(start: storage.base + offsets[Int(id)], count: Int(lengths[Int(id)]))
  }

  /// Where a finished table's strings lie, to ask for them ahead of their use: a sort or a merge that
  /// walks ids in byte order, far from their order in memory, waits on each string otherwise. Valid while
  /// no string is added; plain pointers, so a loop asking for them retains nothing.
  var prefetcher: Prefetcher { Prefetcher(offsets: offsets, lengths: lengths, storage: storage.base) }

  struct Prefetcher {
    fileprivate let offsets: UnsafeMutablePointer<Int>
    fileprivate let lengths: UnsafeMutablePointer<Int32>
    fileprivate let storage: UnsafeMutablePointer<UInt8>

    /// Asks for where an id's string is.
    @inline(__always)
    func place(_ id: Int32) {
      tighten_prefetch(offsets + Int(id))
      tighten_prefetch(lengths + Int(id))
    }

    /// Asks for an id's bytes from `depth` on (its place asked for some time before).
    @inline(__always)
    func bytes(_ id: Int32, at depth: Int = 0) {
      tighten_prefetch(storage + offsets[Int(id)] + depth)
    }
  }

  /// The string of an id. Reading never changes the table, so a finished
  /// table can be read from several threads.
  func string(_ id: Int32) -> String {
    String(decoding: bytes(id), as: UTF8.self)
  }
}

/// -1, 0 or 1 as `a` sorts before, with, or after `b`, byte by byte.
@inline(__always)
func compareBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
  let n = min(a.count, b.count)
  if n > 0 {
    let c = Platform.compare(a.baseAddress!, b.baseAddress!, count: n)
    if c != 0 { return c < 0 ? -1 : 1 }
  }
  return a.count < b.count ? -1 : a.count > b.count ? 1 : 0
}
