/// What CloudFormation's handlers call for each resource type: the
/// permissions of its create, read, update and delete handlers, from the
/// resource provider schemas cfn-lint bundles (`Scripts/update-catalog`,
/// `Resources/LifecycleData.swift`), with only actions the IAM catalogue has.
public struct LifecycleCatalog: Sendable {
  /// A phase of a resource's life, in the order a stack lives it.
  public enum Phase: String, Sendable, CaseIterable, Comparable {
    case create, read, update, delete
    public static func < (a: Phase, b: Phase) -> Bool {
      allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
  }

  /// One resource type's handlers.
  public struct Handlers: Sendable {
    public let type: String
    /// The create-handler action that makes the resource itself (`dynamodb:CreateTable`), if one is clear.
    public let creator: String?
    /// Permissions by phase, in `Phase.allCases` order.
    public let permissions: [[String]]

    public func permissions(_ phase: Phase) -> [String] { permissions[Phase.allCases.firstIndex(of: phase)!] }
  }

  public static let shared = LifecycleCatalog(text: LifecycleData.text)
  /// The data's source and version (`tighten --version` prints it).
  public static let version = LifecycleData.version

  private let types: [String: Handlers]
  private let byCreator: [String: [String]]

  init(text: StaticString) {
    let body = text.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
    var types: [String: Handlers] = [:]
    var byCreator: [String: [String]] = [:]
    for line in body.split(separator: "\n") {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
      guard fields.count == 2 + Phase.allCases.count else { continue }
      let type = String(fields[0])
      let creator = fields[1] == "-" ? nil : String(fields[1])
      let permissions = fields[2...].map { $0.split(separator: " ").map(String.init) }
      types[type] = Handlers(type: type, creator: creator, permissions: permissions)
      if let creator { byCreator[creator.lowercased(), default: []].append(type) }
    }
    self.types = types
    self.byCreator = byCreator
  }

  public func handlers(_ type: String) -> Handlers? { types[type] }

  /// The resource types a create call makes (`lambda:CreateFunction` → `AWS::Lambda::Function`).
  public func types(createdBy action: String) -> [String] { byCreator[action.lowercased()] ?? [] }

  public var typeCount: Int { types.count }
}
