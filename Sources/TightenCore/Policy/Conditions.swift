/// What the request context holds for a condition key.
enum KeyValue: Equatable {
  /// The key's values (one for a single-valued key; possibly none for a multivalued one).
  case values([String])
  /// The key is not in the request (`aws:SourceIp` of a call a service made).
  case absent
  /// The trail cannot tell (`aws:ResourceTag/…`, service-specific keys).
  case unknown
}

/// The request-context keys a call settles, and IAM's condition operators
/// over them (IAM User Guide, "IAM JSON policy elements: Condition
/// operators"; the sentences each rule follows are quoted in
/// `ConditionOperatorTests`).
enum Conditions {
  /// A key's values for a call (keys are case-insensitive). A simulated
  /// request answers from what the user gave; a trail call from what its
  /// record settles.
  static func value(_ key: String, _ facts: CallFacts, at time: Int64?) -> KeyValue {
    if let given = facts.given { return given.value(key) }
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
      return PrincipalKeys.type(of: c.principal).map { .values([$0]) } ?? .unknown
    case "aws:username":
      return PrincipalKeys.userName(of: c.principal).map { .values([$0]) } ?? .absent
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
  static func evaluate(_ clauses: [ConditionClause], _ facts: CallFacts, variables: Bool = true) -> Truth {
    guard !clauses.isEmpty else { return .yes }
    var times = [facts.firstSeen]
    if facts.lastSeen != facts.firstSeen { times.append(facts.lastSeen) }
    var result = Truth.yes
    for clause in clauses {
      var truth: Truth? = nil
      for time in times {
        let t = evaluate(clause, facts, at: time, variables: variables)
        truth = truth == nil ? t : (truth == t ? t : .unknown)
      }
      result = result.and(truth ?? .unknown)
      if result == .no { return .no }
    }
    return result
  }

  /// An operator as written, taken apart: `ForAnyValue:StringNotLikeIfExists`.
  struct Operator: Equatable {
    enum SetQualifier { case none, forAnyValue, forAllValues }
    var set: SetQualifier
    /// The operator without its set prefix and `IfExists` (`StringNotLike`).
    var base: Substring
    var ifExists: Bool
    /// `…Not…` operators: true when no policy value matches.
    var negated: Bool

    init(_ text: String) {
      var op = Substring(text)
      set = .none
      if op.hasPrefix("ForAnyValue:") {
        set = .forAnyValue
        op = op.dropFirst("ForAnyValue:".count)
      } else if op.hasPrefix("ForAllValues:") {
        set = .forAllValues
        op = op.dropFirst("ForAllValues:".count)
      }
      ifExists = op.hasSuffix("IfExists")
      if ifExists { op = op.dropLast("IfExists".count) }
      base = op
      negated =
        op.hasPrefix("StringNot") || op.hasPrefix("ArnNot") || op == "NumericNotEquals"
        || op == "DateNotEquals" || op == "NotIpAddress"
    }
  }

  static func evaluate(_ clause: ConditionClause, _ facts: CallFacts, at time: Int64?, variables: Bool = true) -> Truth
  {
    let op = Operator(clause.op)
    let key = value(clause.key, facts, at: time)
    // "Null": true means the key must be absent; a multivalued key with no values counts as absent.
    if op.base == "Null" {
      let present: Truth
      switch key {
      case .unknown: return .unknown
      case .absent: present = .no
      case .values(let v): present = Truth(!v.isEmpty)
      }
      var any = Truth.no
      for expected in clause.values {
        switch expected.lowercased() {
        case "true": any = any.or(present.not)
        case "false": any = any.or(present)
        default: continue
        }
      }
      return any
    }
    guard let test = test(op.base) else { return .unknown }
    let requestValues: [String]
    switch key {
    case .unknown: return .unknown
    case .absent:
      if op.ifExists { return .yes }
      switch op.set {
      case .forAllValues: return .yes  // no values: vacuously true
      case .forAnyValue: return .no  // no values: none matches, negated or not
      case .none: return Truth(op.negated)
      }
    case .values(let v): requestValues = v
    }
    guard let expected = policyValues(clause.values, facts, at: time, variables: variables, op: op.base) else {
      return .unknown
    }
    // Does one request value match any policy value? (Negated: none does.)
    func one(_ value: String) -> Truth {
      var any = Truth.no
      for policyValue in expected { any = any.or(test(value, policyValue)) }
      return op.negated ? any.not : any
    }
    switch op.set {
    case .forAllValues:
      return requestValues.reduce(Truth.yes) { $0.and(one($1)) }
    case .forAnyValue:
      return requestValues.reduce(Truth.no) { $0.or(one($1)) }
    case .none:
      // A key with several values and no set operator: matches when any value does; a negated operator when none does.
      var any = Truth.no
      for value in requestValues {
        for policyValue in expected { any = any.or(test(value, policyValue)) }
      }
      return op.negated ? any.not : any
    }
  }

  /// The clause's values with their policy variables replaced (String and
  /// ARN operators read variables; others take the text as written). A value
  /// whose variable is absent from the request matches nothing; nil: a
  /// variable the trail cannot settle.
  static func policyValues(_ values: [String], _ facts: CallFacts, at time: Int64?, variables: Bool, op: Substring)
    -> [String]?
  {
    guard variables, op.hasPrefix("String") || op.hasPrefix("Arn"), values.contains(where: Variables.hasVariable)
    else { return values }
    let like = op.hasSuffix("Like")
    var out: [String] = []
    for value in values {
      switch Variables.substitute(value, facts, at: time, enabled: true) {
      case .unknown: return nil
      case .absent: continue
      case .text(let text):
        // Escapes stand for their character: literal for an equality test; kept as markers for a wildcard one.
        out.append(like ? text : Glob.unmarked(text))
      }
    }
    return out
  }

  /// The positive test of an operator (negation is applied by the caller).
  static func test(_ op: Substring) -> ((String, String) -> Truth)? {
    switch op {
    case "StringEquals", "StringNotEquals":
      return { Truth($0 == $1) }
    case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase":
      return { Truth($0.lowercased() == $1.lowercased()) }
    case "StringLike", "StringNotLike":
      return { Truth(Glob.matches($1, Glob.marked($0))) }
    case "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike":
      return { Truth(arnMatches($1, $0)) }
    case "Bool":
      return { value, expected in
        guard let v = bool(value), let e = bool(expected) else { return .no }
        return Truth(v == e)
      }
    case "BinaryEquals":
      return { value, expected in
        guard let v = Base64.decode(value), let e = Base64.decode(expected) else { return Truth(value == expected) }
        return Truth(v == e)
      }
    case "NumericEquals", "NumericNotEquals": return { numeric($0, $1) { $0 == $1 } }
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
        guard let address = IPAddress(value), let network = IPNetwork(range) else { return .no }
        return Truth(network.contains(address))
      }
    default:
      return nil  // an operator IAM does not have: not settled
    }
  }

