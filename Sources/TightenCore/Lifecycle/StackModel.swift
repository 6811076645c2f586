/// The resources a stack has over its life: those its templates declare, and
/// those the trail shows CloudFormation creating (a create call made through
/// CloudFormation, `lambda:CreateFunction` on `function:X`, means a resource
/// of the type whose create handler makes that call, with that ARN).
public struct StackModel: Sendable {
  public struct Member: Sendable, Equatable {
    public var type: String
    /// The template's logical id, if a template declares it.
    public var logicalId: String?
    /// The ARN a trail shows it created with, if one does.
    public var arn: String?
    /// The template's properties (nil: not from a template, or none written).
    public var properties: PolicyValue?
    public var fromTemplate: Bool
    /// The stack the template that declares it is for (nil: the stack's first name).
    public var stackName: String? = nil
  }

  public var members: [Member]
  /// Stack names: from the templates' file names, else the common prefix of the created resources' names.
  public var stackNames: [String]

  public var isEmpty: Bool { members.isEmpty }

  public static let empty = StackModel(members: [], stackNames: [])

  /// The stack from its templates and what the trail shows CloudFormation creating.
  public static func build(
    templates: [StackTemplate], analysis: TrailAnalysis?, lifecycle: LifecycleCatalog = .shared
  ) -> StackModel {
    var members: [Member] = []
    var names: [String] = []
    for template in templates {
      if !names.contains(template.stackName) { names.append(template.stackName) }
      for resource in template.resources where lifecycle.handlers(resource.type) != nil {
        var member = Member(
          type: resource.type, logicalId: resource.logicalId, arn: nil, properties: resource.properties,
          fromTemplate: true)
        member.stackName = template.stackName
        members.append(member)
      }
    }
    var created: [Member] = []
    var seen = Set<String>()
    for record in analysis?.cloudFormationCalls() ?? [] {
      // A create call whose resource the trail does not name (a refused one, an id AWS picks) still tells the type.
      let resource = record.permission.resource
      let named = resource != "*" && (!resource.contains("*") || resource.hasSuffix(":*"))
      for type in lifecycle.types(createdBy: record.permission.action)
      where seen.insert(type + " " + (named ? resource : "*")).inserted {
        created.append(
          Member(type: type, logicalId: nil, arn: named ? resource : nil, properties: nil, fromTemplate: false))
      }
    }
    members += created.sorted { ($0.type, $0.arn ?? "") < ($1.type, $1.arn ?? "") }
    if names.isEmpty, let prefix = commonNamePrefix(created.compactMap(\.arn)) { names.append(prefix) }
    return StackModel(members: members, stackNames: names)
  }

  /// The name part of an ARN: after its fifth colon and the last `/`, without a trailing `:*`.
  static func name(of arn: String) -> Substring {
    let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard parts.count == 6 else { return Substring(arn) }
    var resource = parts[5]
    if resource.hasSuffix(":*") { resource = resource.dropLast(2) }
    if let slash = resource.lastIndex(of: "/") { resource = resource[resource.index(after: slash)...] }
    if let colon = resource.lastIndex(of: ":") { resource = resource[resource.index(after: colon)...] }
    return resource
  }

  /// `shop-dev` from `shop-dev-Orders`, `shop-dev-ApiHandler`, `api-url`…: the
  /// longest dash-separated prefix that most of the names (at least two, and
  /// at least 60 %) start with, when it is at least three characters long.
  static func commonNamePrefix(_ arns: [String]) -> String? {
    let names = Set(arns.map { String(name(of: $0)) }.filter { !$0.isEmpty })
    guard names.count > 1 else { return nil }
    var counts: [String: Int] = [:]
    for name in names {
      var prefix = ""
      for part in name.split(separator: "-", omittingEmptySubsequences: false).dropLast() {
        prefix += prefix.isEmpty ? String(part) : "-" + part
        counts[prefix, default: 0] += 1
      }
    }
    let threshold = max(2, (names.count * 6 + 9) / 10)
    return counts.filter { $0.value >= threshold && $0.key.count >= 3 }.keys
      .max { ($0.count, $1) < ($1.count, $0) }
  }
}
