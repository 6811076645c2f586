import Foundation

/// Reads the declared policies of one principal from `--policy` files: IAM
/// policy documents, CloudFormation/CDK templates (JSON or YAML), and
/// `aws iam get-account-authorization-details` output.
///
/// Documents are checked as IAM checks them; a file that cannot be used is a
/// `PolicyError` naming the place (`Statement[2].Action[1]`, `line 4, column 7`).
public struct PolicyLoader: Sendable {
  /// `--principal`: picks the role or user in authorization-details output.
  public var principals: [String]
  /// What `${AWS::AccountId}`, `${AWS::Region}` and `${AWS::Partition}` stand for in templates (nil: `*`).
  public var account: String?
  public var region: String?

  public init(principals: [String] = [], account: String? = nil, region: String? = nil) {
    self.principals = principals
    self.account = account
    self.region = region
  }

  public func load(_ paths: [String]) throws(PolicyError) -> PolicySet {
    var set = PolicySet()
    for path in paths {
      let (documents, warnings) = try loadFile(path)
      set.documents += documents
      set.warnings += warnings
    }
    return set
  }

  /// Reads policy text already in memory (`name` stands for its file).
  public func load(text: String, name: String) throws(PolicyError) -> PolicySet {
    let (documents, warnings) = try parse(text, path: name)
    return PolicySet(documents: documents, warnings: warnings)
  }

  func loadFile(_ path: String) throws(PolicyError) -> ([PolicyDocument], [PolicyWarning]) {
    let text: String
    do {
      let data = try Data(contentsOf: URL(fileURLWithPath: path))
      guard let decoded = String(data: data, encoding: .utf8) else {
        throw PolicyError(path: path, place: "", reason: "the file is not UTF-8 text")
      }
      text = decoded
    } catch let error as PolicyError {
      throw error
    } catch {
      let reason = (error as NSError).localizedFailureReason ?? "cannot be read"
      throw PolicyError(path: path, place: "", reason: "cannot read the file (\(reason))")
    }
    return try parse(text, path: path)
  }

