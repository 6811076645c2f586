import CScan

/// Merges tallies into one `TrailAnalysis`: the workers' of one run, and
/// those read from usage summaries of other runs.
///
/// Each part's rows are sorted in `RowOrder` over its own string table, and
/// each part knows its strings' byte order, so the tables merge in one
/// k-way pass (no hashing: only the strings rows use are copied, in byte
/// order, so the result's ids are in byte order), then the rows in another,
/// comparing ids. Counts are summed, contexts are numbered
/// anew across parts, and per-file outcomes are put back in file order, so
/// the result is the same whatever the number of workers and however the
/// files were split between summaries.
struct UsageMerge {
  private let parts: [UsagePart]
  private var result: TrailAnalysis
  /// For each part, its context ids → the merged context ids.
  private var contextMaps: [[Int32]] = []
  private var contextRank: [Int] = []

  /// `restoringPaths: false` keeps rows as the parts had them, for a summary:
  /// IAM paths are restored once the whole picture is merged.
  static func merge(
    _ parts: [UsagePart], outcomes: [(Int, TrailAnalyzer.FileOutcome)], fileCount: Int, restoringPaths: Bool = true,
    threads: Int = 1
  ) -> TrailAnalysis {
    var merge = UsageMerge(parts: parts)
    merge.sumCounts()
    merge.mergeContexts()
    merge.collectOutcomes(outcomes, fileCount: fileCount)
    let (tables, contextMaps) = merge.joiningSmall()
    let (base, ids) = Self.mergeStrings(tables, into: merge.result.strings, threads: threads)
    merge.result.rows = Self.mergeRows(
      tables, contextMaps: contextMaps, contextRank: merge.contextRank, base: base, ids: ids)
    if restoringPaths { merge.result.restoreIAMPaths(contextRank: merge.contextRank) }
    return merge.result
  }

  private init(parts: [UsagePart]) {
    self.parts = parts
    result = TrailAnalysis(
      strings: Interner(
        expected: min(parts.reduce(0) { $0 + $1.names.count }, 1 << 22),
        bytes: min(parts.reduce(0) { $0 + $1.names.byteCount }, 1 << 30)))
  }

  /// Events, exclusions, principals, unmapped calls and data-event sources.
  private mutating func sumCounts() {
    var principals: [String: Int] = [:]
    var unmapped: [UnmappedCall: Int] = [:]
    for counts in parts.map(\.counts) {
      result.events.total += counts.total
      result.events.counted += counts.counted
      for (reason, n) in counts.excluded { result.events.excluded[reason, default: 0] += n }
      for (arn, n) in counts.principals { principals[arn, default: 0] += n }
      for (call, n) in counts.unmapped { unmapped[call, default: 0] += n }
      result.dataEventSources.formUnion(counts.dataEventSources)
    }
    result.principals = principals.map { TrailAnalysis.PrincipalCount(arn: $0.key, events: $0.value) }
      .sorted { $0.arn < $1.arn }
    result.unmapped = unmapped.map { TrailAnalysis.UnmappedRow(call: $0.key, count: $0.value) }
      .sorted { $0.call < $1.call }
  }

  /// Numbers every worker's contexts in one table; regions and accounts seen come from them.
  private mutating func mergeContexts() {
    var index: [CallContext: Int32] = [:]
    var contexts: [CallContext] = []
    for part in parts {
      contextMaps.append(
        part.contexts.map { context in
          if let known = index[context] { return known }
          let id = Int32(contexts.count)
          index[context] = id
          contexts.append(context)
          if !context.region.isEmpty { result.regions.insert(context.region) }
          if !context.principalAccount.isEmpty { result.accounts.insert(context.principalAccount) }
          return id
        })
    }
    result.contexts = contexts
    contextRank = RowOrder.contextRanks(contexts)
  }

