/// The mapping tables of the catalogue's lines, gathered line by line while
/// `Catalog` reads its text (see `CatalogFormat.swift` for the line forms), and
/// where each service's `R` and `A` lines are, for reading them on first use.
struct CatalogTables {
  var version = ""
  var date = ""
  var serviceLines: [String: Range<Int>] = [:]
  var eventSources: [String: String] = [:]
  var renames: [String: [String]] = [:]
  var curated: [String: [Catalog.Target]] = [:]
  var passRoles: [String: [Catalog.PassRoleSource]] = [:]
  var conditionalActions: [String: [Catalog.ConditionalAction]] = [:]
  var parameterPaths: [String: [String]] = [:]
  var deniedCodes = Set<String>()
  var dataEvents = Set<String>()
  var apiGatewayRoutes: [String: [Catalog.ApiGatewayRoute]] = [:]
  var preferredTypes: [String: String] = [:]
  var allRequired = Set<String>()
  var arnSuffixes: [String: [(type: String, suffix: String, except: Set<String>)]] = [:]
  var strippedPrefixes: [String: String] = [:]
  var variableRules: [VariableRules.Rule] = []
  var resourcePatterns: [String: String] = [:]
  var identifierPrefixes: [String: [(type: String, prefixes: [String])]] = [:]
  /// The service whose lines are being read, and where they start.
  private var open: (prefix: String, start: Int)? = nil

  /// Records one line: a service's lines end at the first line of another kind.
  mutating func add(_ line: CatalogLine) {
    if line.kind != .resourceType && line.kind != .action { endService(at: line.start) }
    switch line.kind {
    case .version:
      version = line[1]
      date = line[2]
    case .service:
      open = (line[1], line.start)
    case .eventSource:
      eventSources[line[1]] = line[2]
    case .rename:
      renames["\(line[1]):\(line[2])"] = line.list(3)
    case .map:
      curated["\(line[1]) \(line[2])"] = line[3] == "none" ? [] : line.list(3).map(Catalog.Target.init(spec:))
    case .passRole:
      passRoles["\(line[1]) \(line[2])", default: []].append(Catalog.PassRoleSource(path: line[3], service: line[4]))
    case .conditionalAction:
      conditionalActions["\(line[1]) \(line[2])", default: []].append(
        Catalog.ConditionalAction(path: line[3], action: line[4], pattern: line[5], passedTo: line[6]))
    case .param:
      parameterPaths[line[1]] = line.list(2)
    case .denied:
      for code in line.list(1) { deniedCodes.insert(code) }
    case .data:
      for event in line.list(2) { dataEvents.insert("\(line[1]) \(event)") }
    case .apiGatewayRoute:
      apiGatewayRoutes[line[2], default: []].append(Catalog.ApiGatewayRoute(verb: line[3], path: line[4]))
    case .strip:
      strippedPrefixes[line[1]] = line[2]
    case .variable:
      if let rule = VariableRules.Rule(line) { variableRules.append(rule) }
    case .resource:
      resourcePatterns["\(line[1]) \(line[2])"] = line[3]
    case .arnSuffix:
      arnSuffixes[line[1], default: []].append((line[2], line[3], Set(line.list(4))))
    case .allRequired:
      allRequired.insert(line[1])
    case .prefer:
      preferredTypes[line[1]] = line[2]
    case .idPrefix:
      identifierPrefixes[line[1], default: []].append((line[2], line.list(3)))
    case .resourceType, .action, nil:
      break
    }
  }

  /// Ends the open service's lines at `end`.
  mutating func endService(at end: Int) {
    if let current = open { serviceLines[current.prefix] = current.start..<end }
    open = nil
  }
}
