/// Sorts string ids by their strings' bytes (unsigned, a prefix first), eight
/// bytes at a time as integers: a most-significant-digit sort whose digit is
/// a word. Each round sorts a group by its strings' next word and how many
/// bytes of it they hold, then goes on only inside runs that still tie, so a
/// prefix that a whole group shares (the `arn:aws:s3:::bucket/2026/11/` of
/// a tally's object ARNs) costs one pass per word, not a byte comparison in
/// every one of the sort's comparisons.
enum ByteSort {
  /// `ids` in the byte order of their strings in `names`; equal strings
  /// (a summary's table may repeat one) end up side by side in any order.
  static func sort(_ ids: inout [Int32], names: Interner) {
    guard ids.count > 1 else { return }
    var items = ids.map { Item(word: 0, held: 0, id: $0) }
    items.withUnsafeMutableBufferPointer { sort($0, depth: 0, names) }
    for i in ids.indices { ids[i] = items[i].id }
  }

  /// A string's word at the depth being sorted: the next eight bytes, the
  /// first most significant, zeros past its end; `held` is how many of them
  /// it has (0 to 8), or 9 when it goes on past them.
  private struct Item {
    var word: UInt64
    var held: UInt8
    var id: Int32

    @inline(__always) func precedes(_ other: Item) -> Bool {
      word != other.word ? word < other.word : held < other.held
    }

    @inline(__always) func ties(_ other: Item) -> Bool { word == other.word && held == other.held }
  }

  private static func sort(_ items: UnsafeMutableBufferPointer<Item>, depth start: Int, _ names: Interner) {
    var depth = start
    let fetch = names.prefetcher  // the table is finished: no string is added while it sorts
    while true {
      var alike = true
      for i in items.indices {
        // The strings lie in the order they were met, not this one: the ones some items ahead are asked for.
        if i + 16 < items.count { fetch.place(items[i + 16].id) }
        if i + 8 < items.count { fetch.bytes(items[i + 8].id, at: depth) }
        (items[i].word, items[i].held) = word(names.bytes(items[i].id), at: depth)
        alike = alike && items[i].ties(items[0])
      }
      if alike {
        // Every string holds these eight bytes: equal so far, the next word decides.
        if items[0].held < 9 { return }  // all end here: all equal
        depth += 8
        continue
      }
      var inPlace = items  // the same memory, sorted where it is
      inPlace.sort { $0.precedes($1) }
      // Runs that tie on a word they go on past are sorted by the words after it.
      var runStart = 0
      for i in 1...items.count where i == items.count || !items[i].ties(items[runStart]) {
        if i - runStart > 1 && items[runStart].held == 9 {
          sort(UnsafeMutableBufferPointer(rebasing: items[runStart..<i]), depth: depth + 8, names)
        }
        runStart = i
      }
      return
    }
  }

  @inline(__always)
  private static func word(_ s: UnsafeBufferPointer<UInt8>, at depth: Int) -> (UInt64, UInt8) {
    let left = s.count - depth
    if left > 8 {
      return (UInt64(bigEndian: UnsafeRawPointer(s.baseAddress! + depth).loadUnaligned(as: UInt64.self)), 9)
    }
    var w: UInt64 = 0
    for i in 0..<8 { w = w << 8 | UInt64(i < left ? s[depth + i] : 0) }
    return (w, UInt8(max(left, 0)))
  }
}
