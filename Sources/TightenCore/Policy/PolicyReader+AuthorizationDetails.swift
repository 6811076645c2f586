/// `aws iam get-account-authorization-details` output: the inline and
/// attached managed policies of the role or user `--principal` names (and of
/// a user's groups).
extension PolicyReader {
  mutating func authorizationDetails(_ value: PolicyValue, name: String) throws(PolicyError) -> [PolicyDocument] {
    guard !principals.isEmpty else {
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
    /// The permissions boundary attached to the role or user: evaluated as one.
    func boundary(_ entity: PolicyValue, _ place: String) throws(PolicyError) {
      guard let arn = entity["PermissionsBoundary"]?["PermissionsBoundaryArn"]?.string else { return }
      guard let found = managed[arn] else {
        warn(place, "permissions boundary \(arn) is not in the file; it is not applied")
        return
      }
      var document = try document(try decoded(found.document, place), name: "\(name):\(found.name)", place: arn)
      document.layer = .boundary
      documents.append(document)
    }
    let caller = principals
    let roles = arrayItems(value["RoleDetailList"])
    let users = arrayItems(value["UserDetailList"])
    if let role = roles.first(where: { matches($0, "RoleName", caller) }) {
      let roleName = role["RoleName"]?.string ?? "role"
      try inline(arrayItems(role["RolePolicyList"]), owner: roleName, "RoleDetailList[\(roleName)].RolePolicyList")
      try attach(arrayItems(role["AttachedManagedPolicies"]), "RoleDetailList[\(roleName)].AttachedManagedPolicies")
      try boundary(role, "RoleDetailList[\(roleName)].PermissionsBoundary")
    } else if let user = users.first(where: { matches($0, "UserName", caller) }) {
      let userName = user["UserName"]?.string ?? "user"
      try inline(arrayItems(user["UserPolicyList"]), owner: userName, "UserDetailList[\(userName)].UserPolicyList")
      try attach(arrayItems(user["AttachedManagedPolicies"]), "UserDetailList[\(userName)].AttachedManagedPolicies")
      try boundary(user, "UserDetailList[\(userName)].PermissionsBoundary")
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
    if !documents.contains(where: { $0.layer == .identity }) { warn("", "the principal has no policies in the file") }
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
