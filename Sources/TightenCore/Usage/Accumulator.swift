/// A worker's tally of the events of the files it reads.
///
/// Strings are interned, so the hot path hashes bytes and compares integers;
/// keys become strings once, when the workers' tallies are merged. `add` runs
/// each record through named steps: the record's kind, who called, the
/// filter, the call's plan, then one of three ways to the permissions
/// (resources the record names, a resolution seen before, or the mapper's
/// full resolution with any refusal applied).
package final class Accumulator {
  let mapper: PermissionMapper
  let names = Interner()
  private var filter: RecordFilter

  var total = 0
  var counted = 0
  var excluded: [Exclusion: Int] = [:]
  var principalEvents = IDTable<Int32, Int>()
  var usage = IDTable<UsageKey, UsageStats>()
  private(set) var contexts = ContextTable()
  var unmapped: [PairKey: Int] = [:]
  var unmappedReasons: [PairKey: String] = [:]
  var dataEventSources = Set<Int32>()
  /// The times of the records past the kinds left out (for the cache: can a file's tally serve a time window?).
  var times = UsagePart.Times()

  private var plans = IDTable<PairKey, PlanEntry>()
  /// Plans by their strings, shared by the tallies one worker makes (one per
  /// file, with the cache), so each call is planned once per worker.
  let planCache: PlanCache
  /// Resolutions of calls without record resources, by plan, parameters, region and account.
  private var resolutions = IDTable<ResolutionKey, [Resolved]>()
  /// What each refusal message names, by interned message.
  private var denials: [Int32: (action: String, resource: String?)?] = [:]
  private var mapped: [MappedPermission] = []
  private var arnScratch: [UnsafeBufferPointer<UInt8>] = []
  static let resolutionCacheLimit = 50_000
  /// Per `RepeatedField`, the id of its last string (-1: none yet).
  private let lastIDs = UnsafeMutablePointer<Int32>.allocate(capacity: RepeatedField.allCases.count)

  /// Who made a call and where, by interned ids (`-1`: not in the record).
  struct Identity {
    /// The role behind a session, else the identity itself.
    var principal: Int32
    var session: Int32
    /// The account the call was recorded for (the caller's when the record has none).
    var account: Int32
    var region: Int32
    var isSession: Bool
  }

  /// A call's plan, and the interned name of its first action (the fast path's
  /// only one). A class: every event looks its entry up, and handing on one
  /// reference costs one retain, where copying the plan's arrays costs one each.
  final class PlanEntry {
    let plan: CallPlan
    let firstAction: Int32
    /// Fast path 1 for the call, when it can take it.
    let recordResources: ResourceResolver.RecordResourceMatcher?

    init(plan: CallPlan, firstAction: Int32, recordResources: ResourceResolver.RecordResourceMatcher?) {
      self.plan = plan
      self.firstAction = firstAction
      self.recordResources = recordResources
    }
  }

  /// A resolved permission by interned ids.
  struct Resolved {
    var action: Int32
    var resource: Int32
    var passedTo: Int32
  }

  struct ResolutionKey: IDKey {
    var pair: PairKey
    var parameters: Int32
    var region: Int32
    var account: Int32

    var idHash: UInt64 {
      IDHash.mix(
        IDHash.pack(pair.source, pair.name),
        IDHash.mix(IDHash.pack(parameters, region), UInt64(UInt32(bitPattern: account))))
    }
  }

  struct UsageKey: IDKey {
    var action: Int32
    var resource: Int32
    var context: Int32

    var idHash: UInt64 { IDHash.mix(IDHash.pack(action, resource), UInt64(UInt32(bitPattern: context))) }
  }

  struct PairKey: Hashable, IDKey {
    var source: Int32
    var name: Int32

    var idHash: UInt64 { IDHash.mix(IDHash.pack(source, name), 0) }
  }

  /// `sharing`: another tally of the same worker whose plans this one reuses.
  package init(filter: TrailFilter, mapper: PermissionMapper, sharing other: Accumulator? = nil) {
    self.filter = RecordFilter(filter)
    self.mapper = mapper
    planCache = other?.planCache ?? PlanCache()
    lastIDs.initialize(repeating: -1, count: RepeatedField.allCases.count)
  }

  deinit { lastIDs.deallocate() }

  /// Call plans by event source and name; one thread's.
  final class PlanCache {
    private var plans: [String: [String: CallPlan]] = [:]
    /// How many calls were planned.
    private(set) var count = 0

    func plan(source: String, event: String, _ make: () -> CallPlan) -> CallPlan {
      if let known = plans[source]?[event] { return known }
      let plan = make()
      plans[source, default: [:]][event] = plan
      count += 1
      return plan
    }
  }

  func string(_ id: Int32) -> String { names.text(id) }

  package func add(_ e: borrowing EventView) {
    total += 1
    if let reason = Exclusion.ofKind(e) { return exclude(reason) }
    let who = identify(e)
    let time = Timestamp.parse(e.bytes(e.eventTime))
    times.add(time)
    if let reason = filter.exclusion(e, who, time: time, names: names) { return exclude(reason) }
    let pair = PairKey(source: field(.source, e.bytes(e.eventSource)), name: field(.name, e.bytes(e.eventName)))
    let entry = planEntry(pair)
    if entry.plan.needsNoPermission { return exclude(.noPermissionNeeded) }
    countCall(e, who, pair)
    if case .unmapped(let reason) = entry.plan.kind { return tallyUnmapped(pair, reason) }
    let key = contextKey(e, who)
    let call = Call(context: key, contextID: contexts.id(key), time: time)
    let code = e.bytes(e.errorCode)
    let denied = code.count > 0 && mapper.isDenied(code)
    if !denied {
      if !e.resources.isEmpty && tallyNamedResources(e, entry, call) { return }
      if e.resources.isEmpty && resolutions.count < Self.resolutionCacheLimit {
        return tallyCachedResolution(
          e, entry, ResolutionKey(pair: pair, parameters: 0, region: who.region, account: who.account), call)
      }
    }
    tallyResolved(e, entry.plan, call, denied: denied)
  }

  // MARK: - Fields met record after record

  /// The fields that mostly repeat from one record to the next (a file is
  /// mostly one caller's calls, from one region, often to one service): each
  /// remembers the id of its last string.
  enum RepeatedField: Int, CaseIterable {
    case source, name, principal, session, account, region, sourceIP, invokedBy
  }

  /// `names.id(bytes)`, compared first with the field's last string: equal
  /// bytes give its id without hashing them and probing the table.
  @inline(__always)
  private func field(_ f: RepeatedField, _ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
    guard bytes.count > 0 else { return -1 }
    let last = lastIDs[f.rawValue]
    if last >= 0 {
      let known = names.bytes(last)
      if known.count == bytes.count
        && sameBytes(known.baseAddress!, bytes.baseAddress!, bytes.count)
      {
        return last
      }
    }
    let id = names.intern(bytes)
    lastIDs[f.rawValue] = id
    return id
  }

  // MARK: - Steps

  private func identify(_ e: borrowing EventView) -> Identity {
    let identityType = e.bytes(e.identityType)
    let isSession = e.issuerArn.isPresent && (equals(identityType, "AssumedRole") || identityType.count == 0)
    let principal =
      isSession
      ? e.bytes(e.issuerArn)
      : e.identityArn.isPresent ? e.bytes(e.identityArn) : e.bytes(e.identityPrincipalId)
    let account = e.recipientAccountId.isPresent ? e.recipientAccountId : e.identityAccountId
    return Identity(
      principal: field(.principal, principal), session: isSession ? field(.session, e.bytes(e.identityArn)) : -1,
      account: field(.account, e.bytes(account)), region: field(.region, e.bytes(e.awsRegion)), isSession: isSession)
  }

  private func planEntry(_ pair: PairKey) -> PlanEntry {
    if let known = plans.index(of: pair) { return plans[at: known] }
    let (source, event) = (string(pair.source), string(pair.name))
    let plan = planCache.plan(source: source, event: event) { mapper.plan(source: source, event: event) }
    var first: Int32 = -1
    if case .actions(let actions) = plan.kind, let action = actions.first { first = names.intern(action.action.name) }
    let entry = PlanEntry(
      plan: plan, firstAction: first, recordResources: mapper.recordResourceMatcher(plan))
    _ = plans.index(of: pair, orAdd: entry)
    return entry
  }

  private func countCall(_ e: borrowing EventView, _ who: Identity, _ pair: PairKey) {
    counted += 1
    principalEvents[at: principalEvents.index(of: who.principal, orAdd: 0)] += 1
    if e.eventCategory.isPresent ? equals(e.bytes(e.eventCategory), "Data") : e.managementEvent == false {
      dataEventSources.insert(pair.source)
    }
  }

  private func tallyUnmapped(_ pair: PairKey, _ reason: String) {
    unmapped[pair, default: 0] += 1
    if unmappedReasons[pair] == nil { unmappedReasons[pair] = reason }
  }

  private func contextKey(_ e: borrowing EventView, _ who: Identity) -> ContextTable.Key {
    ContextTable.Key(
      principal: who.principal, session: who.session, account: who.account, region: who.region,
      sourceIP: field(.sourceIP, e.bytes(e.sourceIPAddress)), invokedBy: field(.invokedBy, e.bytes(e.invokedBy)),
      passedTo: -1,
      mfa: e.mfaAuthenticated.map { $0 ? 1 : 0 } ?? -1)
  }

  /// Fast path 1: the record names the resources of the call's one action.
  private func tallyNamedResources(_ e: borrowing EventView, _ entry: PlanEntry, _ call: Call) -> Bool {
    guard let matcher = entry.recordResources else { return false }
    arnScratch.removeAll(keepingCapacity: true)
    guard matcher.match(e, into: &arnScratch) else { return false }
    for arn in arnScratch {
      tally(
        UsageKey(action: entry.firstAction, resource: names.intern(arn), context: call.contextID), call, denied: false)
    }
    return true
  }

  /// Fast path 2: a call without record resources, resolved once per distinct request.
  private func tallyCachedResolution(
    _ e: borrowing EventView, _ entry: PlanEntry, _ key: ResolutionKey, _ call: Call
  ) {
    var key = key
    key.parameters = names.intern(e.bytes(e.requestParameters))
    let resolved: [Resolved]
    if let known = resolutions.index(of: key) {
      resolved = resolutions[at: known]
    } else {
      mapped.removeAll(keepingCapacity: true)
      mapper.resolve(entry.plan, e, into: &mapped)
      resolved = mapped.map {
        Resolved(
          action: names.intern($0.action), resource: names.intern($0.resource),
          passedTo: $0.passedTo.isEmpty ? -1 : names.intern($0.passedTo))
      }
      _ = resolutions.index(of: key, orAdd: resolved)
    }
    for r in resolved {
      tally(
        UsageKey(action: r.action, resource: r.resource, context: context(call, passedTo: r.passedTo)), call,
        denied: false)
    }
  }

  /// The general path: the mapper's resolution, then what a refusal names.
  private func tallyResolved(_ e: borrowing EventView, _ plan: CallPlan, _ call: Call, denied: Bool) {
    mapped.removeAll(keepingCapacity: true)
    mapper.resolve(plan, e, into: &mapped)
    if denied { mapper.markDenied(&mapped, named: deniedPermission(e), plan: plan) }
    for permission in mapped {
      let passedTo = permission.passedTo.isEmpty ? -1 : names.intern(permission.passedTo)
      let key = UsageKey(
        action: names.intern(permission.action), resource: names.intern(permission.resource),
        context: context(call, passedTo: passedTo))
      tally(key, call, denied: permission.denied)
    }
  }

  private func deniedPermission(_ e: borrowing EventView) -> (action: String, resource: String?)? {
    let message = names.id(e.bytes(e.errorMessage))
    if let known = denials[message] { return known }
    let named = mapper.deniedPermission(message: message < 0 ? nil : string(message))
    denials[message] = named
    return named
  }

  // MARK: - Tallies

  /// One call's request context (as a key, and its id in the table) and time.
  struct Call {
    var context: ContextTable.Key
    var contextID: Int32
    var time: Int64?
  }

  /// The call's context, or for an implied `iam:PassRole` the same with the service the role went to.
  private func context(_ call: Call, passedTo: Int32) -> Int32 {
    if passedTo < 0 { return call.contextID }
    var key = call.context
    key.passedTo = passedTo
    return contexts.id(key)
  }

  @inline(__always) private func tally(_ key: UsageKey, _ call: Call, denied: Bool) {
    usage[at: usage.index(of: key, orAdd: UsageStats())].add(denied: denied, at: call.time)
  }

  private func exclude(_ reason: Exclusion) {
    excluded[reason, default: 0] += 1
  }

  // MARK: - Rows

  /// This worker's usage as rows in `RowOrder`; made by `finish()` so that
  /// the sorting runs on every core.
  struct Row {
    var action: Int32
    var resource: Int32
    var context: Int32
    var stats: UsageStats
  }

  /// This worker's tally as a part to merge, its rows sorted in `RowOrder`;
  /// made here so that the sorting runs on every core.
  func finish() -> UsagePart {
    let contexts = self.contexts.keys.map(context)
    resolutions.removeAll()
    let (rows, byBytes) = RowOrder.sorted(&usage, names: names, contextRank: RowOrder.contextRanks(contexts))
    var principals: [String: Int] = [:]
    for (id, n) in principalEvents.entries { principals[string(id), default: 0] += n }
    var calls: [UnmappedCall: Int] = [:]
    for (pair, n) in unmapped {
      let call = UnmappedCall(
        eventSource: string(pair.source), eventName: string(pair.name), reason: unmappedReasons[pair] ?? "")
      calls[call, default: 0] += n
    }
    return UsagePart(
      names: names, byBytes: byBytes, rows: rows, contexts: contexts,
      counts: UsagePart.Counts(
        total: total, counted: counted, excluded: excluded, principals: principals, unmapped: calls,
        dataEventSources: Set(dataEventSources.map(string)), times: times))
  }

  /// Adds a part read from elsewhere (a cached file's summary) to this
  /// tally, as if this worker had read its records.
  func absorb(_ part: UsagePart) {
    let c = part.counts
    total += c.total
    counted += c.counted
    for (reason, n) in c.excluded { excluded[reason, default: 0] += n }
    for (arn, n) in c.principals { principalEvents[at: principalEvents.index(of: names.intern(arn), orAdd: 0)] += n }
    for (call, n) in c.unmapped {
      let pair = PairKey(source: names.intern(call.eventSource), name: names.intern(call.eventName))
      unmapped[pair, default: 0] += n
      if unmappedReasons[pair] == nil { unmappedReasons[pair] = call.reason }
    }
    for source in c.dataEventSources { dataEventSources.insert(names.intern(source)) }
    let text = { (s: String) -> Int32 in s.isEmpty ? -1 : self.names.intern(s) }
    let contextIDs = part.contexts.map { k in
      contexts.id(
        ContextTable.Key(
          principal: text(k.principal), session: text(k.sessionArn), account: text(k.principalAccount),
          region: text(k.region), sourceIP: text(k.sourceIP), invokedBy: text(k.invokedBy),
          passedTo: text(k.passedToService), mfa: k.mfa.map { $0 ? 1 : 0 } ?? -1))
    }
    for row in part.rows {
      let key = UsageKey(
        action: names.intern(part.names.bytes(row.action)), resource: names.intern(part.names.bytes(row.resource)),
        context: contextIDs[Int(row.context)])
      usage[at: usage.index(of: key, orAdd: UsageStats())].merge(row.stats)
    }
  }

  func context(_ k: ContextTable.Key) -> CallContext {
    CallContext(
      principal: string(k.principal), sessionArn: string(k.session), principalAccount: string(k.account),
      region: string(k.region), sourceIP: string(k.sourceIP), invokedBy: string(k.invokedBy),
      passedToService: string(k.passedTo), mfa: k.mfa < 0 ? nil : k.mfa == 1)
  }
}

/// A worker's distinct request contexts, numbered in order of first sight.
struct ContextTable {
  struct Key: IDKey {
    var principal: Int32
    var session: Int32
    var account: Int32
    var region: Int32
    var sourceIP: Int32
    var invokedBy: Int32
    var passedTo: Int32
    var mfa: Int8

    var idHash: UInt64 {
      IDHash.mix(
        IDHash.mix(IDHash.pack(principal, session), IDHash.pack(account, region)),
        IDHash.mix(IDHash.pack(sourceIP, invokedBy), IDHash.pack(passedTo, Int32(mfa))))
    }
  }

  private var ids = IDTable<Key, Void>()
  var keys: [Key] { ids.keys }

  @inline(__always) mutating func id(_ key: Key) -> Int32 {
    Int32(truncatingIfNeeded: ids.index(of: key, orAdd: ()))
  }
}

@inline(__always)
func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
  guard bytes.count == literal.utf8CodeUnitCount, let p = bytes.baseAddress else {
    return bytes.count == 0 && literal.utf8CodeUnitCount == 0
  }
  return same(p, bytes.count, literal)
}
