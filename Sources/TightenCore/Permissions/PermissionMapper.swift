/// One permission a call needed: an action on a resource, refused or not.
public struct MappedPermission: Hashable, Sendable, CustomStringConvertible {
  public var action: String
  public var resource: String
  public var denied: Bool
  /// For an implied `iam:PassRole`: the service the role was handed to.
  public var passedTo: String

  public init(action: String, resource: String, denied: Bool = false, passedTo: String = "") {
    self.action = action
    self.resource = resource
    self.denied = denied
    self.passedTo = passedTo
  }

  public var description: String {
    "\(action) \(resource)" + (denied ? " denied" : "") + (passedTo.isEmpty ? "" : " to \(passedTo)")
  }
}

/// What an (event source, event name) pair means, worked out once per pair.
struct CallPlan: Sendable {
  enum Kind: Sendable {
    case unmapped(reason: String)
    case noPermission
    case actions([PlannedAction])
    case apiGateway([Catalog.ApiGatewayRoute])
  }

  struct PlannedAction: Sendable {
    var action: Catalog.Action
    var hint: String?
    /// The resource types to try, required first, with where each variable is found.
    var candidates: [ResolverPlan.Candidate] = []
    var required: Int = 0
    var service: String = ""
  }

  var kind: Kind
  var passRoles: [(path: JSONLookup.Path, service: String)] = []
  /// An explicit resource pattern from the data (`…:role/aws-service-role/{aWSServiceName}/*`).
  var resourcePattern: String? = nil

  var needsNoPermission: Bool {
    if case .noPermission = kind { return true }
    return false
  }
}

/// Turns CloudTrail calls into the IAM permissions they needed, from the
/// catalogue's data: the service prefix of the event source, the action
/// (version suffixes removed, renamed operations looked up, calls that need
/// several actions expanded), the resource each is authorised against, the
/// permission a refusal names, and the `iam:PassRole` a call implies.
public struct PermissionMapper: Sendable {
  public let catalog: Catalog

  public init(catalog: Catalog = .shared) {
    self.catalog = catalog
  }

  // MARK: - Actions

  func plan(source: String, event rawName: String) -> CallPlan {
    let name = Self.stripVersionSuffix(rawName)
    var plan = plainPlan(source: source, name: name)
    if let roles = catalog.passRoles["\(source) \(name)"] {
      plan.passRoles = roles.map { (JSONLookup.Path($0.path), $0.service) }
    }
    plan.resourcePattern = catalog.resourcePatterns["\(source) \(name)"]
    return plan
  }

  private func plainPlan(source: String, name: String) -> CallPlan {
    if source.isEmpty || name.isEmpty { return CallPlan(kind: .unmapped(reason: "no event source or name")) }
    if let targets = catalog.curated["\(source) \(name)"] {
      if targets.isEmpty { return CallPlan(kind: .noPermission) }
      return CallPlan(
        kind: .actions(
          targets.compactMap { t in
            catalog.action(t.action).map { planned($0, hint: t.hint) }
          }))
    }
    guard let prefix = catalog.prefix(forEventSource: source) else {
      return CallPlan(kind: .unmapped(reason: "unknown event source"))
    }
    if prefix == "apigateway", let routes = catalog.apiGatewayRoutes[name] {
      return CallPlan(kind: .apiGateway(routes))
    }
    if let action = catalog.action(prefix: prefix, name: name) {
      return CallPlan(kind: .actions([planned(action, hint: nil)]))
    }
    if let renamed = catalog.renames["\(prefix):\(name)"] {
      let actions = renamed.compactMap { catalog.action($0) }
      if !actions.isEmpty { return CallPlan(kind: .actions(actions.map { planned($0, hint: nil) })) }
    }
    return CallPlan(kind: .unmapped(reason: "no IAM action \(prefix):\(name) in the catalogue"))
  }

