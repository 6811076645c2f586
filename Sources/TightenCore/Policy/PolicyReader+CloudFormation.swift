/// CloudFormation and CDK templates: the IAM policies their resources declare,
/// with intrinsic functions resolved as far as the binding and the template's
/// parameter defaults allow; what cannot be known becomes `*`, with a warning.
extension PolicyReader {
  mutating func template(_ value: PolicyValue, name: String) throws(PolicyError) -> [PolicyDocument] {
    inTemplate = true
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
        let resolved = try resolve(doc, "\(place).Properties.PolicyDocument")
        documents.append(
          try document(resolved, name: "\(name):\(logicalId)", place: "\(place).Properties.PolicyDocument"))
      case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
        guard case .array(let inline)? = properties?["Policies"] else { continue }
        for (i, policy) in inline.enumerated() {
          let policyPlace = "\(place).Properties.Policies[\(i)]"
          guard let doc = policy["PolicyDocument"] else {
            throw fail(policyPlace, "a policy without a PolicyDocument")
          }
          let policyName = try resolve(policy["PolicyName"] ?? .string("\(i)"), policyPlace).string ?? "\(i)"
          let resolved = try resolve(doc, "\(policyPlace).PolicyDocument")
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
  mutating func resolve(_ value: PolicyValue, _ place: String) throws(PolicyError) -> PolicyValue {
    switch value {
    case .array(let items):
      var out: [PolicyValue] = []
      for item in items {
        let r = try resolve(item, place)
        if case .array(let inner) = r, isIntrinsic(item) { out += inner } else { out.append(r) }
      }
      return .array(out)
    case .object(let members):
      if members.count == 1, let (key, argument) = members.first, key == "Ref" || key.hasPrefix("Fn::") {
        return try intrinsic(key, argument, place)
      }
      var resolved: [(String, PolicyValue)] = []
      for (key, member) in members { resolved.append((key, try resolve(member, "\(place).\(key)"))) }
      return .object(resolved)
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
      if let account = binding.account { return account }
      warn(place, "${AWS::AccountId} read as * (the trail names no single account)")
      return "*"
    case "AWS::Region":
      if let region = binding.region { return region }
      warn(place, "${AWS::Region} read as * (the trail names no single region)")
      return "*"
    case "AWS::Partition":
      return binding.region.map(ARN.partition(forRegion:)) ?? "aws"
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

  mutating func intrinsic(_ function: String, _ argument: PolicyValue, _ place: String) throws(PolicyError)
    -> PolicyValue
  {
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
        for (k, v) in items[1].members ?? [] { variables[k] = try resolve(v, place) }
      }
      return .string(substitute(template, variables, place))
    case "Fn::Join":
      guard case .array(let items) = argument, items.count == 2, let delimiter = items[0].string else { break }
      let parts = try resolve(items[1], place)
      guard case .array(let values) = parts else { break }
      return .string(values.map { $0.scalarText ?? "*" }.joined(separator: delimiter))
    case "Fn::Select":
      guard case .array(let items) = argument, items.count == 2, let index = Int(items[0].scalarText ?? ""),
        case .array(let list) = try resolve(items[1], place), index >= 0, index < list.count
      else { break }
      return list[index]
    case "Fn::Split":
      guard case .array(let items) = argument, items.count == 2, let delimiter = items[0].string,
        let text = try resolve(items[1], place).string
      else { break }
      return .array(text.pieces(separatedBy: delimiter).map(PolicyValue.string))
    default:
      guard Self.intrinsicFunctions.contains(function) else {
        throw fail(place, "unknown function or tag '\(function)': CloudFormation would reject the template")
      }
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

  /// CloudFormation's intrinsic and condition functions (CloudFormation User
  /// Guide, "Intrinsic function reference"); any other `Fn::` or short-form
  /// tag in a policy is an error, never a wildcard.
  static let intrinsicFunctions: Set<String> = [
    "Ref", "Condition", "Fn::Base64", "Fn::Cidr", "Fn::FindInMap", "Fn::ForEach", "Fn::GetAtt", "Fn::GetAZs",
    "Fn::ImportValue", "Fn::Join", "Fn::Length", "Fn::Select", "Fn::Split", "Fn::Sub", "Fn::ToJsonString",
    "Fn::Transform", "Fn::And", "Fn::Equals", "Fn::If", "Fn::Not", "Fn::Or",
  ]
}