  func parse(_ text: String, path: String) throws(PolicyError) -> ([PolicyDocument], [PolicyWarning]) {
    let name = URL(fileURLWithPath: path).lastPathComponent
    let lower = name.lowercased()
    let value: PolicyValue
    let trimmed = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
    if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") || !(trimmed.hasPrefix("{") || trimmed.hasPrefix("[")) {
      value = try PolicyValue.parseYAML(text, path: path)
    } else {
      value = try PolicyValue.parseJSON(text, path: path)
    }
    var context = Context(path: path, loader: self)
    if value["Statement"] != nil || value["Version"] != nil {
      return ([try context.document(value, name: name, place: "")], context.warnings)
    }
    if value["Resources"] != nil || value["AWSTemplateFormatVersion"] != nil {
      return (try context.template(value, name: name), context.warnings)
    }
    if value["RoleDetailList"] != nil || value["UserDetailList"] != nil || value["GroupDetailList"] != nil {
      return (try context.authorizationDetails(value, name: name), context.warnings)
    }
    if case .object = value {
      throw PolicyError(
        path: path, place: "",
        reason:
          "not an IAM policy (no Statement), a CloudFormation template (no Resources) or get-account-authorization-details output"
      )
    }
    throw PolicyError(path: path, place: "", reason: "expected a JSON or YAML object, found \(value.kind)")
  }

  struct Context {
    let path: String
    let loader: PolicyLoader
    var warnings: [PolicyWarning] = []
    var parameters: [String: PolicyValue] = [:]

    init(path: String, loader: PolicyLoader) {
      self.path = path
      self.loader = loader
    }

    func fail(_ place: String, _ reason: String) -> PolicyError {
      PolicyError(path: path, place: place, reason: reason)
    }

    mutating func warn(_ place: String, _ message: String) {
      warnings.append(PolicyWarning(path: path, place: place, message: message))
    }

    // MARK: Documents

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
      return PolicyDocument(name: name, path: path, statements: statements)
    }

    func statement(_ value: PolicyValue, index: Int, place: String, variables: Bool) throws(PolicyError)
      -> PolicyStatement
    {
      guard let members = value.members else { throw fail(place, "a statement must be an object, found \(value.kind)") }
      let known = ["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"]
      for (key, _) in members where !known.contains(key) {
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
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
          throw fail("\(actionPlace)[\(i)]", "action '\(action)' has no service prefix (expected service:Action)")
        }
      }
      let resources = try strings(value["Resource"], "\(place).Resource")
      let notResources = try strings(value["NotResource"], "\(place).NotResource")
      if resources != nil && notResources != nil {
        throw fail(place, "a statement cannot have both Resource and NotResource")
      }
      if resources == nil && notResources == nil { throw fail(place, "the statement has no Resource or NotResource") }
      var conditions: [ConditionClause] = []
      if let condition = value["Condition"] {
        guard let operators = condition.members else { throw fail("\(place).Condition", "Condition must be an object") }
        for (op, keys) in operators {
          guard let pairs = keys.members else {
            throw fail("\(place).Condition.\(op)", "must map condition keys to values")
          }
          for (key, raw) in pairs {
            let values: [String]
            switch raw {
            case .array(let items): values = items.compactMap(\.scalarText)
            default:
              guard let text = raw.scalarText else {
                throw fail("\(place).Condition.\(op).\(key)", "a condition value must be a string, number or boolean")
              }
              values = [text]
            }
            conditions.append(ConditionClause(op: op, key: key, values: values))
          }
        }
      }
      return PolicyStatement(
        label: sid ?? "#\(index)", index: index, effect: effect, actions: actions, notActions: notActions,
        resources: resources, notResources: notResources, conditions: conditions, variables: variables)
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

    // MARK: CloudFormation

    mutating func template(_ value: PolicyValue, name: String) throws(PolicyError) -> [PolicyDocument] {
      for (key, parameter) in value["Parameters"]?.members ?? [] {
        if let fallback = parameter["Default"] { parameters[key] = fallback }
      }
      guard let resources = value["Resources"]?.members else {
        throw fail("Resources", "a template's Resources must be an object")
      }
      var documents: [PolicyDocument] = []
      for (logicalId, resource) in resources {
        let place = "Resources.\(logicalId)"
        let type = resource["Type"]?.string ?? ""
        let properties = resource["Properties"]
        if resource["Condition"] != nil && type.hasPrefix("AWS::IAM::") {
          warn(place, "conditional resource read as if its condition held")
        }
        switch type {
        case "AWS::IAM::ManagedPolicy", "AWS::IAM::Policy", "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy",
          "AWS::IAM::GroupPolicy":
          guard let doc = properties?["PolicyDocument"] else { throw fail(place, "\(type) without a PolicyDocument") }
          let resolved = resolve(doc, "\(place).Properties.PolicyDocument")
          documents.append(
            try document(resolved, name: "\(name):\(logicalId)", place: "\(place).Properties.PolicyDocument"))
        case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
          guard case .array(let inline)? = properties?["Policies"] else { continue }
          for (i, policy) in inline.enumerated() {
            let policyPlace = "\(place).Properties.Policies[\(i)]"
            guard let doc = policy["PolicyDocument"] else {
              throw fail(policyPlace, "a policy without a PolicyDocument")
            }
            let policyName = resolve(policy["PolicyName"] ?? .string("\(i)"), policyPlace).string ?? "\(i)"
            let resolved = resolve(doc, "\(policyPlace).PolicyDocument")
            documents.append(
              try document(resolved, name: "\(name):\(logicalId)/\(policyName)", place: "\(policyPlace).PolicyDocument")
            )
          }
        default:
          continue
        }
      }
      if documents.isEmpty {
        throw fail(
          "Resources", "the template declares no IAM policy (AWS::IAM::ManagedPolicy, Policy, or Role Policies)")
      }
      return documents
    }

    /// Replaces intrinsic functions by what the trail tells; what it cannot tell becomes `*`, with a warning.
    mutating func resolve(_ value: PolicyValue, _ place: String) -> PolicyValue {
      switch value {
      case .array(let items):
        var out: [PolicyValue] = []
        for item in items {
          let r = resolve(item, place)
          if case .array(let inner) = r, isIntrinsic(item) { out += inner } else { out.append(r) }
        }
        return .array(out)
      case .object(let members):
        if members.count == 1, let (key, argument) = members.first, key == "Ref" || key.hasPrefix("Fn::") {
          return intrinsic(key, argument, place)
        }
        return .object(members.map { ($0.0, resolve($0.1, "\(place).\($0.0)")) })
      default:
        return value
      }
    }

    func isIntrinsic(_ value: PolicyValue) -> Bool {
      guard let members = value.members, members.count == 1 else { return false }
      return members[0].0 == "Ref" || members[0].0.hasPrefix("Fn::")
    }

    mutating func pseudo(_ name: String, _ place: String) -> String? {
      switch name {
      case "AWS::AccountId":
        if let account = loader.account { return account }
        warn(place, "${AWS::AccountId} read as * (the trail names no single account)")
        return "*"
      case "AWS::Region":
        if let region = loader.region { return region }
        warn(place, "${AWS::Region} read as * (the trail names no single region)")
        return "*"
      case "AWS::Partition":
        return loader.region.map(partition(forRegion:)) ?? "aws"
      case "AWS::URLSuffix":
        return "amazonaws.com"
      case "AWS::StackName", "AWS::StackId", "AWS::NotificationARNs", "AWS::NoValue":
        warn(place, "\(name) read as *")
        return "*"
      default:
        return nil
      }
    }

    mutating func reference(_ name: String, _ place: String) -> String {
      if let value = pseudo(name, place) { return value }
      if let fallback = parameters[name], let text = fallback.scalarText { return text }
      warn(place, "Ref \(name) is not known before deployment; read as *")
      return "*"
    }

    mutating func intrinsic(_ function: String, _ argument: PolicyValue, _ place: String) -> PolicyValue {
      switch function {
      case "Ref":
        return .string(reference(argument.string ?? "", place))
      case "Fn::Sub":
        var template = ""
        var variables: [String: PolicyValue] = [:]
        if case .string(let s) = argument {
          template = s
        } else if case .array(let items) = argument, items.count == 2, let s = items[0].string {
          template = s
          for (k, v) in items[1].members ?? [] { variables[k] = resolve(v, place) }
        }
        return .string(substitute(template, variables, place))
      case "Fn::Join":
        guard case .array(let items) = argument, items.count == 2, let delimiter = items[0].string else { break }
        let parts = resolve(items[1], place)
        guard case .array(let values) = parts else { break }
        return .string(values.map { $0.scalarText ?? "*" }.joined(separator: delimiter))
      case "Fn::Select":
        guard case .array(let items) = argument, items.count == 2, let index = Int(items[0].scalarText ?? ""),
          case .array(let list) = resolve(items[1], place), index >= 0, index < list.count
        else { break }
        return list[index]
      case "Fn::Split":
        guard case .array(let items) = argument, items.count == 2, let delimiter = items[0].string,
          let text = resolve(items[1], place).string
        else { break }
        return .array(text.components(separatedBy: delimiter).map(PolicyValue.string))
      default:
        break
      }
      warn(place, "\(function) is not known before deployment; read as *")
      return .string("*")
    }

    /// `arn:${AWS::Partition}:s3:::${Bucket}/*` with what is known; `${!Literal}` stays `${Literal}`.
    mutating func substitute(_ template: String, _ variables: [String: PolicyValue], _ place: String) -> String {
      Placeholders.replace(in: template) { name in
        if name.hasPrefix("!") { return "${" + name.dropFirst() + "}" }
        if let value = variables[name] { return value.scalarText ?? "*" }
        if name.contains(".") {
          warn(place, "${\(name)} (an attribute) is not known before deployment; read as *")
          return "*"
        }
        return reference(name, place)
      } ?? template
    }

    // MARK: get-account-authorization-details

    mutating func authorizationDetails(_ value: PolicyValue, name: String) throws(PolicyError) -> [PolicyDocument] {
      guard !loader.principals.isEmpty else {
        throw fail("", "get-account-authorization-details output needs --principal to say whose policies count")
      }
      var managed: [String: (name: String, document: PolicyValue)] = [:]
      for policy in arrayItems(value["Policies"]) {
        guard let arn = policy["Arn"]?.string else { continue }
        let defaultVersion = policy["DefaultVersionId"]?.string
        let versions = arrayItems(policy["PolicyVersionList"])
        let chosen =
          versions.first { $0["IsDefaultVersion"] == .bool(true) }
          ?? versions.first { $0["VersionId"]?.string == defaultVersion } ?? versions.first
        if let document = chosen?["Document"] {
          managed[arn] = (policy["PolicyName"]?.string ?? arn, document)
        }
      }
      var documents: [PolicyDocument] = []
      func attach(_ list: [PolicyValue], _ place: String) throws(PolicyError) {
        for attached in list {
          guard let arn = attached["PolicyArn"]?.string else { continue }
          guard let found = managed[arn] else {
            warn(place, "managed policy \(arn) is not in the file; its permissions are not counted")
            continue
          }
          documents.append(try document(try decoded(found.document, place), name: "\(name):\(found.name)", place: arn))
        }
      }
      func inline(_ list: [PolicyValue], owner: String, _ place: String) throws(PolicyError) {
        for (i, policy) in list.enumerated() {
          guard let doc = policy["PolicyDocument"] else { continue }
          let policyName = policy["PolicyName"]?.string ?? "\(i)"
          documents.append(
            try document(try decoded(doc, place), name: "\(name):\(owner)/\(policyName)", place: "\(place)[\(i)]"))
        }
      }
      let caller = loader.principals
      let roles = arrayItems(value["RoleDetailList"])
      let users = arrayItems(value["UserDetailList"])
      if let role = roles.first(where: { matches($0, "RoleName", caller) }) {
        let roleName = role["RoleName"]?.string ?? "role"
        try inline(arrayItems(role["RolePolicyList"]), owner: roleName, "RoleDetailList[\(roleName)].RolePolicyList")
        try attach(arrayItems(role["AttachedManagedPolicies"]), "RoleDetailList[\(roleName)].AttachedManagedPolicies")
      } else if let user = users.first(where: { matches($0, "UserName", caller) }) {
        let userName = user["UserName"]?.string ?? "user"
        try inline(arrayItems(user["UserPolicyList"]), owner: userName, "UserDetailList[\(userName)].UserPolicyList")
        try attach(arrayItems(user["AttachedManagedPolicies"]), "UserDetailList[\(userName)].AttachedManagedPolicies")
        let groups = Set(arrayItems(user["GroupList"]).compactMap(\.string))
        for group in arrayItems(value["GroupDetailList"]) where groups.contains(group["GroupName"]?.string ?? "") {
          let groupName = group["GroupName"]?.string ?? "group"
          try inline(
            arrayItems(group["GroupPolicyList"]), owner: groupName, "GroupDetailList[\(groupName)].GroupPolicyList")
          try attach(
            arrayItems(group["AttachedManagedPolicies"]), "GroupDetailList[\(groupName)].AttachedManagedPolicies")
        }
      } else {
        throw fail("", "no role or user matching --principal \(caller.joined(separator: ", ")) in the file")
      }
      if documents.isEmpty { warn("", "the principal has no policies in the file") }
      return documents
    }

    func arrayItems(_ value: PolicyValue?) -> [PolicyValue] {
      if case .array(let items)? = value { return items }
      return []
    }

    func matches(_ entity: PolicyValue, _ nameKey: String, _ principals: [String]) -> Bool {
      let name = entity[nameKey]?.string
      let arn = entity["Arn"]?.string
      return principals.contains { p in
        p == name || p == arn
          || (arn != nil && p.hasPrefix("arn:") && p.split(separator: "/").last.map(String.init) == name)
      }
    }

    /// Policy documents in this output are objects, or URL-encoded JSON strings in older outputs.
    func decoded(_ value: PolicyValue, _ place: String) throws(PolicyError) -> PolicyValue {
      guard case .string(let text) = value else { return value }
      let json = text.hasPrefix("%7B") || text.hasPrefix("%7b") ? percentDecoded(text) : text
      return try PolicyValue.parseJSON(json, path: path)
    }
  }
}