  private func planned(_ action: Catalog.Action, hint: String?) -> CallPlan.PlannedAction {
    let required = action.resourceTypes.filter(\.required)
    var ordered = required + action.resourceTypes.filter { !$0.required }
    let service = String(action.name.prefix { $0 != ":" })
    if let preferred = catalog.preferredTypes[service],
      let at = ordered.firstIndex(where: { $0.type.name.lowercased() == preferred })
    {
      ordered.insert(ordered.remove(at: at), at: required.count > 0 ? min(at, required.count) : 0)
    }
    let candidates = ordered.map { entry in
      ResolverPlan.Candidate(
        type: entry.type,
        templates: entry.type.templates.map { template in
          ResolverPlan.TemplatePlan(
            template: template,
            variables: template.variables.map { variable in
              var paths = catalog.parameterPaths[variable] ?? []
              let camel = variable.prefix(1).lowercased() + variable.dropFirst()
              var guesses = [camel, variable] + (catalog.parameterPaths["*"] ?? [])
              for (key, fallback) in catalog.parameterPaths where key.count > 1 && key.hasPrefix("*") {
                if template.variables.count == 1 && variable.hasSuffix(key.dropFirst()) { guesses += fallback }
              }
              for guess in guesses where !paths.contains(guess) { paths.append(guess) }
              return ResolverPlan.VariablePlan(name: variable, paths: paths.map(JSONLookup.Path.init))
            })
        })
    }
    return CallPlan.PlannedAction(
      action: action, hint: hint, candidates: candidates, required: required.count, service: service)
  }

