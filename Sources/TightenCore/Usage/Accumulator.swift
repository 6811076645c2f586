/// Why a record that was read does not count.
public enum Exclusion: String, Sendable, CaseIterable, Codable {
  /// `eventType` `AwsServiceEvent`: AWS acting on its own, no principal's permission.
  case awsServiceEvent
  /// Made by an AWS service principal (`userIdentity.type` `AWSService`).
  case awsServicePrincipal
  /// `AwsConsoleSignIn`: signing in needs no IAM permission.
  case consoleSignIn
  /// CloudTrail Insights events, which describe activity rather than make calls.
  case insight
  /// Calls that need no permission at all (`sts:GetCallerIdentity`).
  case noPermissionNeeded
  /// Left out by `--principal`.
  case principal
  /// Left out by `--since`/`--until` (or without a time while they are set).
  case time
  /// Left out by `--region`.
  case region
  /// Left out by `--account`.
  case account
}

/// Per-worker tally of the events of the files it reads. Strings are
/// interned, so the hot path hashes bytes and compares integers; keys become
/// strings once, when the workers' tallies are merged.
final class Accumulator {
  let filter: TrailFilter
  let mapper: PermissionMapper
  let names = Interner()

  var total = 0
  var counted = 0
  var excluded: [Exclusion: Int] = [:]
  var principalEvents: [Int32: Int] = [:]
  var usage: [UsageKey: UsageStats] = [:]
  var contexts: [ContextKey: Int32] = [:]
  var contextList: [ContextKey] = []
  var unmapped: [PairKey: Int] = [:]
  var unmappedReasons: [PairKey: String] = [:]
  var dataEventSources = Set<Int32>()

  private var callerCache: [Int64: Bool] = [:]
  private var regionCache: [Int32: Bool] = [:]
  private var accountCache: [Int32: Bool] = [:]
  private var plans: [PairKey: PlanEntry] = [:]
  private var mapped: [MappedPermission] = []
  private var arnScratch: [UnsafeBufferPointer<UInt8>] = []
  /// Resolutions of calls without record resources, by plan, parameters, region and account.
  private var resolutions: [ResolutionKey: [Resolved]] = [:]

  struct PlanEntry {
    var plan: CallPlan
    /// The interned name of the first action (the fast path's only one).
    var firstAction: Int32
  }

  /// A resolved permission by interned ids.
  struct Resolved {
    var action: Int32
    var resource: Int32
    var passedTo: Int32
  }
  private var denials: [Int32: (action: String, resource: String?)?] = [:]
  static let resolutionCacheLimit = 50_000

  struct ResolutionKey: Hashable {
    var pair: PairKey
    var parameters: Int32
    var region: Int32
    var account: Int32
  }

  struct UsageKey: Hashable {
    var action: Int32
    var resource: Int32
    var context: Int32
  }

  struct ContextKey: Hashable {
    var principal: Int32
    var session: Int32
    var account: Int32
    var region: Int32
    var sourceIP: Int32
    var invokedBy: Int32
    var passedTo: Int32
    var mfa: Int8
  }

  struct PairKey: Hashable {
    var source: Int32
    var name: Int32
  }

  init(filter: TrailFilter, mapper: PermissionMapper) {
    self.filter = filter
    self.mapper = mapper
  }

  private static let empty: Int32 = -1

  @inline(__always) private func id(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
    bytes.count == 0 ? Self.empty : names.intern(bytes)
  }

  func string(_ id: Int32) -> String { id < 0 ? "" : names.string(id) }

