/// Reads the policy documents of one parsed policy file, checking them as
/// IAM does; a document that cannot be used is a `PolicyError` naming the
/// place (`Statement[2].Action[1]`). Templates resolve their intrinsic
/// functions with the binding (`PolicyReader+CloudFormation.swift`);
/// authorization details pick the principal's policies
/// (`PolicyReader+AuthorizationDetails.swift`).
struct PolicyReader {
  let path: String
  /// What `${AWS::AccountId}`, `${AWS::Region}` and `${AWS::Partition}` stand for in templates.
  let binding: PolicyBinding
  /// `--principal`: picks the role or user in authorization-details output.
  let principals: [String]
  var warnings: [PolicyWarning] = []
  /// A template's parameters with their defaults.
  var parameters: [String: PolicyValue] = [:]
  /// Reading a template's policies: a value no one can know before deployment has become `*`.
  var inTemplate = false
  /// The policy type the file's documents are (resource control policies may name `Principal: "*"`).
  var layer: PolicyLayer = .identity

  init(path: String, binding: PolicyBinding = .unknown, principals: [String] = []) {
    self.path = path
    self.binding = binding
    self.principals = principals
  }

  func fail(_ place: String, _ reason: String) -> PolicyError {
    PolicyError(path: path, place: place, reason: reason)
  }

  mutating func warn(_ place: String, _ message: String) {
    warnings.append(PolicyWarning(path: path, place: place, message: message))
  }

  func document(_ value: PolicyValue, name: String, place: String) throws(PolicyError) -> PolicyDocument {
    let at = { (sub: String) in place.isEmpty ? sub : "\(place).\(sub)" }
    guard let members = value.members else {
      throw fail(place, "a policy document must be an object, found \(value.kind)")
    }
    for (key, _) in members where !["Version", "Id", "Statement"].contains(key) {
      throw fail(at(key), "unknown field '\(key)' in a policy document")
    }
    var variables = false
    if let version = value["Version"] {
      switch version.string {
      case "2012-10-17": variables = true
      case "2008-10-17": variables = false
      default: throw fail(at("Version"), "Version must be \"2012-10-17\" or \"2008-10-17\"")
      }
    }
    let raw: [PolicyValue]
    switch value["Statement"] {
    case .array(let items)?: raw = items
    case .object?: raw = [value["Statement"]!]
    case nil: throw fail(place, "the policy has no Statement")
    case let other?: throw fail(at("Statement"), "Statement must be an object or an array, found \(other.kind)")
    }
    if raw.isEmpty { throw fail(at("Statement"), "Statement is empty: the policy grants nothing") }
    var statements: [PolicyStatement] = []
    for (i, item) in raw.enumerated() {
      let here = at(raw.count == 1 && value["Statement"]?.members != nil ? "Statement" : "Statement[\(i)]")
      statements.append(try statement(item, index: i, place: here, variables: variables))
    }
    // An organisation policy whose statements name a `Principal` is a resource control policy.
    var documentLayer = layer
    if case .organization(let level) = layer, raw.contains(where: { $0["Principal"] != nil }) {
      documentLayer = .resourceControl(level: level)
    }
    var document = PolicyDocument(name: name, path: path, statements: statements, layer: documentLayer)
    document.place = place
    return document
  }