  /// Removes a date-shaped API version suffix: `CreateFunction20150331`,
  /// `GetFunction20150331v2`, `CreateDistribution2020_05_31`. Names that just
  /// end in letters and digits (`CreateEnvironmentEC2`) are left alone.
  public static func stripVersionSuffix(_ name: String) -> String {
    let bytes = Array(name.utf8)
    var end = bytes.count
    var i = end
    while i > 0 && isDigit(bytes[i - 1]) { i -= 1 }
    if i < end && i > 0 && bytes[i - 1] == 0x76 { end = i - 1 }  // v2
    func digits(_ from: Int, _ count: Int) -> Bool {
      from >= 0 && from + count <= end && (from..<(from + count)).allSatisfy { isDigit(bytes[$0]) }
    }
    func number(_ from: Int, _ count: Int) -> Int {
      bytes[from..<(from + count)].reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
    func plausible(_ y: Int, _ m: Int, _ d: Int) -> Bool {
      (1990...2099).contains(y) && (1...12).contains(m) && (1...31).contains(d)
    }
    if end > 10, digits(end - 10, 4), bytes[end - 6] == 0x5F, digits(end - 5, 2), bytes[end - 3] == 0x5F,
      digits(end - 2, 2), plausible(number(end - 10, 4), number(end - 5, 2), number(end - 2, 2))
    {
      return String(decoding: bytes[0..<(end - 10)], as: UTF8.self)
    }
    if end > 8, digits(end - 8, 8), !isDigit(bytes[end - 9]),
      plausible(number(end - 8, 4), number(end - 4, 2), number(end - 2, 2))
    {
      return String(decoding: bytes[0..<(end - 8)], as: UTF8.self)
    }
    return name
  }

  // MARK: - Permissions of one call

  /// What the request gives for building ARNs.
  struct Request {
    var parameters: UnsafeBufferPointer<UInt8>
    var recordArns: [UnsafeBufferPointer<UInt8>]
    var region: String
    var account: String
    var partition: String
    /// The call maps to several actions (the record's resources may belong to either).
    var several = false

    func values(_ path: JSONLookup.Path) -> [String] {
      parameters.count == 0 ? [] : JSONLookup.strings(in: parameters, at: path)
    }

    static let copySource = JSONLookup.Path("x-amz-copy-source")

    static func arnPaths(_ catalog: Catalog) -> [JSONLookup.Path] {
      (catalog.parameterPaths["*"] ?? []).map(JSONLookup.Path.init)
    }
    static let statementPaths = ["statement", "statements[].statement", "transactStatements[].statement"]
      .map(JSONLookup.Path.init)
    static let rolePath = JSONLookup.Path("path")
  }

  func permissions(
    _ plan: CallPlan, _ e: borrowing EventView, into out: inout [MappedPermission]
  ) {
    resolve(plan, e, into: &out)
    applyDenial(plan, e, to: &out)
  }

  /// The permissions before any refusal is applied: depends only on the plan,
  /// the request parameters, the region and account, and the record's resources.
  func resolve(_ plan: CallPlan, _ e: borrowing EventView, into out: inout [MappedPermission]) {
    let region = e.string(e.awsRegion) ?? ""
    let account = e.string(e.recipientAccountId) ?? e.string(e.identityAccountId) ?? ""
    let request = Request(
      parameters: e.bytes(e.requestParameters), recordArns: e.resources.map { e.bytes($0.arn) },
      region: region, account: account, partition: partition(forRegion: region))
    switch plan.kind {
    case .unmapped, .noPermission:
      return
    case .actions(let actions):
      var request = request
      request.several = actions.count > 1
      let explicit = plan.resourcePattern.flatMap { fill($0, request) }
      for planned in actions {
        let found = explicit.map { [$0] } ?? withSuffix(resources(planned, request), planned)
        if planned.hint == "partiql" && found.isEmpty { continue }  // no statement of this verb
        for resource in found {
          out.append(MappedPermission(action: planned.action.name, resource: resource))
        }
      }
    case .apiGateway(let routes):
      out.append(apiGateway(routes, request))
    }
    for role in plan.passRoles {
      for arn in JSONLookup.strings(in: request.parameters, at: role.path) where isRoleArn(arn) {
        out.append(MappedPermission(action: "iam:PassRole", resource: arn, passedTo: role.service))
      }
    }
  }

  /// Marks what a refused call was refused for.
  func applyDenial(_ plan: CallPlan, _ e: borrowing EventView, to out: inout [MappedPermission]) {
    let code = e.bytes(e.errorCode)
    guard code.count > 0, isDenied(code) else { return }
    markDenied(&out, named: deniedPermission(message: e.string(e.errorMessage)), plan: plan)
  }

  func isDenied(_ code: UnsafeBufferPointer<UInt8>) -> Bool {
    catalog.isDeniedCode(String(decoding: code, as: UTF8.self))
  }

  private func isRoleArn(_ s: String) -> Bool {
    s.hasPrefix("arn:") && s.contains(":role/")
  }

  // MARK: - Denials

  /// The action and resource an AccessDenied message names, if it names them
  /// and the action is a real one.
  public func deniedPermission(message: String?) -> (action: String, resource: String?)? {
    guard let message,
      let at = message.firstRange(of: "not authorized to perform: ")
        ?? message.firstRange(of: "not authorized to perform ")
    else { return nil }
    let rest = message[at.upperBound...]
    let token = rest.prefix { !$0.isWhitespace && $0 != "," && $0 != ";" }
    var actionText = String(token)
    while actionText.hasSuffix(".") { actionText.removeLast() }
    guard let action = catalog.action(actionText) else { return nil }
    var resource: String? = nil
    if let on = rest.firstRange(of: " on resource: ") ?? rest.firstRange(of: " on resource ") {
      let tail = rest[on.upperBound...]
      var value = String(tail.prefix { !$0.isWhitespace })
      while value.hasSuffix(".") || value.hasSuffix(",") { value.removeLast() }
      if !value.isEmpty { resource = value }
    }
    return (action.name, resource)
  }

  func markDenied(
    _ out: inout [MappedPermission], named: (action: String, resource: String?)?, plan: CallPlan
  ) {
    guard let named else {
      for i in out.indices where out[i].action != "iam:PassRole" { out[i].denied = true }
      return
    }
    let same = out.indices.filter { out[$0].action == named.action }
    if let resource = named.resource {
      if let exact = same.first(where: { out[$0].resource == resource }) {
        out[exact].denied = true
        return
      }
      if same.count == 1 {
        // AWS says what it evaluated: trust the message's resource.
        out[same[0]].resource = resource
        out[same[0]].denied = true
        return
      }
    } else if !same.isEmpty {
      for i in same { out[i].denied = true }
      return
    }
    let passedTo = named.action == "iam:PassRole" ? (plan.passRoles.first?.service ?? "") : ""
    out.append(
      MappedPermission(action: named.action, resource: named.resource ?? "*", denied: true, passedTo: passedTo))
  }

  // MARK: - Resources

  /// The ARNs an action is authorised against for this request: `*` when the
  /// action has no resource type or nothing about it is known.
  func resources(_ planned: CallPlan.PlannedAction, _ r: Request) -> [String] {
    if planned.candidates.isEmpty { return ["*"] }
    if planned.hint == "copy-source", let source = r.values(Request.copySource).first {
      return [copySourceArn(source, r)]
    }
    if planned.hint == "partiql" { return partiQLResources(planned, r) }
    if planned.required > 1 {
      // Several required types are either alternatives (dynamodb:TagResource on
      // a table or a stream, named by its ARN) or all authorised
      // (ec2:RunInstances: the image, subnet, instance…): an ARN the request or
      // record names picks the alternative; else one row for each type.
      let requiredTypes = planned.candidates.prefix(planned.required)
      var named: [String] = []
      for path in Request.arnPaths(catalog) {
        for value in r.values(path) where value.hasPrefix("arn:") {
          if requiredTypes.contains(where: { $0.templates.contains { $0.template.matches(value) } }) {
            named.append(value)
          }
        }
      }
      if named.isEmpty, let fromRecord = recordResources(planned, r) { named = fromRecord }
      if named.isEmpty && catalog.allRequired.contains(planned.service) {
        named = requiredTypes.compactMap { build($0, r, allowPartial: true, planned: planned, required: true) }
          .flatMap { $0 }
      }
      if !named.isEmpty { return Array(Set(named)).sorted() }
    }
    // The record's own resources are what AWS says the call touched; a copy's
    // record names both objects, so calls with a hinted source build from the request.
    let recordFirst = planned.hint == nil && !r.recordArns.isEmpty && !r.several
    if recordFirst, let fromRecord = recordResources(planned, r) { return fromRecord }
    for candidate in planned.candidates {
      // A template without variables fits anything: only the last resort.
      if let full = build(candidate, r, allowPartial: false, planned: planned, fixedToo: planned.candidates.count == 1)
      {
        return full
      }
    }
    if !recordFirst, let fromRecord = recordResources(planned, r) { return fromRecord }
    for (i, candidate) in planned.candidates.enumerated() {
      if let partial = build(candidate, r, allowPartial: true, planned: planned, required: i < planned.required) {
        return partial
      }
    }
    return ["*"]
  }

  /// A data pattern with `{partition}`, `{region}`, `{account}` and `{parameter}` filled; nil when a part is unknown.
  func fill(_ pattern: String, _ r: Request) -> String? {
    var out = ""
    var rest = Substring(pattern)
    while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
      out += rest[..<open]
      let name = String(rest[rest.index(after: open)..<close])
      switch name {
      case "partition": out += r.partition
      case "region": out += r.region
      case "account": out += r.account
      default:
        guard let value = r.values(JSONLookup.Path(name)).first, !value.isEmpty else { return nil }
        out += value
      }
      rest = rest[rest.index(after: close)...]
    }
    return out + rest
  }

