/// What CloudFormation's handlers call for each resource type: the
/// permissions of its create, read, update and delete handlers, from the
/// resource provider schemas cfn-lint bundles (`Scripts/update-catalog`,
/// `Resources/LifecycleData.swift`), with only actions the IAM catalogue has.
public struct LifecycleCatalog: @unchecked Sendable {
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

  /// The data's bytes: a static string, valid for the life of the process.
  private let bytes: UnsafeBufferPointer<UInt8>
  /// Each type's line (start and end offsets), found once; a line is parsed when its type is asked for.
  private let lines: [String: Range<Int>]
  private let byCreator: [String: [String]]

  init(text: StaticString) {
    bytes = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
    var lines: [String: Range<Int>] = [:]
    var byCreator: [String: [String]] = [:]
    var start = 0
    while start < bytes.count {
      var end = start
      while end < bytes.count && bytes[end] != 0x0A { end += 1 }
      // TYPE <TAB> CREATOR <TAB> …: only the first two fields now.
      var firstTab = start
      while firstTab < end && bytes[firstTab] != 0x09 { firstTab += 1 }
      var secondTab = firstTab + 1
      while secondTab < end && bytes[secondTab] != 0x09 { secondTab += 1 }
      if secondTab < end {
        let type = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<firstTab]), as: UTF8.self)
        let creator = String(decoding: UnsafeBufferPointer(rebasing: bytes[(firstTab + 1)..<secondTab]), as: UTF8.self)
        lines[type] = start..<end
        if creator != "-" { byCreator[creator.lowercased(), default: []].append(type) }
      }
      start = end + 1
    }
    self.lines = lines
    self.byCreator = byCreator
  }

  public func handlers(_ type: String) -> Handlers? {
    guard let range = lines[type] else { return nil }
    let line = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
    guard fields.count == 2 + Phase.allCases.count else { return nil }
    return Handlers(
      type: type, creator: fields[1] == "-" ? nil : String(fields[1]),
      permissions: fields[2...].map { $0.split(separator: " ").map(String.init) })
  }

  /// The resource types a create call makes (`lambda:CreateFunction` → `AWS::Lambda::Function`).
  public func types(createdBy action: String) -> [String] { byCreator[action.lowercased()] ?? [] }

  public var typeCount: Int { lines.count }
}
