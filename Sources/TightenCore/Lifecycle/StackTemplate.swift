/// A CloudFormation template's resources (JSON or YAML, CDK's
/// `cdk.out/*.template.json` included), with the nested stacks it names when
/// their templates are beside it.
public struct StackTemplate: Sendable {
  public struct Resource: Sendable {
    public var logicalId: String
    public var type: String
    /// `Properties` as written (intrinsic functions unresolved); nil when there are none.
    public var properties: PolicyValue?
  }

  public var path: String
  /// The stack's name as the file tells it: CDK writes `NAME.template.json`; a nested stack has its parent's.
  public var stackName: String
  public var resources: [Resource]

  /// Reads the templates and, depth first, the nested stack templates beside them.
  public static func load(_ paths: [String]) throws(PolicyError) -> [StackTemplate] {
    var out: [StackTemplate] = []
    var seen = Set<String>()
    for path in paths { try load(path, stackName: nil, depth: 0, into: &out, seen: &seen) }
    return out
  }

  private static func load(
    _ path: String, stackName: String?, depth: Int, into out: inout [StackTemplate], seen: inout Set<String>
  ) throws(PolicyError) {
    let key = PathNames.standardized(path)
    guard seen.insert(key).inserted else { return }
    let file = try DeclaredPolicies.readFile(path)
    guard file.kind == .template, let resources = file.value["Resources"]?.members else {
      throw PolicyError(path: path, place: "", reason: "not a CloudFormation template (no Resources)")
    }
    let name = stackName ?? Self.stackName(fromFile: file.name)
    var template = StackTemplate(path: path, stackName: name, resources: [])
    var nested: [String] = []
    for (logicalId, resource) in resources {
      guard let type = resource["Type"]?.string else {
        throw PolicyError(path: path, place: "Resources.\(logicalId)", reason: "the resource has no Type")
      }
      template.resources.append(Resource(logicalId: logicalId, type: type, properties: resource["Properties"]))
      if type == "AWS::CloudFormation::Stack", let child = nestedPath(resource, beside: path) { nested.append(child) }
    }
    out.append(template)
    guard depth < 8 else { return }
    for child in nested where (try? Platform.status(child)) != nil {
      try load(child, stackName: name, depth: depth + 1, into: &out, seen: &seen)
    }
  }

  /// `shop-dev.template.json` → `shop-dev`; any other file: its name without the extension.
  static func stackName(fromFile name: String) -> String {
    for suffix in [".template.json", ".template.yaml", ".template.yml", ".json", ".yaml", ".yml", ".template"]
    where name.lowercased().hasSuffix(suffix) {
      return String(name.dropLast(suffix.count))
    }
    return name
  }

  /// Where a nested stack's template is: CDK's `aws:asset:path` metadata, or the file a `TemplateURL` names, beside.
  static func nestedPath(_ resource: PolicyValue, beside path: String) -> String? {
    let folder = PathNames.folder(of: path)
    if let asset = resource["Metadata"]?["aws:asset:path"]?.string {
      return folder == "/" ? "/" + asset : folder + "/" + asset
    }
    if let url = resource["Properties"]?["TemplateURL"]?.string, let last = url.split(separator: "/").last {
      return folder == "/" ? "/" + last : folder + "/" + last
    }
    return nil
  }
}
