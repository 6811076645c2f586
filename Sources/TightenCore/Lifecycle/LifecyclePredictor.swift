/// What the stack's resources will need over their life that one trail does
/// not show: each handler permission of each resource, scoped to the
/// resource it acts on (the created resource's ARN, the stack's name pattern
/// for resources not created yet, the narrowest pattern of the action's
/// resource type for other resources, `*` only for actions without one).
public struct LifecyclePredictor: Sendable {
  /// What needs a predicted permission: a resource of the stack in one phase.
  public struct NeededBy: Sendable, Hashable, Comparable {
    public var resourceType: String
    /// The logical id, the ARN, or the name pattern of the resource.
    public var resource: String
    public var phase: LifecycleCatalog.Phase

    public static func < (a: NeededBy, b: NeededBy) -> Bool {
      (a.resourceType, a.resource, a.phase.rawValue) < (b.resourceType, b.resource, b.phase.rawValue)
    }
  }

  /// A permission the stack will need.
  public struct Predicted: Sendable, Equatable {
    public var permission: Permission
    public var neededBy: [NeededBy]
    /// Needed only when the resource's properties ask for it (an action of another service than the
    /// resource's: KMS with a customer key, EC2 with a VPC configuration, …).
    public var conditional: Bool
  }

  public let catalog: Catalog
  public let lifecycle: LifecycleCatalog
  /// The services CloudFormation called for the stack in the trails (nil: no trail). A resource known
  /// only from the trail needs another service's permissions only if the stack's calls use that service:
  /// a table created without a customer key had no KMS call, and needs none to be updated or deleted.
  public var servicesSeen: Set<String>? = nil
  public var partition = "aws"
  public var region = ""
  public var account = ""

  public init(catalog: Catalog = .shared, lifecycle: LifecycleCatalog = .shared) {
    self.catalog = catalog
    self.lifecycle = lifecycle
  }

  /// A predictor for the stack the trails show: their one region and account (if one), and the services
  /// CloudFormation called.
  public init(for analysis: TrailAnalysis, catalog: Catalog = .shared, lifecycle: LifecycleCatalog = .shared) {
    self.init(catalog: catalog, lifecycle: lifecycle)
    region = analysis.regions.count == 1 ? analysis.regions.first! : ""
    account = analysis.accounts.count == 1 ? analysis.accounts.first! : ""
    servicesSeen = Self.services(calledBy: analysis)
  }

  /// Cross-service permissions that a template's properties decide: needed only when a property
  /// path holds one of these words (case ignored).
  static let propertyHints: [String: [String]] = [
    "kms": ["kms", "encryption", "sse"],
    "ec2": ["vpc", "subnet", "securitygroup", "networkinterface"],
    "kinesis": ["kinesis"],
  ]

  /// Every permission the stack's members need in the phases still ahead, merged by permission, sorted.
  public func predict(_ stack: StackModel) -> [Predicted] {
    var merged: [Permission: (needed: Set<NeededBy>, conditional: Bool)] = [:]
    for member in stack.members {
      // A name the template writes out is the resource's name; else the names of its stack.
      let pattern =
        Self.explicitName(member.properties) ?? (member.stackName ?? stack.stackNames.first).map { "*\($0)*" }
      guard let handlers = lifecycle.handlers(member.type) else { continue }
      let own = ownTypes(handlers)
      let service = ownService(handlers)
      let keys = member.properties.map(Self.propertyPaths)
      for phase in LifecycleCatalog.Phase.allCases {
        // A created resource's own creation was seen; a replacement is created under a new name (the pattern).
        let target = member.arn ?? pattern ?? member.logicalId ?? member.type
        let label = member.logicalId ?? member.arn ?? target
        for action in handlers.permissions(phase) {
          let prefix = ActionName.service(of: action).lowercased()
          let conditional = prefix != service
          if conditional, let keys, let hints = Self.propertyHints[prefix],
            !keys.contains(where: { key in hints.contains { key.contains($0) } })
          {
            continue  // the template's properties say it is not needed
          }
          if conditional, keys == nil, let seen = servicesSeen, !seen.contains(prefix) {
            continue  // the stack's own calls never use that service
          }
          let needed = NeededBy(resourceType: member.type, resource: label, phase: phase)
          // A resource created under an id AWS picks (the trail did not name it) has no name to match.
          let names = member.fromTemplate || member.arn != nil ? pattern : nil
          for resource in resources(action, own: own, arn: phase == .create ? nil : member.arn, namePattern: names) {
            let permission = Permission(action: action, resource: resource)
            var entry = merged[permission] ?? ([], true)
            entry.needed.insert(needed)
            entry.conditional = entry.conditional && conditional
            merged[permission] = entry
          }
        }
      }
    }
    return merged.map {
      Predicted(permission: $0.key, neededBy: $0.value.needed.sorted(), conditional: $0.value.conditional)
    }
    .sorted { ($0.conditional ? 1 : 0, $0.permission) < ($1.conditional ? 1 : 0, $1.permission) }
  }

