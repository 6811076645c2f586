/// `tighten simulate`: requests evaluated against policies offline, as IAM
/// would, the counterpart of `aws iam simulate-custom-policy`. Context keys
/// the user gives are settled; keys not given are absent, as in IAM's own
/// simulator, and each answer names the keys its decision looked at that
/// were not given.
public struct SimulateCommand: Sendable {
  public var policyFiles: [String]
  public var boundaryFile: String?
  public var organizationFiles: [String]
  public var sessionPolicyFile: String?
  /// Settles `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:username`,
  /// and picks the role or user in authorization details.
  public var principal: String?

  public init(
    policyFiles: [String], boundaryFile: String? = nil, organizationFiles: [String] = [],
    sessionPolicyFile: String? = nil, principal: String? = nil
  ) {
    self.policyFiles = policyFiles
    self.boundaryFile = boundaryFile
    self.organizationFiles = organizationFiles
    self.sessionPolicyFile = sessionPolicyFile
    self.principal = principal
  }

  /// One request: from flags, or one line of `--requests`.
  public struct Request: Sendable, Equatable {
    public var action: String
    public var resource: String
    public var context: [(key: String, values: [String])]
    /// The request's own principal (a JSON line's `principal`), else the command's.
    public var principal: String?

    public init(
      action: String, resource: String, context: [(key: String, values: [String])] = [], principal: String? = nil
    ) {
      self.action = action
      self.resource = resource
      self.context = context
      self.principal = principal
    }

    public static func == (a: Request, b: Request) -> Bool {
      a.action == b.action && a.resource == b.resource && a.principal == b.principal
        && a.context.map(\.key) == b.context.map(\.key) && a.context.map(\.values) == b.context.map(\.values)
    }
  }

  /// IAM's answer to one request.
  public struct Answer: Sendable, Equatable {
    public enum Decision: String, Sendable {
      case allowed
      case notGranted = "not-granted"
      case explicitDeny = "explicit-deny"
      /// Only for an operator the evaluator cannot settle (loading refuses those, so never in practice).
      case conditionUnknown = "condition-unknown"
    }
    public struct Matched: Sendable, Equatable {
      public var policy: String
      public var statement: String
      public var effect: PolicyStatement.Effect
    }
    public var action: String
    public var resource: String
    public var decision: Decision
    /// The policy type that refused the request.
    public var layer: PolicyLayer?
    /// The statements that decided it: the Deny statements that matched for an explicit deny, the Allow
    /// statements that matched for an allowed request, none for a request nothing allows.
    public var matched: [Matched]
    /// Keys the policies that applied to the request look at, which the request did not give (sorted).
    public var missingContextKeys: [String]
  }

  /// The policies, read and checked (a bad file stops the run), with templates bound to the principal's account.
  public func evaluator() throws(RunError) -> PolicyEvaluator {
    let declared: DeclaredPolicies
    do {
      declared = try DeclaredPolicies.load(
        policyFiles, principals: principal.map { [$0] } ?? [], boundary: boundaryFile,
        organization: organizationFiles, session: sessionPolicyFile)
      let binding = PolicyBinding(account: principal.flatMap(PrincipalKeys.account(of:)))
      return PolicyEvaluator(policies: try declared.bound(to: binding))
    } catch {
      throw .policy(error)
    }
  }

  /// Evaluates one request.
  public func answer(_ request: Request, with evaluator: PolicyEvaluator) -> Answer {
    let given = GivenContext(request.context, principal: request.principal ?? principal)
    let facts = CallFacts(action: request.action, resource: request.resource, context: CallContext(), given: given)
    let plan = evaluator.plan(action: request.action)
    let result = evaluator.evaluate(facts, plan: plan, matches: true)
    let decision: Answer.Decision
    switch result.missing {
    case nil: decision = .allowed
    case .conditionUnknown?: decision = .conditionUnknown
    case _ where result.denied: decision = .explicitDeny
    default: decision = .notGranted
    }
    let wanted: PolicyStatement.Effect? =
      switch decision {
      case .allowed: .allow
      case .explicitDeny: .deny
      default: nil
      }
    let documents = evaluator.policies.documents
    let matched = result.matched.filter { $0.effect == wanted }.map {
      Answer.Matched(
        policy: documents[$0.document].name, statement: documents[$0.document].statements[$0.statement].label,
        effect: $0.effect)
    }
    return Answer(
      action: request.action, resource: request.resource, decision: decision,
      layer: decision == .allowed ? nil : result.layer, matched: matched,
      missingContextKeys: evaluator.consultedKeys(facts, plan: plan).filter { !given.has($0) })
  }

  // MARK: Requests

  /// Request files larger than this are refused.
  public static let requestsSizeLimit = 256 << 20

