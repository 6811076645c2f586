/// What the request context holds for a condition key.
enum KeyValue: Equatable {
  case values([String])
  /// The key is not in the request (`aws:SourceIp` of a call a service made).
  case absent
  /// The trail cannot tell (`aws:ResourceTag/…`, service-specific keys).
  case unknown
}

/// The request-context keys a CloudTrail record settles, and the standard
/// condition operators over them.
enum Conditions {
  /// The keys' values for a call (keys are case-insensitive).
  static func value(_ key: String, _ facts: CallFacts, at time: Int64?) -> KeyValue {
    let c = facts.context
    switch key.lowercased() {
    case "aws:requestedregion":
      return c.region.isEmpty ? .unknown : .values([c.region])
    case "aws:sourceip":
      // A call a service made for the principal carries no source address of the principal's.
      if !c.invokedBy.isEmpty { return .absent }
      return IPAddress(c.sourceIP) != nil ? .values([c.sourceIP]) : .unknown
    case "aws:principalarn":
      return c.principal.isEmpty ? .unknown : .values([c.principal])
    case "aws:principalaccount":
      return c.principalAccount.isEmpty ? .unknown : .values([c.principalAccount])
    case "aws:principaltype":
      if c.principal.contains(":role/") { return .values(["AssumedRole"]) }
      if c.principal.contains(":user/") { return .values(["User"]) }
      if c.principal.hasSuffix(":root") { return .values(["Account"]) }
      return .unknown
    case "aws:username":
      guard c.principal.contains(":user/"), let name = c.principal.split(separator: "/").last else { return .absent }
      return .values([String(name)])
    case "aws:currenttime":
      return time.map { .values([Timestamp.format($0)]) } ?? .unknown
    case "aws:epochtime":
      return time.map { .values([String($0)]) } ?? .unknown
    case "aws:viaawsservice":
      return .values([c.invokedBy.isEmpty ? "false" : "true"])
    case "aws:calledvia", "aws:calledviafirst", "aws:calledvialast":
      return c.invokedBy.isEmpty ? .absent : .values([c.invokedBy])
    case "aws:multifactorauthpresent":
      return c.mfa.map { .values([$0 ? "true" : "false"]) } ?? .absent
    case "aws:principalisawsservice":
      return .values(["false"])
    case "iam:passedtoservice":
      return c.passedToService.isEmpty ? .absent : .values([c.passedToService])
    default:
      return .unknown
    }
  }

  /// All of a statement's conditions (they are ANDed). Times come from the
  /// first and last sight of the call: a condition that differs between the
  /// two cannot be settled for every call.
  static func evaluate(_ clauses: [ConditionClause], _ facts: CallFacts) -> Truth {
    guard !clauses.isEmpty else { return .yes }
    var times = [facts.firstSeen]
    if facts.lastSeen != facts.firstSeen { times.append(facts.lastSeen) }
    var result = Truth.yes
    for clause in clauses {
      var truth: Truth? = nil
      for time in times {
        let t = evaluate(clause, facts, at: time)
        truth = truth == nil ? t : (truth == t ? t : .unknown)
      }
      result = result.and(truth ?? .unknown)
      if result == .no { return .no }
    }
    return result
  }

  static func evaluate(_ clause: ConditionClause, _ facts: CallFacts, at time: Int64?) -> Truth {
    var op = Substring(clause.op)
    var set: String? = nil
    for prefix in ["ForAnyValue:", "ForAllValues:"] where op.hasPrefix(prefix) {
      set = prefix
      op = op.dropFirst(prefix.count)
    }
    let ifExists = op.hasSuffix("IfExists")
    if ifExists { op = op.dropLast("IfExists".count) }
    let key = value(clause.key, facts, at: time)
    if op == "Null" {
      guard case .values = key else {
        if key == .unknown { return .unknown }
        return Truth(clause.values.contains { $0.lowercased() == "true" })
      }
      return Truth(clause.values.contains { $0.lowercased() == "false" })
    }
    let negated = op.contains("Not")
    let requestValues: [String]
    switch key {
    case .unknown: return .unknown
    case .absent:
      if set == "ForAllValues:" { return .yes }  // vacuously true over no values
      if ifExists || negated { return .yes }
      return .no
    case .values(let v): requestValues = v
    }
    guard let test = test(String(op)) else { return .unknown }
    // A single-valued key: does any policy value match? Negated operators: does none?
    func one(_ value: String) -> Truth {
      var any = Truth.no
      for expected in clause.values { any = any.or(test(value, expected)) }
      return negated ? any.not : any
    }
    switch set {
    case "ForAllValues:":
      return requestValues.reduce(Truth.yes) { $0.and(one($1)) }
    default:
      return requestValues.reduce(Truth.no) { $0.or(one($1)) }
    }
  }

  /// The positive test of an operator (negation is applied by the caller).
  static func test(_ op: String) -> ((String, String) -> Truth)? {
    switch op {
    case "StringEquals", "StringNotEquals":
      return { Truth($0 == $1) }
    case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase":
      return { Truth($0.lowercased() == $1.lowercased()) }
    case "StringLike", "StringNotLike":
      return { Truth(Glob.matches($1, $0)) }
    case "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike":
      return { Truth(Glob.matches($1, $0)) }
    case "Bool":
      return { Truth($0.lowercased() == $1.lowercased()) }
    case "NumericEquals", "NumericNotEquals":
      return { numeric($0, $1) { $0 == $1 } }
    case "NumericLessThan": return { numeric($0, $1) { $0 < $1 } }
    case "NumericLessThanEquals": return { numeric($0, $1) { $0 <= $1 } }
    case "NumericGreaterThan": return { numeric($0, $1) { $0 > $1 } }
    case "NumericGreaterThanEquals": return { numeric($0, $1) { $0 >= $1 } }
    case "DateEquals", "DateNotEquals": return { date($0, $1) { $0 == $1 } }
    case "DateLessThan": return { date($0, $1) { $0 < $1 } }
    case "DateLessThanEquals": return { date($0, $1) { $0 <= $1 } }
    case "DateGreaterThan": return { date($0, $1) { $0 > $1 } }
    case "DateGreaterThanEquals": return { date($0, $1) { $0 >= $1 } }
    case "IpAddress", "NotIpAddress":
      return { value, range in
        guard let address = IPAddress(value), let network = IPNetwork(range) else { return .unknown }
        return Truth(network.contains(address))
      }
    default:
      return nil  // BinaryEquals and anything new: not settled
    }
  }

  static func numeric(_ a: String, _ b: String, _ compare: (Double, Double) -> Bool) -> Truth {
    guard let x = Double(a), let y = Double(b) else { return .unknown }
    return Truth(compare(x, y))
  }

  static func date(_ a: String, _ b: String, _ compare: (Int64, Int64) -> Bool) -> Truth {
    func seconds(_ s: String) -> Int64? { Int64(s) ?? Timestamp.parse(s) }
    guard let x = seconds(a), let y = seconds(b) else { return .unknown }
    return Truth(compare(x, y))
  }
}