  /// ARNs in the form the service evaluates (`log-group:NAME` → `log-group:NAME:*`).
  func withSuffix(_ arns: [String], _ planned: CallPlan.PlannedAction) -> [String] {
    guard let rules = catalog.arnSuffixes[planned.service] else { return arns }
    let action = String(planned.action.name.drop { $0 != ":" }.dropFirst())
    return arns.map { arn in
      for rule in rules where !rule.except.contains(action) && !arn.hasSuffix(rule.suffix) {
        if planned.candidates.contains(where: {
          $0.type.name == rule.type && $0.templates.contains { $0.template.matches(arn) }
        }) {
          return arn + rule.suffix
        }
      }
      return arn
    }
  }

  /// For a call with one action and no hint: the record's resources of the
  /// action's types, as bytes, when there are any (the common case of data
  /// events, which name their object, table or function).
  func recordResourceFast(_ plan: CallPlan, _ e: borrowing EventView, into out: inout [UnsafeBufferPointer<UInt8>])
    -> Bool
  {
    guard case .actions(let actions) = plan.kind, actions.count == 1, plan.passRoles.isEmpty,
      plan.resourcePattern == nil
    else { return false }
    let planned = actions[0]
    if catalog.arnSuffixes[planned.service] != nil { return false }
    guard planned.hint == nil, planned.required <= 1, !planned.candidates.isEmpty else { return false }
    for ref in e.resources {
      let arn = e.bytes(ref.arn)
      guard arn.count > 0 else { continue }
      if planned.candidates.contains(where: { $0.templates.contains { $0.template.matches(arn) } }),
        !out.contains(where: { compareBytes($0, arn) == 0 })
      {
        out.append(arn)
      }
    }
    return !out.isEmpty
  }

  /// The tables of the statements whose verb is this action's
  /// (`dynamodb:PartiQLSelect` for `SELECT … FROM "Orders"`); none when no statement has it.
  private func partiQLResources(_ planned: CallPlan.PlannedAction, _ r: Request) -> [String] {
    let verb = planned.action.name.dropFirst("dynamodb:PartiQL".count).uppercased()
    var tables: [String] = []
    for path in Request.statementPaths {
      for statement in r.values(path) {
        guard let parsed = Self.partiQL(statement), parsed.verb == verb else { continue }
        let arn = "arn:\(r.partition):dynamodb:\(r.region):\(r.account):table/\(parsed.table)"
        if !tables.contains(arn) { tables.append(arn) }
      }
    }
    return tables
  }

