/// Why a permission's resource is what it is: the exact resource the trail
/// names, or a pattern because the trail did not name all of it. A widened
/// resource is said out loud (`resourceBasis` in JSON, `generate`'s summary).
public enum ResourceBasis: String, Sendable, CaseIterable {
  /// The resource the call named, in the form the service evaluates (a log
  /// group's trailing `:*` and a secret's `-??????` are part of that form).
  case exact
  /// A pattern: what the trail names is filled in, the rest is `*` (a
  /// resource the call creates, `vpc/*`; a required resource the record does not name).
  case patternNotNamed = "pattern-not-named"
  /// `*`: the action has resource types, but the trail names nothing of its resource.
  case notNamed = "not-named"
  /// `*`: the action has no resource type (IAM authorises it on `*`).
  case noResourceType = "no-resource-type"

  /// The basis of one permission (for a few rows; `ResourceBasisClassifier` for many).
  public static func of(action: String, resource: String, catalog: Catalog = .shared) -> ResourceBasis {
    var classifier = ResourceBasisClassifier(catalog: catalog)
    var action = action
    var resource = resource
    return action.withUTF8 { a in resource.withUTF8 { r in classifier.basis(action: a, resource: r) } }
  }

  static func hasSuffix(_ bytes: UnsafeBufferPointer<UInt8>, _ suffix: [UInt8]) -> Bool {
    guard bytes.count >= suffix.count else { return false }
    guard let base = bytes.baseAddress, !suffix.isEmpty else { return true }
    return suffix.withUnsafeBufferPointer {
      Platform.compare(base + bytes.count - suffix.count, $0.baseAddress!, count: suffix.count) == 0
    }
  }
}

/// Tells `ResourceBasis` for many permissions, with the catalogue's ARN-form
/// endings gathered once.
public struct ResourceBasisClassifier {
  let catalog: Catalog
  /// The endings of the form an action's service evaluates, longest first, by
  /// where the interned action's bytes are (rows repeat actions).
  private var byAction: [UnsafeRawPointer: [[UInt8]]] = [:]
  private var last: (key: UnsafeRawPointer, endings: [[UInt8]])? = nil
  private let appended: [[UInt8]]

  public init(catalog: Catalog = .shared) {
    self.catalog = catalog
    var appended: [[UInt8]] = []
    for rule in catalog.variableRules.rules {
      if case .append(let text) = rule.step { appended.append(Array(text.utf8)) }
    }
    self.appended = appended
  }

  /// The basis of `resource` for `action`, from the resource's spelling and the catalogue.
  public mutating func basis(action: UnsafeBufferPointer<UInt8>, resource: UnsafeBufferPointer<UInt8>)
    -> ResourceBasis
  {
    if resource.count == 1 && resource[0] == 0x2A {
      guard let known = catalog.action(String(decoding: action, as: UTF8.self)) else { return .notNamed }
      return known.resourceTypes.isEmpty ? .noResourceType : .notNamed
    }
    var end = resource.count
    for suffix in endings(of: action) where ResourceBasis.hasSuffix(resource, suffix) {
      end -= suffix.count
      break
    }
    return LiteralText.hasWildcard(UnsafeBufferPointer(rebasing: resource[..<end])) ? .patternNotNamed : .exact
  }

  /// `:*` of the catalogue's `U` lines for the action's service and the text
  /// `append` rules add (a secret's `-??????`), longest first.
  private mutating func endings(of action: UnsafeBufferPointer<UInt8>) -> [[UInt8]] {
    let key = action.baseAddress.map(UnsafeRawPointer.init)
    if let key, key == last?.key { return last!.endings }  // rows come by action: mostly the last one
    if let key, let known = byAction[key] {
      last = (key, known)
      return known
    }
    let service = String(decoding: action.prefix { $0 != 0x3A }, as: UTF8.self)
    let found = ((catalog.arnSuffixes[service] ?? []).map { Array($0.suffix.utf8) } + appended)
      .sorted { $0.count > $1.count }
    if let key {
      byAction[key] = found
      last = (key, found)
    }
    return found
  }
}
