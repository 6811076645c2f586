/// One tally to merge: a worker's, or one read from a usage summary.
///
/// Rows point into `names` and `contexts` and are sorted in `RowOrder`; the
/// counts are by string, so parts from different processes merge as parts
/// from different threads do.
///
/// Sendable because a part is only read once made: the merge reads parts
/// from several threads, and nothing writes their tables any more.
struct UsagePart: @unchecked Sendable {
  var names: Interner
  /// The ids of `names` that rows use (and perhaps others), in the byte
  /// order of their strings: the merge joins the parts' tables in one pass
  /// over these, without hashing.
  var byBytes: [Int32]
  var rows: [Accumulator.Row]
  var contexts: [CallContext]
  var counts: Counts

  /// What a part counted besides its rows.
  struct Counts {
    var total = 0
    var counted = 0
    var excluded: [Exclusion: Int] = [:]
    var principals: [String: Int] = [:]
    var unmapped: [UnmappedCall: Int] = [:]
    var dataEventSources: Set<String> = []
    var times = Times()
  }

  /// The span of the times of the records a filter looked at, and how many had none.
  struct Times: Equatable {
    var first: Int64? = nil
    var last: Int64? = nil
    var untimed = 0

    @inline(__always) mutating func add(_ time: Int64?) {
      guard let time else {
        untimed += 1
        return
      }
      if first == nil || time < first! { first = time }
      if last == nil || time > last! { last = time }
    }

    /// The span of both.
    mutating func add(_ other: Times) {
      untimed += other.untimed
      if let time = other.first { add(time) }
      if let time = other.last { add(time) }
    }

    /// Whether a filter of `since` and `until` keeps every one of these records.
    func within(since: Int64?, until: Int64?) -> Bool {
      if since == nil && until == nil { return true }
      if untimed > 0 { return false }
      if let since, let first, first < since { return false }
      if let until, let last, last > until { return false }
      return true
    }
  }

  /// Nothing: a worker that read only summaries, or a summary of no calls.
  static func empty() -> UsagePart {
    UsagePart(names: Interner(), byBytes: [], rows: [], contexts: [], counts: Counts())
  }
}
