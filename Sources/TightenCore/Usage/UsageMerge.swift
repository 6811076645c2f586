/// Merges tallies into one `TrailAnalysis`: the workers' of one run, and
/// those read from usage summaries of other runs.
///
/// Each part's rows are sorted in `RowOrder` over its own string table, so
/// the rows merge in one k-way pass; only the strings that rows use are
/// copied into the result's table. Counts are summed, contexts are numbered
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
    _ parts: [UsagePart], outcomes: [(Int, TrailAnalyzer.FileOutcome)], fileCount: Int, restoringPaths: Bool = true
  ) -> TrailAnalysis {
    var merge = UsageMerge(parts: parts)
    merge.sumCounts()
    merge.mergeContexts()
    merge.collectOutcomes(outcomes, fileCount: fileCount)
    merge.mergeRows()
    if restoringPaths { merge.result.restoreIAMPaths(contextRank: merge.contextRank) }
    return merge.result
  }

  private init(parts: [UsagePart]) {
    self.parts = parts
    result = TrailAnalysis(strings: Interner(expected: min(parts.reduce(0) { $0 + $1.rows.count }, 1 << 22)))
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

  /// The k-way merge of the parts' sorted rows, through a heap of the
  /// parts by their next row; equal rows (same action, resource and
  /// context) from several parts are summed.
  private mutating func mergeRows() {
    let lists = parts.map(\.rows)
    let tables = parts.map(\.names)
    var cursors = [Int](repeating: 0, count: lists.count)
    var rows: [TrailAnalysis.Row] = []
    rows.reserveCapacity(lists.reduce(0) { $0 + $1.count })
    let strings = result.strings
    let contextMaps = self.contextMaps
    let contextRank = self.contextRank
    /// Whether part `a`'s next row comes before part `b`'s (the part's index breaks ties).
    func precedes(_ a: Int, _ b: Int) -> Bool {
      let x = lists[a][cursors[a]]
      let y = lists[b][cursors[b]]
      let order = RowOrder.compare(
        (tables[a].bytes(x.action), tables[a].bytes(x.resource), contextRank[Int(contextMaps[a][Int(x.context)])]),
        (tables[b].bytes(y.action), tables[b].bytes(y.resource), contextRank[Int(contextMaps[b][Int(y.context)])]))
      return order < 0 || (order == 0 && a < b)
    }
    var heap = lists.indices.filter { !lists[$0].isEmpty }
    func siftDown(_ start: Int) {
      var i = start
      while true {
        let left = 2 * i + 1
        if left >= heap.count { return }
        var child = left
        if left + 1 < heap.count && precedes(heap[left + 1], heap[left]) { child = left + 1 }
        if !precedes(heap[child], heap[i]) { return }
        heap.swapAt(i, child)
        i = child
      }
    }
    for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
    var lastAction: (part: Int, id: Int32, global: Int32) = (-1, -1, -1)
    var lastResource: UnsafeBufferPointer<UInt8>? = nil
    while let w = heap.first {
      let row = lists[w][cursors[w]]
      cursors[w] += 1
      if cursors[w] == lists[w].count {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
      }
      siftDown(0)
      let table = tables[w]
      let context = contextMaps[w][Int(row.context)]
      let resourceBytes = table.bytes(row.resource)
      if let last = rows.last, last.context == context, let previous = lastResource,
        compareBytes(previous, resourceBytes) == 0,
        compareBytes(strings.bytes(last.action), table.bytes(row.action)) == 0
      {
        rows[rows.count - 1].stats.merge(row.stats)
        continue
      }
      let action: Int32
      if lastAction.part == w && lastAction.id == row.action {
        action = lastAction.global
      } else {
        action = strings.intern(table.bytes(row.action))
        lastAction = (w, row.action, action)
      }
      lastResource = resourceBytes
      rows.append(
        TrailAnalysis.Row(action: action, resource: strings.intern(resourceBytes), context: context, stats: row.stats))
    }
    result.rows = rows
  }
}
