/// A worker's filter: applies `TrailFilter` to records and remembers its
/// answers, each under everything the answer depends on.
///
/// The answers for a principal, a region or an account repeat across
/// millions of records, so they are worked out once per distinct key. A key
/// holds every input of its decision (the account filter looks at both the
/// account the call was recorded for and the caller's own account), so an
/// answer never depends on which record came first, and the result is the
/// same whatever the order of the records or the number of workers.
struct RecordFilter {
  let filter: TrailFilter
  private var callers: [CallerKey: Bool] = [:]
  private var regions: [Int32: Bool] = [:]
  private var accounts: [AccountKey: Bool] = [:]

  /// Everything `Caller` is made of, by interned ids.
  struct CallerKey: Hashable {
    var principal: Int32
    var session: Int32
    var account: Int32
    var identityType: Int32
    var issuerUserName: Int32
    var identityUserName: Int32
    var isSession: Bool
  }

  /// The account the call was recorded for (the caller's when the record has
  /// none), and the caller's own account.
  struct AccountKey: Hashable {
    var recorded: Int32
    var caller: Int32
  }

  init(_ filter: TrailFilter) { self.filter = filter }

  var selectsPrincipals: Bool { !filter.principals.isEmpty }

  /// Why the record does not count, or nil when it does. `who` is the caller
  /// as `Accumulator.identify` found it; `names` interns and reads strings.
  mutating func exclusion(
    _ e: borrowing EventView, _ who: Accumulator.Identity, time: Int64?, names: Interner
  ) -> Exclusion? {
    if selectsPrincipals && !keepsCaller(e, who, names) { return .principal }
    if !keepsTime(time) { return .time }
    if !filter.regions.isEmpty && !keepsRegion(who.region, names) { return .region }
    if !filter.accounts.isEmpty && !keepsAccount(e, who, names) { return .account }
    return nil
  }

  /// `--since` and `--until`; a record without a time is left out while either is set.
  func keepsTime(_ time: Int64?) -> Bool {
    if filter.since == nil && filter.until == nil { return true }
    guard let time else { return false }
    if let since = filter.since, time < since { return false }
    if let until = filter.until, time > until { return false }
    return true
  }

  private mutating func keepsCaller(_ e: borrowing EventView, _ who: Accumulator.Identity, _ names: Interner) -> Bool {
    let key = CallerKey(
      principal: who.principal, session: who.session, account: names.id(e.bytes(callerAccountField(e))),
      identityType: names.id(e.bytes(e.identityType)), issuerUserName: present(e.issuerUserName, e, names),
      identityUserName: present(e.identityUserName, e, names), isSession: who.isSession)
    if let known = callers[key] { return known }
    let answer = filter.matchesPrincipal(caller(key, isSession: who.isSession, names))
    callers[key] = answer
    return answer
  }

  private mutating func keepsRegion(_ region: Int32, _ names: Interner) -> Bool {
    if let known = regions[region] { return known }
    let answer = filter.regions.contains(names.text(region))
    regions[region] = answer
    return answer
  }

  private mutating func keepsAccount(_ e: borrowing EventView, _ who: Accumulator.Identity, _ names: Interner) -> Bool {
    let key = AccountKey(recorded: who.account, caller: names.id(e.bytes(e.identityAccountId)))
    if let known = accounts[key] { return known }
    let answer = filter.accounts.contains(names.text(key.recorded)) || filter.accounts.contains(names.text(key.caller))
    accounts[key] = answer
    return answer
  }

  /// A field's id, telling an empty field (`-2`) from an absent one (`-1`): a
  /// name given as `""` stays empty, as the record says.
  private func present(_ field: Field, _ e: borrowing EventView, _ names: Interner) -> Int32 {
    field.isPresent ? (e.bytes(field).count == 0 ? -2 : names.intern(e.bytes(field))) : -1
  }

  /// The caller's account: `userIdentity.accountId`, else the recipient's.
  private func callerAccountField(_ e: borrowing EventView) -> Field {
    e.identityAccountId.isPresent ? e.identityAccountId : e.recipientAccountId
  }

  /// The name a field's id stands for: the field's text (`""` when empty), else the fallback when absent.
  private func name(_ id: Int32, else fallback: String?, _ names: Interner) -> String? {
    id == -1 ? fallback : id == -2 ? "" : names.text(id)
  }

  private func caller(_ key: CallerKey, isSession: Bool, _ names: Interner) -> Caller {
    let arn = names.text(key.principal)
    let lastPart = arn.split(separator: "/").last.map(String.init)
    let roleName: String? = isSession ? name(key.issuerUserName, else: lastPart, names) : nil
    let isUser = names.text(key.identityType) == "IAMUser"
    let userName: String? = isUser ? name(key.identityUserName, else: lastPart, names) : nil
    return Caller(
      arn: arn, sessionArn: key.session < 0 ? nil : names.text(key.session), account: names.text(key.account),
      roleName: roleName, userName: userName, isUser: isUser)
  }
}

extension Interner {
  /// The id of a field's bytes; `-1` for an absent or empty field.
  @inline(__always) func id(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
    bytes.count == 0 ? -1 : intern(bytes)
  }

  /// The string of an id from `id(_:)`; `""` for `-1`.
  func text(_ id: Int32) -> String { id < 0 ? "" : string(id) }
}