  /// The IAM resource types the type's creator acts on: the resource's own.
  private func ownTypes(_ handlers: LifecycleCatalog.Handlers) -> Set<String> {
    guard let creator = handlers.creator, let action = catalog.action(creator) else { return [] }
    return Set(action.resourceTypes.filter(\.required).map { $0.type.name.lowercased() })
  }

  /// The service the resource type belongs to: its creator's, else the first create permission's.
  private func ownService(_ handlers: LifecycleCatalog.Handlers) -> String {
    let first =
      handlers.creator ?? handlers.permissions(.create).first ?? handlers.permissions.first { !$0.isEmpty }?.first
    return first.map { ActionName.service(of: $0).lowercased() } ?? ""
  }

  /// The resources an action needs: the resource's ARN (or the stack's name pattern) for its own
  /// type; the narrowest pattern of each required type otherwise; `*` for an action without one.
  private func resources(_ action: String, own: Set<String>, arn: String?, namePattern: String?) -> [String] {
    guard let entry = catalog.action(action) else { return ["*"] }
    let required = entry.resourceTypes.filter(\.required)
    guard !required.isEmpty else { return ["*"] }
    var out: [String] = []
    for (type, _) in required {
      let isOwn = own.contains(type.name.lowercased())
      if isOwn, let arn, type.templates.contains(where: { $0.matches(arn) }) {
        out.append(arn)
        continue
      }
      guard let template = type.templates.first else { continue }
      var values: [String: String] = [:]
      // Only a name the stack chooses carries its name; an id AWS picks (`event-source-mapping:${Id}`) does not.
      if isOwn, let namePattern, let last = template.variables.last, last.contains("Name") {
        values[last] = namePattern
      }
      out.append(template.build(partition: partition, region: region, account: account, values: values))
    }
    return out.isEmpty ? ["*"] : out
  }

  /// The services CloudFormation called in the trails; nil when the trails hold no such call.
  public static func services(calledBy analysis: TrailAnalysis) -> Set<String>? {
    let services = Set(analysis.cloudFormationActions().map { ActionName.service(of: $0).lowercased() })
    return services.isEmpty ? nil : services
  }

  /// The physical name a template's properties give the resource (`TableName: orders`), when it is plain text.
  static func explicitName(_ properties: PolicyValue?) -> String? {
    guard let members = properties?.members else { return nil }
    for (key, value) in members where key.hasSuffix("Name") && !key.hasSuffix("PolicyName") {
      if case .string(let name) = value, !name.isEmpty, !name.contains("${"), !name.contains("*") { return name }
    }
    return nil
  }

  /// Every key path of a template's properties, lower-cased (`vpcconfig.subnetids`).
  static func propertyPaths(_ value: PolicyValue) -> [String] {
    var out: [String] = []
    func walk(_ v: PolicyValue, _ prefix: String) {
      if let members = v.members {
        for (key, child) in members {
          let path = prefix.isEmpty ? key.lowercased() : "\(prefix).\(key.lowercased())"
          out.append(path)
          walk(child, path)
        }
      } else if case .array(let items) = v {
        for item in items { walk(item, prefix) }
      }
    }
    walk(value, "")
    return out
  }
}