  /// The lines of a requests file (`-`: standard input); a file that cannot be read stops the run.
  public static func lines(of path: String) throws(RunError) -> [String] {
    let bytes: [UInt8]
    do throws(Platform.SystemError) {
      let fd = path == "-" ? 0 : try Platform.openForReading(path)
      defer { if fd != 0 { Platform.close(fd) } }
      if Platform.isDirectory(fd) { throw Platform.SystemError.isFolder }
      bytes = try Platform.readAll(fd, limit: requestsSizeLimit + 1)
    } catch {
      throw .requests(path: path, message: "cannot read the requests file (\(error.description))")
    }
    if bytes.count > requestsSizeLimit {
      throw .requests(path: path, message: "larger than \(requestsSizeLimit >> 20) MiB: not a requests file")
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw .requests(path: path, message: "the file is not UTF-8 text")
    }
    return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }

  /// A `--context KEY=VALUE` list: a repeated key gets several values, in order.
  public static func context(_ pairs: [String]) throws(RequestError) -> [(key: String, values: [String])] {
    var out: [(key: String, values: [String])] = []
    for pair in pairs {
      guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
        throw RequestError(place: "--context", message: "'\(pair)' is not KEY=VALUE")
      }
      let key = String(pair[..<equals])
      let value = String(pair[pair.index(after: equals)...])
      if let i = out.firstIndex(where: { $0.key.lowercased() == key.lowercased() }) {
        out[i].values.append(value)
      } else {
        out.append((key, [value]))
      }
    }
    return out
  }

  /// One line of `--requests`: `{"action": …, "resource": …, "context": {KEY: value or [values]}, "principal": …}`.
  public static func request(line: String, place: String) throws(RequestError) -> Request {
    let value: PolicyValue
    do { value = try PolicyValue.parseJSON(line, path: place) } catch {
      throw RequestError(place: place, message: error.message)
    }
    guard let members = value.members else {
      throw RequestError(place: place, message: "a request must be a JSON object, found \(value.kind)")
    }
    for (key, _) in members where !["action", "resource", "context", "principal"].contains(key) {
      throw RequestError(
        place: place, message: "unknown field '\(key)' (expected action, resource, context, principal)")
    }
    guard let action = value["action"]?.string else {
      throw RequestError(place: place, message: "the request has no \"action\" string")
    }
    guard ActionName(action) != nil else {
      throw RequestError(place: place, message: "'\(action)' is not an action (expected service:Action)")
    }
    var resource = "*"
    if let given = value["resource"] {
      guard let text = given.string else { throw RequestError(place: place, message: "\"resource\" must be a string") }
      resource = text
    }
    var principal: String? = nil
    if let given = value["principal"] {
      guard let text = given.string else { throw RequestError(place: place, message: "\"principal\" must be a string") }
      principal = text
    }
    var context: [(key: String, values: [String])] = []
    if let given = value["context"] {
      guard let pairs = given.members else {
        throw RequestError(place: place, message: "\"context\" must be an object of keys and values")
      }
      for (key, raw) in pairs {
        let items: [PolicyValue]
        if case .array(let list) = raw { items = list } else { items = [raw] }
        var values: [String] = []
        for item in items {
          guard let text = item.scalarText else {
            throw RequestError(
              place: place, message: "context key \(key): a value must be a string, number or boolean")
          }
          values.append(text)
        }
        context.append((key, values))
      }
    }
    return Request(action: action, resource: resource, context: context, principal: principal)
  }
}

/// A request that cannot be read: where (`requests.jsonl:3`, `--context`) and why.
public struct RequestError: Error, Equatable, Sendable, CustomStringConvertible {
  public var place: String
  public var message: String
  public init(place: String, message: String) {
    self.place = place
    self.message = message
  }
  public var description: String { "\(place): \(message)" }
}

extension PolicyEvaluator {
  /// The context keys the statements that apply to a request read: their
  /// condition keys and the keys of policy variables in their resources and
  /// condition values (statements whose action matches, and whose resource
  /// matches or names a variable).
  func consultedKeys(_ facts: CallFacts, plan: ActionPlan) -> [String] {
    var keys: [String: String] = [:]
    func note(_ key: String) { keys[key.lowercased()] = keys[key.lowercased()] ?? key }
    func variables(_ text: String) {
      guard Variables.hasVariable(text) else { return }
      _ = Placeholders.replace(in: text) { name in
        if !["*", "?", "$"].contains(name) { note(Variables.parse(name).key) }
        return ""
      }
    }
    for ref in plan.statementRefs {
      let statement = policies.documents[ref.document].statements[ref.statement]
      let patterns = statement.resources ?? statement.notResources ?? []
      if statement.variables { patterns.forEach(variables) }
      let applies =
        statement.notResources != nil
        || patterns.contains { pattern in
          Variables.hasVariable(pattern)
            || Glob.coversPrepared(Glob.literals(pattern), Glob.literals(facts.resource))
        }
      guard applies else { continue }
      for clause in statement.conditions {
        note(clause.key)
        if statement.variables { clause.values.forEach(variables) }
      }
    }
    return keys.values.sorted { $0.lowercased() < $1.lowercased() }
  }
}
