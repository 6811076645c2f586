/// The one order of usage rows, wherever rows are sorted or merged (a
/// worker's tally, the merge of the workers, the IAM-path pass): by action
/// bytes, then resource bytes, then request context.
///
/// Contexts are ordered by their fields as strings, in declaration order
/// (principal, session, account, region, source IP, invoked by, passed to),
/// then by MFA (unknown, false, true). Sorting works on ranks: each context's
/// place in that order, worked out once per table.
enum RowOrder {
  static func contextPrecedes(_ a: CallContext, _ b: CallContext) -> Bool {
    let x = [a.principal, a.sessionArn, a.principalAccount, a.region, a.sourceIP, a.invokedBy, a.passedToService]
    let y = [b.principal, b.sessionArn, b.principalAccount, b.region, b.sourceIP, b.invokedBy, b.passedToService]
    if x != y { return x.lexicographicallyPrecedes(y) }
    return (a.mfa.map { $0 ? 2 : 1 } ?? 0) < (b.mfa.map { $0 ? 2 : 1 } ?? 0)
  }

  /// Each context's rank in the order (`ranks[i]` for `contexts[i]`).
  static func contextRanks(_ contexts: [CallContext]) -> [Int] {
    let order = contexts.indices.sorted { contextPrecedes(contexts[$0], contexts[$1]) }
    var rank = [Int](repeating: 0, count: contexts.count)
    for (r, index) in order.enumerated() { rank[index] = r }
    return rank
  }

  /// Compares two rows given their action and resource bytes and context ranks: -1, 0 or 1.
  @inline(__always)
  static func compare(
    _ x: (action: UnsafeBufferPointer<UInt8>, resource: UnsafeBufferPointer<UInt8>, context: Int),
    _ y: (action: UnsafeBufferPointer<UInt8>, resource: UnsafeBufferPointer<UInt8>, context: Int)
  ) -> Int {
    var c = compareBytes(x.action, y.action)
    if c != 0 { return c }
    c = compareBytes(x.resource, y.resource)
    if c != 0 { return c }
    return x.context < y.context ? -1 : x.context > y.context ? 1 : 0
  }

  /// A worker's usage as sorted rows. Strings are ranked by their bytes once,
  /// so that the sort compares integers (packed into one key when they fit).
  /// The tally is emptied as its rows are made.
  static func sorted(
    _ usage: inout IDTable<Accumulator.UsageKey, UsageStats>, names: Interner, contextRank: [Int]
  ) -> (rows: [Accumulator.Row], byBytes: [Int32]) {
    var used = [Bool](repeating: false, count: names.count)
    for key in usage.keys {
      used[Int(key.action)] = true
      used[Int(key.resource)] = true
    }
    let (byBytes, rank) = byteOrder((0..<Int32(names.count)).filter { used[Int($0)] }, names: names)
    let packed = byBytes.count < 1 << 24 && contextRank.count < 1 << 16
    // The rows in one array and their sort keys in another: a row is written
    // once more only, in its place (the tallies are most of a run's memory).
    var rows: [Accumulator.Row] = []
    rows.reserveCapacity(usage.count)
    for (key, stats) in usage.entries {
      rows.append(Accumulator.Row(action: key.action, resource: key.resource, context: key.context, stats: stats))
    }
    usage.removeAll()
    var order: [(key: UInt64, index: Int32)] = []
    order.reserveCapacity(rows.count)
    for (i, row) in rows.enumerated() {
      let key =
        packed
        ? UInt64(rank[Int(row.action)]) << 40 | UInt64(rank[Int(row.resource)]) << 16
          | UInt64(contextRank[Int(row.context)])
        : 0
      order.append((key, Int32(i)))
    }
    if packed {
      order.withUnsafeMutableBufferPointer { k in k.sort { $0.key < $1.key } }
    } else {
      order.sort { x, y in
        let (a, b) = (rows[Int(x.index)], rows[Int(y.index)])
        if a.action != b.action { return rank[Int(a.action)] < rank[Int(b.action)] }
        if a.resource != b.resource { return rank[Int(a.resource)] < rank[Int(b.resource)] }
        return contextRank[Int(a.context)] < contextRank[Int(b.context)]
      }
    }
    return (order.map { rows[Int($0.index)] }, byBytes)
  }

  /// `ids` in the byte order of their strings, and each id's rank in that
  /// order (equal strings share a rank; ids not given rank 0). Ids already
  /// in strictly rising order, as a summary's table is written, are only
  /// checked.
  static func byteOrder(_ ids: [Int32], names: Interner) -> (sorted: [Int32], rank: [Int]) {
    var rank = [Int](repeating: 0, count: names.count)
    var sorted = ids
    var i = 1
    while i < sorted.count && names.less(sorted[i - 1], sorted[i]) { i += 1 }
    if i >= sorted.count {
      for (r, id) in sorted.enumerated() { rank[Int(id)] = r }
      return (sorted, rank)
    }
    ByteSort.sort(&sorted, names: names)
    var r = 0
    for (i, id) in sorted.enumerated() {
      if i > 0 && names.less(sorted[i - 1], id) { r += 1 }
      rank[Int(id)] = r
    }
    return (sorted, rank)
  }
}