  /// The verb and table of a PartiQL statement: `SELECT * FROM "Orders"."ByDate" WHERE …` → (SELECT, Orders).
  static func partiQL(_ statement: String) -> (verb: String, table: String)? {
    let words = statement.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
    guard let first = words.first else { return nil }
    let verb = first.uppercased()
    let marker: String
    switch verb {
    case "SELECT", "DELETE": marker = "FROM"
    case "INSERT": marker = "INTO"
    case "UPDATE": marker = "UPDATE"
    default: return nil
    }
    guard let at = words.firstIndex(where: { $0.uppercased() == marker }), at + 1 < words.count else { return nil }
    var name = Substring(words[at + 1])
    if name.hasPrefix("\"") {
      name = name.dropFirst()
      name = name.prefix { $0 != "\"" }
    } else {
      name = name.prefix { $0 != "." && $0 != ";" }
    }
    return name.isEmpty ? nil : (verb, String(name))
  }

  private func recordResources(_ planned: CallPlan.PlannedAction, _ r: Request) -> [String]? {
    var found: [String] = []
    for arn in r.recordArns
    where planned.candidates.contains(where: { $0.templates.contains { $0.template.matches(arn) } }) {
      let text = String(decoding: arn, as: UTF8.self)
      if !found.contains(text) { found.append(text) }
    }
    return found.isEmpty ? nil : found.sorted()
  }

  /// Builds the type's ARN from the request: all of it, or with `*` for what
  /// is not known when `allowPartial` (and at least one value is known).
  private func build(
    _ candidate: ResolverPlan.Candidate, _ r: Request, allowPartial: Bool, planned: CallPlan.PlannedAction,
    fixedToo: Bool = false, required: Bool = false
  ) -> [String]? {
    for plan in candidate.templates {
      let template = plan.template
      if plan.variables.isEmpty && !fixedToo && !allowPartial { continue }
      var values: [String: String] = [:]
      var many: (name: String, values: [String])? = nil
      var missing = false
      var region = r.region
      var account = r.account
      for variable in plan.variables {
        switch lookup(variable, template, r, &region, &account, type: candidate.type.name, service: planned.service) {
        case .arn(let arns):
          return arns
        case .values(let vs) where !vs.isEmpty:
          values[variable.name] = vs[0]
          if vs.count > 1 && many == nil { many = (variable.name, vs) }
        default:
          missing = true
        }
      }
      // A partial ARN says something only when a value is known, or, for a type
      // the call requires (`vpc/*` for a VPC being created), its account or region.
      let placed =
        !values.isEmpty
        || (required
          && ((template.text.contains("${Account}") && !account.isEmpty)
            || (template.text.contains("${Region}") && !region.isEmpty)))
      if missing && (!allowPartial || !placed) { continue }
      let p = partition(forRegion: region)
      if let many {
        return many.values.map { v in
          var vs = values
          vs[many.name] = v
          return template.build(partition: p, region: region, account: account, values: vs)
        }
      }
      return [template.build(partition: p, region: region, account: account, values: values)]
    }
    return nil
  }

  private enum Found {
    case arn([String])
    case values([String])
    case none
  }