  /// Files read, failed and warned about: failures and warnings by path, each
  /// file's in the order met, whichever run read the file.
  private mutating func collectOutcomes(_ given: [(Int, TrailAnalyzer.FileOutcome)], fileCount: Int) {
    var outcomes = [TrailAnalyzer.FileOutcome?](repeating: nil, count: fileCount)
    for (index, outcome) in given { outcomes[index] = outcome }
    var readBy: [String: String] = [:]  // trail file → the input that counted it
    for outcome in outcomes.compactMap({ $0 }) {
      result.events.invalid += outcome.counts.invalid
      if let error = outcome.error {
        result.files.failed.append(error)
        continue
      }
      for path in outcome.summary?.paths ?? [outcome.path] {
        if let earlier = readBy.updateValue(outcome.path, forKey: path) {
          result.repeatedFiles.append(RepeatedFile(path: path, inputs: [earlier, outcome.path]))
        }
        result.readPaths.append(path)
      }
      if let summary = outcome.summary {
        result.files.add(summary)
        continue
      }
      result.files.read += 1
      if let warning = outcome.counts.firstInvalid {
        let reason =
          outcome.counts.invalid == 1
          ? warning.reason : "\(outcome.counts.invalid) records skipped; the first: \(warning.reason)"
        result.files.warnings.append(
          InputError(path: warning.path, kind: warning.kind, offset: warning.offset, reason: reason))
      }
      result.files.warnings += outcome.counts.warnings
    }
    result.files.failed.sortByPath()
    result.files.warnings.sortByPath()
  }

  /// The parts whose strings and rows the merge joins, with their context
  /// maps: many small parts (a nightly run's new files, each its own tally
  /// for the cache) are first joined into one, so that the large parts (the
  /// older folders' rollups) merge with few others, each string and row
  /// compared in a shallow heap. The joined part's contexts are the merged
  /// ones already. The result is the same: strings and rows come out in
  /// the same order, equal rows summed whichever part they were in.
  private func joiningSmall() -> (tables: [UsagePart], contextMaps: [[Int32]]) {
    let largest = parts.map(\.rows.count).max() ?? 0
    let small = parts.indices.filter { parts[$0].rows.count * 16 <= largest }
    guard small.count >= 2 && small.count < parts.count else { return (parts, contextMaps) }
    let names = Interner(
      expected: small.reduce(0) { $0 + parts[$1].names.count },
      bytes: small.reduce(0) { $0 + parts[$1].names.byteCount })
    let smallParts = small.map { parts[$0] }
    let (base, ids) = Self.mergeStrings(smallParts, into: names, threads: 1)
    let rows = Self.mergeRows(
      smallParts, contextMaps: small.map { contextMaps[$0] }, contextRank: contextRank, base: base, ids: ids)
    let joined = UsagePart(
      names: names, byBytes: Array(0..<Int32(names.count)),
      rows: rows.map {
        Accumulator.Row(action: $0.action, resource: $0.resource, context: $0.context, stats: $0.stats)
      },
      contexts: result.contexts, counts: .init())
    let large = parts.indices.filter { parts[$0].rows.count * 16 > largest }
    return (
      large.map { parts[$0] } + [joined],
      large.map { contextMaps[$0] } + [Array(0..<Int32(result.contexts.count))]
    )
  }