  func add(_ e: borrowing EventView) {
    total += 1
    let eventType = e.bytes(e.eventType)
    if eventType.count > 0 {
      if equals(eventType, "AwsServiceEvent") { return exclude(.awsServiceEvent) }
      if equals(eventType, "AwsConsoleSignIn") { return exclude(.consoleSignIn) }
      if equals(eventType, "AwsCloudTrailInsight") { return exclude(.insight) }
    }
    let identityType = e.bytes(e.identityType)
    if equals(identityType, "AWSService") { return exclude(.awsServicePrincipal) }

    // Who: the role behind a session, else the identity itself.
    let isSession = e.issuerArn.isPresent && (equals(identityType, "AssumedRole") || identityType.count == 0)
    let principalBytes =
      isSession
      ? e.bytes(e.issuerArn)
      : e.identityArn.isPresent ? e.bytes(e.identityArn) : e.bytes(e.identityPrincipalId)
    let principal = id(principalBytes)
    let session = isSession ? id(e.bytes(e.identityArn)) : Self.empty
    var accountField = e.recipientAccountId
    if !accountField.isPresent { accountField = e.identityAccountId }
    let account = id(e.bytes(accountField))

    if !filter.principals.isEmpty {
      let key = Int64(principal) << 32 | Int64(UInt32(bitPattern: session))
      let keep: Bool
      if let cached = callerCache[key] {
        keep = cached
      } else {
        keep = filter.matchesPrincipal(caller(e, isSession: isSession, principal: principal, session: session))
        callerCache[key] = keep
      }
      if !keep { return exclude(.principal) }
    }
    let time = Timestamp.parse(e.bytes(e.eventTime))
    if filter.since != nil || filter.until != nil {
      guard let time else { return exclude(.time) }
      if let since = filter.since, time < since { return exclude(.time) }
      if let until = filter.until, time > until { return exclude(.time) }
    }
    let region = id(e.bytes(e.awsRegion))
    if !filter.regions.isEmpty && !cached(&regionCache, region, { filter.regions.contains(string(region)) }) {
      return exclude(.region)
    }
    if !filter.accounts.isEmpty
      && !cached(
        &accountCache, account,
        {
          filter.accounts.contains(string(account))
            || filter.accounts.contains(string(id(e.bytes(e.identityAccountId))))
        })
    {
      return exclude(.account)
    }

    // What: the IAM permissions the call needed.
    let pair = PairKey(source: id(e.bytes(e.eventSource)), name: id(e.bytes(e.eventName)))
    let entry: PlanEntry
    if let cached = plans[pair] {
      entry = cached
    } else {
      let plan = mapper.plan(source: string(pair.source), event: string(pair.name))
      var first = Self.empty
      if case .actions(let actions) = plan.kind, let action = actions.first { first = names.intern(action.action.name) }
      entry = PlanEntry(plan: plan, firstAction: first)
      plans[pair] = entry
    }
    let plan = entry.plan
    if plan.needsNoPermission { return exclude(.noPermissionNeeded) }
    counted += 1
    principalEvents[principal, default: 0] += 1
    if e.eventCategory.isPresent ? equals(e.bytes(e.eventCategory), "Data") : e.managementEvent == false {
      dataEventSources.insert(pair.source)
    }
    if case .unmapped(let reason) = plan.kind {
      unmapped[pair, default: 0] += 1
      if unmappedReasons[pair] == nil { unmappedReasons[pair] = reason }
      return
    }
    let mfa: Int8 = e.mfaAuthenticated.map { $0 ? 1 : 0 } ?? -1
    var key = ContextKey(
      principal: principal, session: session, account: account, region: region,
      sourceIP: id(e.bytes(e.sourceIPAddress)), invokedBy: id(e.bytes(e.invokedBy)), passedTo: Self.empty,
      mfa: mfa)
    let context = contextID(key)
    let code = e.bytes(e.errorCode)
    let denied = code.count > 0 && mapper.isDenied(code)

    if !denied {
      // Fast path 1: the record names the resources of the call's one action.
      arnScratch.removeAll(keepingCapacity: true)
      if !e.resources.isEmpty && mapper.recordResourceFast(plan, e, into: &arnScratch) {
        for arn in arnScratch {
          usage[
            UsageKey(action: entry.firstAction, resource: names.intern(arn), context: context), default: UsageStats()
          ]
          .add(denied: false, at: time)
        }
        return
      }
      // Fast path 2: the same request was resolved before.
      if e.resources.isEmpty && resolutions.count < Self.resolutionCacheLimit {
        let cacheKey = ResolutionKey(
          pair: pair, parameters: names.intern(e.bytes(e.requestParameters)), region: region, account: account)
        let resolved: [Resolved]
        if let cached = resolutions[cacheKey] {
          resolved = cached
        } else {
          mapped.removeAll(keepingCapacity: true)
          mapper.resolve(plan, e, into: &mapped)
          resolved = mapped.map {
            Resolved(
              action: names.intern($0.action), resource: names.intern($0.resource),
              passedTo: $0.passedTo.isEmpty ? Self.empty : names.intern($0.passedTo))
          }
          resolutions[cacheKey] = resolved
        }
        for r in resolved {
          var contextForThis = context
          if r.passedTo >= 0 {
            key.passedTo = r.passedTo
            contextForThis = contextID(key)
            key.passedTo = Self.empty
          }
          usage[UsageKey(action: r.action, resource: r.resource, context: contextForThis), default: UsageStats()]
            .add(denied: false, at: time)
        }
        return
      }
    }

    // The general path: resolve, then apply what a refusal names.
    mapped.removeAll(keepingCapacity: true)
    mapper.resolve(plan, e, into: &mapped)
    if denied {
      let message = id(e.bytes(e.errorMessage))
      let named: (action: String, resource: String?)?
      if let cached = denials[message] {
        named = cached
      } else {
        named = mapper.deniedPermission(message: message < 0 ? nil : string(message))
        denials[message] = named
      }
      mapper.markDenied(&mapped, named: named, plan: plan)
    }
    for permission in mapped {
      var contextForThis = context
      if !permission.passedTo.isEmpty {
        key.passedTo = names.intern(permission.passedTo)
        contextForThis = contextID(key)
        key.passedTo = Self.empty
      }
      let usageKey = UsageKey(
        action: names.intern(permission.action), resource: names.intern(permission.resource), context: contextForThis)
      usage[usageKey, default: UsageStats()].add(denied: permission.denied, at: time)
    }
  }

