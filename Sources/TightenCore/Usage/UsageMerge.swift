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
  private var result = TrailAnalysis(strings: Interner())
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

  private init(parts: [UsagePart]) { self.parts = parts }

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

  /// The k-way merge of the sorted worker rows; equal rows (same action,
  /// resource and context) from several workers are summed.
  private mutating func mergeRows() {
    let lists = parts.map(\.rows)
    let tables = parts.map(\.names)
    var cursors = [Int](repeating: 0, count: lists.count)
    var rows: [TrailAnalysis.Row] = []
    rows.reserveCapacity(lists.reduce(0) { $0 + $1.count })
    let strings = result.strings
    var lastAction: (worker: Int, id: Int32, global: Int32) = (-1, -1, -1)
    var lastResource: UnsafeBufferPointer<UInt8>? = nil
    while let w = smallest(lists, tables, cursors) {
      let row = lists[w][cursors[w]]
      cursors[w] += 1
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
      if lastAction.worker == w && lastAction.id == row.action {
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

  /// The worker whose next row comes first, nil when every list is done.
  private func smallest(_ lists: [[Accumulator.Row]], _ tables: [Interner], _ cursors: [Int]) -> Int? {
    var best = -1
    for w in lists.indices where cursors[w] < lists[w].count {
      if best < 0 {
        best = w
        continue
      }
      let x = lists[w][cursors[w]]
      let y = lists[best][cursors[best]]
      let order = RowOrder.compare(
        (tables[w].bytes(x.action), tables[w].bytes(x.resource), contextRank[Int(contextMaps[w][Int(x.context)])]),
        (
          tables[best].bytes(y.action), tables[best].bytes(y.resource),
          contextRank[Int(contextMaps[best][Int(y.context)])]
        ))
      if order < 0 { best = w }
    }
    return best < 0 ? nil : best
  }
}
