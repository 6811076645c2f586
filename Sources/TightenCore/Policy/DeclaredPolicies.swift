/// The declared policies of one principal: the `--policy` files, each read
/// and parsed once, then bound to the account, region and partition the
/// trails show.
///
/// Loading checks every document as IAM would (with nothing bound:
/// `${AWS::AccountId}` as `*`), so a bad file stops a run before any trail is
/// read. Binding afterwards re-reads only templates, from the parsed values;
/// documents and authorization details do not depend on it.
public struct DeclaredPolicies: Sendable {
  public struct File: Sendable {
    public enum Kind: Sendable { case document, template, authorizationDetails }
    public let path: String
    /// The name reports use: the base name (`deploy.json`), or as much of the path as tells two
    /// files of one base name apart (`prod/deploy.json`, `dev/deploy.json`).
    public internal(set) var name: String
    public let kind: Kind
    /// The policy type of its documents (`--boundary`, `--scp`, `--session-policy`; identity otherwise).
    public internal(set) var layer: PolicyLayer = .identity
    let value: PolicyValue
  }

  public let files: [File]
  /// `--principal`: picks the role or user in authorization-details output.
  public let principals: [String]
  /// The files read with nothing bound, as loading checked them.
  private let unbound: PolicySet

  /// Reads and checks the files: the identity policies, and the other
  /// policy types that limit them (a permissions boundary, the
  /// organisation's control policies from root to account, a session policy).
  public static func load(
    _ paths: [String], principals: [String] = [], boundary: String? = nil, organization: [String] = [],
    session: String? = nil
  ) throws(PolicyError) -> DeclaredPolicies {
    var files: [File] = []
    for path in paths { files.append(try read(path)) }
    if let boundary {
      var file = try read(boundary)
      file.layer = .boundary
      files.append(file)
    }
    for (level, path) in organization.enumerated() {
      var file = try read(path)
      file.layer = .organization(level: level)
      files.append(file)
    }
    if let session {
      var file = try read(session)
      file.layer = .session
      files.append(file)
    }
    return try DeclaredPolicies(files: files, principals: principals)
  }

  /// Policy text already in memory (`name` stands for its file).
  public static func parse(text: String, name: String, principals: [String] = []) throws(PolicyError)
    -> DeclaredPolicies
  {
    try DeclaredPolicies(files: [parse(text, path: name)], principals: principals)
  }

  private init(files: [File], principals: [String]) throws(PolicyError) {
    var files = files
    for (i, name) in Self.distinctNames(files.map(\.path)).enumerated() { files[i].name = name }
    self.files = files
    self.principals = principals
    unbound = try Self.documents(files, .unknown, principals)
  }

  /// Each path's shortest suffix of whole components that no other path ends with (the same path
  /// given twice keeps one name).
  static func distinctNames(_ paths: [String]) -> [String] {
    let components = paths.map(PathNames.components)
    var depth = Array(repeating: 1, count: paths.count)
    func name(_ i: Int) -> String { components[i].suffix(depth[i]).joined(separator: "/") }
    while true {
      var byName: [String: [Int]] = [:]
      for i in paths.indices { byName[name(i), default: []].append(i) }
      var grew = false
      for (_, group) in byName where Set(group.map { components[$0] }).count > 1 {
        for i in group where depth[i] < components[i].count {
          depth[i] += 1
          grew = true
        }
      }
      if !grew { return paths.indices.map(name) }
    }
  }

  /// The names of the identity policy files, in order, as reports name them.
  public var names: [String] { files.filter { $0.layer == .identity }.map(\.name) }

  /// The policies with `${AWS::AccountId}`, `${AWS::Region}` and `${AWS::Partition}` standing for the binding's.
  public func bound(to binding: PolicyBinding) throws(PolicyError) -> PolicySet {
    if binding == .unknown || !files.contains(where: { $0.kind == .template }) { return unbound }
    return try Self.documents(files, binding, principals)
  }

  /// Every file's documents. A `--boundary` file replaces the boundary authorization details attach.
  private static func documents(_ files: [File], _ binding: PolicyBinding, _ principals: [String]) throws(PolicyError)
    -> PolicySet
  {
    var set = PolicySet()
    for file in files { set.append(try documents(file, binding, principals)) }
    // A service control policy level with no Allow refuses every call: true if it is the level's only SCP,
    // but a deny-list SCP is usually attached beside FullAWSAccess.
    for file in files {
      guard case .organization(let level) = file.layer else { continue }
      let documents = set.documents.filter { $0.path == file.path && $0.layer == .organization(level: level) }
      if !documents.isEmpty && !documents.contains(where: { $0.statements.contains { $0.effect == .allow } }) {
        set.warnings.append(
          PolicyWarning(
            path: file.path, place: "",
            message:
              "this organisation level has no Allow statement, so it refuses every call; if FullAWSAccess is attached there too, add it to the file"
          ))
      }
    }
    if let given = files.first(where: { $0.layer == .boundary }) {
      for (i, document) in set.documents.enumerated().reversed()
      where document.layer == .boundary && document.path != given.path {
        set.warnings.append(
          PolicyWarning(
            path: document.path, place: "",
            message: "the permissions boundary \(document.name) is not applied: --boundary \(given.path) replaces it"))
        set.documents.remove(at: i)
      }
    }
    return set
  }