  /// The parts' string tables joined in byte order: each part's `byBytes`
  /// merged k-way, equal strings given one id. The merged ids are then in
  /// byte order too, so rows compare by their ids. Returns, for each part,
  /// where its ids start in the map, and the map from the parts' ids to
  /// the merged ones (-1: a string no row uses).
  ///
  /// The strings are cut into `threads` slices at strings of the largest
  /// part, each slice merged on its own thread; the slices' strings are
  /// then appended in order.
  private static func mergeStrings(_ parts: [UsagePart], into strings: Interner, threads: Int) -> (
    base: [Int], ids: [Int32]
  ) {
    let (names, orders) = (parts.map(\.names), parts.map(\.byBytes))
    let base = names.reduce(into: [0]) { base, table in base.append(base.last! + table.count) }
    let ids = SharedInt32s(count: base[names.count])
    for (w, part) in parts.enumerated() {
      for row in part.rows {
        ids[base[w] + Int(row.action)] = -2
        ids[base[w] + Int(row.resource)] = -2
      }
    }
    // Slices cut at strings of the largest part, at even steps.
    let largest = orders.indices.max { orders[$0].count < orders[$1].count } ?? 0
    let pivots: [Int32] =
      threads < 2 || orders.isEmpty || orders[largest].count < 4 * threads
      ? [] : (1..<threads).map { k in orders[largest][orders[largest].count * k / threads] }
    let ranges = (0...pivots.count).map { k in
      orders.indices.map { w in
        let bound = { (pivot: Int32) in
          lowerBound(orders[w].count) { compareBytes(names[w].bytes(orders[w][$0]), names[largest].bytes(pivot)) < 0 }
        }
        return (k == 0 ? 0 : bound(pivots[k - 1]))..<(k == pivots.count ? orders[w].count : bound(pivots[k]))
      }
    }
    // Each slice: the (part, id) of each distinct string in order, ids mapped to the slice's own count, and
    // the bytes of its strings.
    let slices = Parallel.map(ranges.count, threads: threads) { k -> (strings: [(part: Int, id: Int32)], bytes: Int) in
      let names = parts.map(\.names)  // read only: the tables are finished
      let fetch = names.map(\.prefetcher)
      var cursors = ranges[k].map(\.lowerBound)
      let ends = ranges[k].map(\.upperBound)
      let key = { (w: Int) in StringKey(bytes: names[w].bytes(orders[w][cursors[w]]), part: w) }
      var heap = Heap(orders.indices.filter { cursors[$0] < ends[$0] }.map(key))
      var distinct: [(part: Int, id: Int32)] = []
      var bytes = 0
      var last: UnsafeBufferPointer<UInt8>? = nil
      while let top = heap.top {
        let w = top.part
        let id = orders[w][cursors[w]]
        cursors[w] += 1
        // In byte order a part's ids are scattered over its table: the strings some steps ahead are asked
        // for now, where each step waited on memory (the 1M corpus: this loop 0.072 -> 0.044 s).
        let ahead = cursors[w] + 16
        if ahead < ends[w] {
          fetch[w].place(orders[w][ahead])
          fetch[w].bytes(orders[w][ahead - 8])
          ids.prefetch(base[w] + Int(orders[w][ahead - 8]))
        }
        if cursors[w] < ends[w] { heap.replaceTop(key(w)) } else { heap.removeTop() }
        guard ids[base[w] + Int(id)] == -2 else { continue }
        if last == nil || compareBytes(last!, top.bytes) != 0 {
          distinct.append((w, id))
          bytes += top.bytes.count
          last = top.bytes
        }
        ids[base[w] + Int(id)] = Int32(distinct.count - 1)
      }
      return (distinct, bytes)
    }
    // The strings in order, each slice copied on its own thread; each slice's ids moved up by the strings
    // before it.
    let offsets = slices.reduce(into: [Int32(0)]) { $0.append($0.last! + Int32($1.strings.count)) }
    strings.appendPieces(slices.map { ($0.strings.count, $0.bytes) }, threads: threads) { k, writer in
      let names = parts.map(\.names)  // read only
      for (w, id) in slices[k].strings { writer.add(names[w].bytes(id)) }
      guard offsets[k] > 0 else { return }
      for w in orders.indices {
        for position in ranges[k][w] where ids[base[w] + Int(orders[w][position])] >= 0 {
          ids[base[w] + Int(orders[w][position])] += offsets[k]
        }
      }
    }
    return (base, ids.values())
  }