  /// This worker's usage as rows sorted by action and resource bytes, then
  /// context; made by `finish()` so that the sorting runs on every core.
  struct Row {
    var action: Int32
    var resource: Int32
    var context: Int32
    var stats: UsageStats
  }

  private(set) var rows: [Row] = []

  func finish() {
    let contexts = contextList.map(context)
    let order = contexts.indices.sorted { TrailAnalyzer.contextOrder(contexts[$0], contexts[$1]) }
    var contextRank = [Int](repeating: 0, count: contexts.count)
    for (r, index) in order.enumerated() { contextRank[index] = r }
    var used = [Bool](repeating: false, count: names.count)
    for key in usage.keys {
      used[Int(key.action)] = true
      used[Int(key.resource)] = true
    }
    var byBytes = (0..<Int32(names.count)).filter { used[Int($0)] }
    byBytes.withUnsafeMutableBufferPointer { ids in ids.sort { names.less($0, $1) } }
    var rank = [Int](repeating: 0, count: names.count)
    for (r, id) in byBytes.enumerated() { rank[Int(id)] = r }
    var keyed: [(UInt64, Row)] = []
    keyed.reserveCapacity(usage.count)
    let packed = byBytes.count < 1 << 24 && contexts.count < 1 << 16
    for (key, stats) in usage {
      let row = Row(action: key.action, resource: key.resource, context: key.context, stats: stats)
      let sortKey =
        packed
        ? UInt64(rank[Int(key.action)]) << 40 | UInt64(rank[Int(key.resource)]) << 16
          | UInt64(contextRank[Int(key.context)])
        : 0
      keyed.append((sortKey, row))
    }
    usage = [:]
    resolutions = [:]
    if packed {
      keyed.withUnsafeMutableBufferPointer { k in k.sort { $0.0 < $1.0 } }
    } else {
      keyed.sort { x, y in
        let (a, b) = (x.1, y.1)
        if a.action != b.action { return rank[Int(a.action)] < rank[Int(b.action)] }
        if a.resource != b.resource { return rank[Int(a.resource)] < rank[Int(b.resource)] }
        return contextRank[Int(a.context)] < contextRank[Int(b.context)]
      }
    }
    rows = keyed.map(\.1)
  }

  func context(_ k: ContextKey) -> CallContext {
    CallContext(
      principal: string(k.principal), sessionArn: string(k.session), principalAccount: string(k.account),
      region: string(k.region), sourceIP: string(k.sourceIP), invokedBy: string(k.invokedBy),
      passedToService: string(k.passedTo), mfa: k.mfa < 0 ? nil : k.mfa == 1)
  }

  /// A filter's answer for an interned value, worked out once.
  @inline(__always)
  private func cached(_ cache: inout [Int32: Bool], _ key: Int32, _ decide: () -> Bool) -> Bool {
    if let known = cache[key] { return known }
    let answer = decide()
    cache[key] = answer
    return answer
  }

  private func contextID(_ key: ContextKey) -> Int32 {
    if let id = contexts[key] { return id }
    let id = Int32(contextList.count)
    contexts[key] = id
    contextList.append(key)
    return id
  }

  private func exclude(_ reason: Exclusion) {
    excluded[reason, default: 0] += 1
  }

  private func caller(_ e: borrowing EventView, isSession: Bool, principal: Int32, session: Int32) -> Caller {
    let arn = string(principal)
    let account = e.string(e.identityAccountId) ?? e.string(e.recipientAccountId) ?? ""
    let roleName: String? =
      isSession ? (e.string(e.issuerUserName) ?? arn.split(separator: "/").last.map(String.init)) : nil
    let isUser = equals(e.bytes(e.identityType), "IAMUser")
    let userName = isUser ? (e.string(e.identityUserName) ?? arn.split(separator: "/").last.map(String.init)) : nil
    return Caller(
      arn: arn, sessionArn: session < 0 ? nil : string(session), account: account, roleName: roleName,
      userName: userName, isUser: isUser)
  }
}

@inline(__always)
func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
  guard bytes.count == literal.utf8CodeUnitCount, let p = bytes.baseAddress else {
    return bytes.count == 0 && literal.utf8CodeUnitCount == 0
  }
  return same(p, bytes.count, literal)
}