  private static func documents(_ file: File, _ binding: PolicyBinding, _ principals: [String]) throws(PolicyError)
    -> PolicySet
  {
    var reader = PolicyReader(path: file.path, binding: binding, principals: principals)
    reader.layer = file.layer
    let documents: [PolicyDocument]
    switch file.kind {
    case .document: documents = [try reader.document(file.value, name: file.name, place: "")]
    case .template: documents = try reader.template(file.value, name: file.name)
    case .authorizationDetails: documents = try reader.authorizationDetails(file.value, name: file.name)
    }
    return PolicySet(documents: documents, warnings: reader.warnings)
  }

  /// Policy files larger than this are refused: an account's whole
  /// authorization details are a few MiB; a policy document is at most 10,240
  /// characters (IAM quotas).
  public static let sizeLimit = 64 << 20
  /// YAML is read by a slower parser; CloudFormation itself takes templates of
  /// at most 1 MB (CloudFormation quotas, "Template body size in an Amazon S3 object").
  public static let yamlSizeLimit = 4 << 20

  /// Reads and parses one file, and tells what kind of file it is.
  static func readFile(_ path: String) throws(PolicyError) -> File { try read(path) }

  private static func read(_ path: String) throws(PolicyError) -> File {
    let bytes: [UInt8]
    var isFolder = false
    do throws(Platform.SystemError) {
      // `-`: the policy comes on standard input.
      let fd = path == "-" ? 0 : try Platform.openForReading(path)
      defer { if fd != 0 { Platform.close(fd) } }
      isFolder = Platform.isDirectory(fd)
      bytes = isFolder ? [] : try Platform.readAll(fd, limit: sizeLimit + 1)
    } catch {
      throw PolicyError(path: path, place: "", reason: "cannot read the file (\(error.description))")
    }
    if bytes.starts(with: [0x1F, 0x8B]) {
      throw PolicyError(
        path: path, place: "",
        reason: "is gzip'd, like a CloudTrail delivery file: give trails as paths, and a policy document, "
          + "template or authorization details as --policy")
    }
    if isFolder { throw PolicyError(path: path, place: "", reason: "is a folder, not a policy file") }
    if bytes.count > sizeLimit {
      throw PolicyError(path: path, place: "", reason: "larger than \(sizeLimit >> 20) MiB: not a policy file")
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw PolicyError(path: path, place: "", reason: "the file is not UTF-8 text")
    }
    return try parse(text, path: path)
  }

  /// Parses JSON or YAML (by the file's extension, else by its first character) and tells what kind of file it is.
  private static func parse(_ text: String, path: String) throws(PolicyError) -> File {
    let name = PathNames.lastComponent(path)
    let lower = name.lowercased()
    let value: PolicyValue
    let trimmed = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
    if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") || !(trimmed.hasPrefix("{") || trimmed.hasPrefix("[")) {
      if text.utf8.count > yamlSizeLimit {
        throw PolicyError(path: path, place: "", reason: "YAML larger than \(yamlSizeLimit >> 20) MiB: not a template")
      }
      value = try PolicyValue.parseYAML(text, path: path)
    } else {
      value = try PolicyValue.parseJSON(text, path: path)
    }
    let kind: File.Kind
    if value["Statement"] != nil || value["Version"] != nil {
      kind = .document
    } else if value["Resources"] != nil || value["AWSTemplateFormatVersion"] != nil {
      kind = .template
    } else if value["RoleDetailList"] != nil || value["UserDetailList"] != nil || value["GroupDetailList"] != nil {
      kind = .authorizationDetails
    } else if case .object = value {
      throw PolicyError(
        path: path, place: "",
        reason:
          "not an IAM policy (no Statement), a CloudFormation template (no Resources) or get-account-authorization-details output"
      )
    } else {
      throw PolicyError(path: path, place: "", reason: "expected a JSON or YAML object, found \(value.kind)")
    }
    return File(path: path, name: name, kind: kind, value: value)
  }
}

/// What a template's pseudo parameters stand for: the account and region the
/// trails show (nil: not known, read as `*`).
public struct PolicyBinding: Sendable, Equatable {
  public var account: String?
  public var region: String?

  public init(account: String? = nil, region: String? = nil) {
    self.account = account
    self.region = region
  }

  public static let unknown = PolicyBinding()

  /// The one account and region of a run: the `--account`/`--region` filter
  /// when it names exactly one, else the one the trails show, else unknown.
  public static func of(_ analysis: TrailAnalysis, filter: TrailFilter) -> PolicyBinding {
    PolicyBinding(
      account: filter.accounts.count == 1
        ? filter.accounts[0] : analysis.accounts.count == 1 ? analysis.accounts.first : nil,
      region: filter.regions.count == 1 ? filter.regions[0] : analysis.regions.count == 1 ? analysis.regions.first : nil
    )
  }
}

extension PolicySet {
  mutating func append(_ other: PolicySet) {
    documents += other.documents
    warnings += other.warnings
  }
}