  /// The k-way merge of the parts' sorted rows, through a heap of the
  /// parts by their next row; equal rows (same action, resource and
  /// context) from several parts are summed; `base` and `ids` map the parts'
  /// string ids to the merged ones (`mergeStrings`). One thread: split
  /// between threads, the joining of the pieces costs what the threads save.
  private static func mergeRows(
    _ parts: [UsagePart], contextMaps: [[Int32]], contextRank: [Int], base: [Int], ids: [Int32]
  ) -> [TrailAnalysis.Row] {
    let lists = parts.map(\.rows)
    let contextRank = contextRank.map { Int32($0) }
    var cursors = [Int](repeating: 0, count: lists.count)
    /// Part `w`'s next row in merged ids, as its place in the order.
    func key(_ w: Int) -> RowKey {
      let row = lists[w][cursors[w]]
      let context = contextMaps[w][Int(row.context)]
      return RowKey(
        action: ids[base[w] + Int(row.action)], resource: ids[base[w] + Int(row.resource)],
        contextRank: contextRank[Int(context)], context: context, part: Int32(w))
    }
    var heap = Heap(lists.indices.filter { !lists[$0].isEmpty }.map(key))
    var rows: [TrailAnalysis.Row] = []
    rows.reserveCapacity(lists.reduce(0) { $0 + $1.count })
    ids.withUnsafeBufferPointer { idMap in
      while let top = heap.top {
        let w = Int(top.part)
        let stats = lists[w][cursors[w]].stats
        cursors[w] += 1
        // A row's resource id is mapped through `ids` far from the last row's: asked for some rows ahead.
        if cursors[w] + 8 < lists[w].count {
          tighten_prefetch(idMap.baseAddress! + base[w] + Int(lists[w][cursors[w] + 8].resource))
        }
        if cursors[w] < lists[w].count { heap.replaceTop(key(w)) } else { heap.removeTop() }
        if let last = rows.last, last.context == top.context, last.resource == top.resource,
          last.action == top.action
        {
          rows[rows.count - 1].stats.merge(stats)
          continue
        }
        rows.append(
          TrailAnalysis.Row(action: top.action, resource: top.resource, context: top.context, stats: stats))
      }
    }
    return rows
  }
}

/// The first index in `0..<count` where `isBelow` is false (it is true, then false, along the indices).
private func lowerBound(_ count: Int, _ isBelow: (Int) -> Bool) -> Int {
  var (low, high) = (0, count)
  while low < high {
    let mid = (low + high) / 2
    if isBelow(mid) { low = mid + 1 } else { high = mid }
  }
  return low
}

/// A part's next string in the merge of string tables: by bytes, then part.
private struct StringKey: Comparable {
  var bytes: UnsafeBufferPointer<UInt8>
  var part: Int

  static func < (a: StringKey, b: StringKey) -> Bool {
    let order = compareBytes(a.bytes, b.bytes)
    return order < 0 || (order == 0 && a.part < b.part)
  }
  static func == (a: StringKey, b: StringKey) -> Bool { compareBytes(a.bytes, b.bytes) == 0 && a.part == b.part }
}

/// A part's next row in the merge of rows: in `RowOrder` by merged ids, then part.
private struct RowKey: Comparable {
  var action: Int32
  var resource: Int32
  var contextRank: Int32
  var context: Int32
  var part: Int32

  static func < (a: RowKey, b: RowKey) -> Bool {
    (a.action, a.resource, a.contextRank, a.part) < (b.action, b.resource, b.contextRank, b.part)
  }
}

/// Int32 slots that several threads write, each slot by one thread only.
private final class SharedInt32s: @unchecked Sendable {
  private let slots: UnsafeMutableBufferPointer<Int32>
  init(count: Int) {
    slots = .allocate(capacity: count)
    slots.initialize(repeating: -1)
  }
  deinit { slots.deallocate() }
  subscript(i: Int) -> Int32 {
    get { slots[i] }
    set { slots[i] = newValue }
  }
  func values() -> [Int32] { Array(slots) }
  /// Asks for a slot's memory ahead of its use.
  @inline(__always)
  func prefetch(_ i: Int) { tighten_prefetch(slots.baseAddress! + i) }
}

/// A binary min-heap: the parts of a k-way merge by their next item.
private struct Heap<Element: Comparable> {
  private var items: [Element]

  init(_ items: [Element]) {
    self.items = items
    for i in stride(from: items.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
  }

  var top: Element? { items.first }

  /// Puts the top's part back with its next item.
  mutating func replaceTop(_ element: Element) {
    items[0] = element
    siftDown(0)
  }

  /// The top's part has no more items.
  mutating func removeTop() {
    items.swapAt(0, items.count - 1)
    items.removeLast()
    if !items.isEmpty { siftDown(0) }
  }

  private mutating func siftDown(_ start: Int) {
    var i = start
    while true {
      let left = 2 * i + 1
      if left >= items.count { return }
      var child = left
      if left + 1 < items.count && items[left + 1] < items[left] { child = left + 1 }
      if !(items[child] < items[i]) { return }
      items.swapAt(i, child)
      i = child
    }
  }
}