  func statement(_ value: PolicyValue, index: Int, place: String, variables: Bool) throws(PolicyError)
    -> PolicyStatement
  {
    guard let members = value.members else { throw fail(place, "a statement must be an object, found \(value.kind)") }
    let known = ["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"]
    for (key, principal) in members where !known.contains(key) {
      // A resource control policy names every principal: `"Principal": "*"`.
      if case .organization = layer, key == "Principal", principal.string == "*" { continue }
      if key == "Principal" || key == "NotPrincipal" {
        throw fail("\(place).\(key)", "\(key) is not allowed in an identity-based policy")
      }
      throw fail("\(place).\(key)", "unknown field '\(key)' in a statement")
    }
    var sid: String? = nil
    if let s = value["Sid"] {
      guard let text = s.string else { throw fail("\(place).Sid", "Sid must be a string") }
      sid = text
    }
    let effect: PolicyStatement.Effect
    switch value["Effect"]?.string {
    case "Allow": effect = .allow
    case "Deny": effect = .deny
    case nil: throw fail(place, "the statement has no Effect")
    case let other?: throw fail("\(place).Effect", "Effect must be Allow or Deny, not '\(other)'")
    }
    let actions = try strings(value["Action"], "\(place).Action")
    let notActions = try strings(value["NotAction"], "\(place).NotAction")
    if actions != nil && notActions != nil { throw fail(place, "a statement cannot have both Action and NotAction") }
    guard let anyActions = actions ?? notActions else {
      throw fail(place, "the statement has no Action or NotAction")
    }
    let actionPlace = actions != nil ? "\(place).Action" : "\(place).NotAction"
    if anyActions.isEmpty { throw fail(actionPlace, "the list of actions is empty") }
    for (i, action) in anyActions.enumerated() where action != "*" {
      let parts = action.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.count == 2, !parts[0].isEmpty else {
        throw fail("\(actionPlace)[\(i)]", "action '\(action)' has no service prefix (expected service:Action)")
      }
      guard !parts[1].isEmpty else {
        throw fail("\(actionPlace)[\(i)]", "action '\(action)' has no action name after '\(parts[0]):'")
      }
    }
    let resources = try strings(value["Resource"], "\(place).Resource")
    let notResources = try strings(value["NotResource"], "\(place).NotResource")
    if resources != nil && notResources != nil {
      throw fail(place, "a statement cannot have both Resource and NotResource")
    }
    if resources == nil && notResources == nil { throw fail(place, "the statement has no Resource or NotResource") }
    let conditions = try self.conditions(value["Condition"], "\(place).Condition")
    return PolicyStatement(
      label: sid ?? "#\(index)", index: index, effect: effect, actions: actions, notActions: notActions,
      resources: resources, notResources: notResources, conditions: conditions, variables: variables)
  }

  /// `IpAddress` and `NotIpAddress`, with or without a set prefix or `IfExists`.
  static func isIPOperator(_ op: String) -> Bool {
    var base = Substring(op)
    for prefix in ["ForAnyValue:", "ForAllValues:"] where base.hasPrefix(prefix) { base = base.dropFirst(prefix.count) }
    if base.hasSuffix("IfExists") { base = base.dropLast("IfExists".count) }
    return base == "IpAddress" || base == "NotIpAddress"
  }

  /// `Condition`: operator → key → value or values, in the order written.
  func conditions(_ condition: PolicyValue?, _ place: String) throws(PolicyError) -> [ConditionClause] {
    guard let condition else { return [] }
    guard let operators = condition.members else { throw fail(place, "Condition must be an object") }
    var conditions: [ConditionClause] = []
    for (op, keys) in operators {
      guard let pairs = keys.members else { throw fail("\(place).\(op)", "must map condition keys to values") }
      guard Conditions.isKnown(op) else {
        throw fail("\(place).\(op)", "'\(op)' is not a condition operator IAM has")
      }
      for (key, raw) in pairs {
        let here = "\(place).\(op).\(key)"
        var values: [String] = []
        let items: [PolicyValue]
        if case .array(let list) = raw { items = list } else { items = [raw] }
        for (i, item) in items.enumerated() {
          guard let text = item.scalarText else {
            let at = raw.isArray ? "\(here)[\(i)]" : here
            throw fail(at, "a condition value must be a string, number or boolean, found \(item.kind)")
          }
          values.append(text)
        }
        // In a template, `*` stands for a parameter or attribute not known yet (with a warning): evaluated as unknown.
        if Self.isIPOperator(op), let bad = values.first(where: { IPNetwork($0) == nil && !(inTemplate && $0 == "*") })
        {
          throw fail(here, "'\(bad)' is not an IP address or CIDR range")
        }
        conditions.append(ConditionClause(op: op, key: key, values: values))
      }
    }
    return conditions
  }

  func strings(_ value: PolicyValue?, _ place: String) throws(PolicyError) -> [String]? {
    guard let value else { return nil }
    switch value {
    case .string(let s): return [s]
    case .array(let items):
      var out: [String] = []
      for (i, item) in items.enumerated() {
        guard let s = item.string else { throw fail("\(place)[\(i)]", "expected a string, found \(item.kind)") }
        out.append(s)
      }
      return out
    default:
      throw fail(place, "expected a string or an array of strings, found \(value.kind)")
    }
  }
}