  /// Whether a condition operator is one IAM has (with its set prefix and `IfExists` taken off).
  static func isKnown(_ op: String) -> Bool {
    let parsed = Operator(op)
    return parsed.base == "Null" || test(parsed.base) != nil
  }

  static func bool(_ text: String) -> Bool? {
    switch text.lowercased() {
    case "true": true
    case "false": false
    default: nil
    }
  }

  /// ARN operators compare each of the six colon-separated parts on its own;
  /// a wildcard does not reach across a colon but in the last part (which may hold colons).
  static func arnMatches(_ pattern: String, _ value: String) -> Bool {
    let p = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    let v = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard p.count == 6, v.count == 6 else { return pattern == value }
    for i in 0..<6 where !Glob.matches(String(p[i]), Glob.marked(String(v[i]))) { return false }
    return true
  }

  /// Numbers as IAM writes them: an optional sign, digits, an optional fraction.
  static func number(_ text: String) -> Double? {
    var digits = 0
    var points = 0
    for (i, c) in text.utf8.enumerated() {
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
      case UInt8(ascii: "."): points += 1
      case UInt8(ascii: "-"), UInt8(ascii: "+"): if i != 0 { return nil }
      default: return nil
      }
    }
    guard digits > 0, points <= 1 else { return nil }
    return Double(text)
  }

  static func numeric(_ a: String, _ b: String, _ compare: (Double, Double) -> Bool) -> Truth {
    guard let x = number(a), let y = number(b) else { return .no }
    return Truth(compare(x, y))
  }

  /// Dates are ISO 8601 (`2026-11-20`, `2026-11-20T10:00:00Z`, with an offset) or epoch seconds.
  static func date(_ a: String, _ b: String, _ compare: (Int64, Int64) -> Bool) -> Truth {
    func seconds(_ s: String) -> Int64? {
      if !s.isEmpty, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return Int64(s) }
      return Timestamp.parse(s)
    }
    guard let x = seconds(a), let y = seconds(b) else { return .no }
    return Truth(compare(x, y))
  }
}

/// The keys a principal's ARN settles.
enum PrincipalKeys {
  /// `aws:PrincipalType`: `AssumedRole` for a role or its sessions, `User`, `Account` for the root.
  static func type(of arn: String) -> String? {
    if arn.contains(":role/") || arn.contains(":assumed-role/") { return "AssumedRole" }
    if arn.contains(":user/") { return "User" }
    if arn.hasSuffix(":root") { return "Account" }
    if arn.contains(":federated-user/") { return "FederatedUser" }
    return nil
  }

  /// `aws:username`: only IAM users have one.
  static func userName(of arn: String) -> String? {
    guard arn.contains(":user/"), let name = arn.split(separator: "/").last else { return nil }
    return String(name)
  }

  /// `aws:PrincipalArn`: a role session's is its role's (`arn:aws:sts::1:assumed-role/R/s` → `arn:aws:iam::1:role/R`).
  static func principalArn(of arn: String) -> String {
    let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard parts.count == 6, parts[2] == "sts", parts[5].hasPrefix("assumed-role/") else { return arn }
    let names = parts[5].split(separator: "/")
    guard names.count >= 2 else { return arn }
    return "arn:\(parts[1]):iam::\(parts[4]):role/\(names[1])"
  }

  /// The account of an ARN (its fifth part), if it has one.
  static func account(of arn: String) -> String? {
    let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard parts.count == 6, parts[0] == "arn", parts[4].count == 12 else { return nil }
    return String(parts[4])
  }
}

/// Standard base64 (RFC 4648), for `BinaryEquals`.
enum Base64 {
  static func decode(_ text: String) -> [UInt8]? {
    var out: [UInt8] = []
    var buffer: UInt32 = 0
    var bits = 0
    var padding = 0
    for c in text.utf8 {
      let v: UInt32
      switch c {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
      case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a")) + 26
      case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0")) + 52
      case UInt8(ascii: "+"): v = 62
      case UInt8(ascii: "/"): v = 63
      case UInt8(ascii: "="):
        padding += 1
        continue
      default: return nil
      }
      if padding > 0 { return nil }
      buffer = buffer << 6 | v
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
      }
    }
    guard padding <= 2, text.utf8.count % 4 == 0 else { return nil }
    return out
  }
}