  private func lookup(
    _ plan: ResolverPlan.VariablePlan, _ template: ArnTemplate, _ r: Request, _ region: inout String,
    _ account: inout String, type: String, service: String
  ) -> Found {
    let variable = plan.name
    let preferred = catalog.preferredTypes[service]
    let prefixed = catalog.identifierPrefixes[service] ?? []
    for path in plan.paths {
      let found = r.values(path)
      if found.isEmpty { continue }
      var plain: [String] = []
      var arns: [String] = []
      for raw in found {
        var value = raw
        if value.hasPrefix("arn:") {
          if template.matches(value) { arns.append(value) }
          continue
        }
        if value.hasPrefix("https://"), variable == "QueueName", let queue = Self.queueURL(value) {
          region = queue.region.isEmpty ? region : queue.region
          account = queue.account
          value = queue.name
        }
        if variable == "ParameterNameWithoutLeadingSlash", value.hasPrefix("/") { value.removeFirst() }
        if let prefix = catalog.strippedPrefixes[variable], value.hasPrefix(prefix) { value.removeFirst(prefix.count) }
        if variable.hasSuffix("WithPath"), let path = r.values(Request.rolePath).first, path.count > 1 {
          value = String(path.dropFirst()) + value  // "/svc/" + "name" → "svc/name"
        }
        if variable == "SecretId" { value += "-??????" }  // Secrets Manager appends six random characters
        if variable == "KeyId" && (value.contains("/") || value.contains(":")) { continue }  // an alias, not a key id
        if variable.hasSuffix("Id") && variable != "SecretId" && value.contains("/") { continue }  // ids hold no slash
        if let preferred {
          // A bare identifier is of the preferred type, or of the type its prefix names.
          let owner = prefixed.first { rule in rule.prefixes.contains { value.hasPrefix($0) } }?.type ?? preferred
          if owner != type.lowercased() { continue }
        }
        if value.isEmpty { continue }
        plain.append(value)
      }
      if !arns.isEmpty { return .arn(arns) }
      if !plain.isEmpty { return .values(plain) }
    }
    return .none
  }

  /// `https://sqs.us-east-1.amazonaws.com/111122223333/jobs` → region, account and name.
  static func queueURL(_ url: String) -> (region: String, account: String, name: String)? {
    let parts = url.dropFirst("https://".count).split(separator: "/")
    guard parts.count >= 3 else { return nil }
    let host = parts[0].split(separator: ".")
    var region = ""
    if host.count >= 4, host[0] == "sqs" { region = String(host[1]) }
    if host.count >= 4, host[1] == "queue" { region = String(host[0]) }
    return (region, String(parts[1]), String(parts[2]))
  }

  /// The source object of an S3 copy: `bucket/key[?versionId=…]`, URL-encoded.
  private func copySourceArn(_ source: String, _ r: Request) -> String {
    var s = Substring(source)
    if s.hasPrefix("/") { s = s.dropFirst() }
    if let q = s.firstIndex(of: "?") { s = s[..<q] }
    return "arn:\(r.partition):s3:::" + percentDecoded(String(s))
  }

  // MARK: - API Gateway

  /// API Gateway management is authorised by HTTP verb on the API's path.
  private func apiGateway(_ routes: [Catalog.ApiGatewayRoute], _ r: Request) -> MappedPermission {
    var best: (route: Catalog.ApiGatewayRoute, path: String, missing: Int)? = nil
    for route in routes {
      var path = ""
      var missing = 0
      var rest = Substring(route.path)
      while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
        path += rest[..<open]
        let name = String(rest[rest.index(after: open)..<close])
        if let value = r.values(JSONLookup.Path(name)).first, !value.isEmpty {
          path += value
        } else {
          path += "*"
          missing += 1
        }
        rest = rest[rest.index(after: close)...]
      }
      path += rest
      if best == nil || missing < best!.missing { best = (route, path, missing) }
    }
    guard let best else { return MappedPermission(action: "apigateway:GET", resource: "*") }
    let arn = "arn:\(r.partition):apigateway:\(r.region.isEmpty ? "*" : r.region)::\(best.path)"
    return MappedPermission(action: "apigateway:\(best.route.verb)", resource: arn)
  }
}

@inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

/// `%2F` → `/`; other text unchanged.
func percentDecoded(_ s: String) -> String {
  guard s.contains("%") else { return s }
  var out: [UInt8] = []
  let bytes = Array(s.utf8)
  var i = 0
  func hex(_ b: UInt8) -> UInt8? {
    switch b {
    case 0x30...0x39: b - 0x30
    case 0x41...0x46: b - 0x41 + 10
    case 0x61...0x66: b - 0x61 + 10
    default: nil
    }
  }
  while i < bytes.count {
    if bytes[i] == 0x25, i + 2 < bytes.count, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) {
      out.append(h << 4 | l)
      i += 3
    } else {
      out.append(bytes[i])
      i += 1
    }
  }
  return String(decoding: out, as: UTF8.self)
}

/// How to find a resource for an action, worked out once per (event source, event name).
enum ResolverPlan {
  struct VariablePlan: Sendable {
    var name: String
    var paths: [JSONLookup.Path]
  }

  struct TemplatePlan: Sendable {
    var template: ArnTemplate
    var variables: [VariablePlan]
  }

  struct Candidate: Sendable {
    var type: Catalog.ResourceType
    var templates: [TemplatePlan]
  }
}
