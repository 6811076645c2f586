/// What an (event source, event name) pair means, worked out once per pair:
/// the actions the call needs and, for each, where its resources are found.
struct CallPlan: Sendable {
  enum Kind: Sendable {
    case unmapped(reason: String)
    case noPermission
    case actions([PlannedAction])
    case apiGateway([Catalog.ApiGatewayRoute])
  }

  struct PlannedAction: Sendable {
    var action: Catalog.Action
    var hint: String?
    /// The resource types to try, required first, with where each variable is found.
    var candidates: [ResolverPlan.Candidate] = []
    var required: Int = 0
    var service: String = ""
    /// IAM authorises the action against every resource type it requires and
    /// every optional one the request names, not one of them: the catalogue's
    /// `Q` lines, by service or by action.
    var everyType = false
  }

  var kind: Kind
  var passRoles: [(path: JSONLookup.Path, service: String)] = []
  /// Actions needed when the request has a value at a path (`Catalog.ConditionalAction`):
  /// on `pattern`, or, when it is `-`, on the resources the catalogue finds for `planned`.
  var conditional: [Conditional] = []
  /// `conditional`'s quoted first member names, for a quick look at a request.
  var conditionalKeys: [[UInt8]] = []

  struct Conditional: Sendable {
    var path: JSONLookup.Path
    var pathText: String
    var action: String
    var pattern: String
    var passedTo: String
    var planned: PlannedAction?
    /// The path's first member name, quoted: a request without these bytes has no value there.
    var quotedKey: [UInt8] {
      Array("\"\(pathText.prefix { $0 != "." && $0 != "[" })\"".utf8)
    }
  }
  /// An explicit resource pattern from the data (`…:role/aws-service-role/{aWSServiceName}/*`).
  var resourcePattern: String? = nil

  var needsNoPermission: Bool {
    if case .noPermission = kind { return true }
    return false
  }
}

/// How to find a resource for an action, worked out once per (event source, event name).
enum ResolverPlan {
  struct VariablePlan: Sendable {
    var name: String
    /// Where the variable's values are, best first.
    var paths: [JSONLookup.Path]
    /// What the service's own way of naming it asks to be done to a value (`VariableRules`).
    var steps: [VariableRules.Step] = []
    /// No other resource type of the action has this variable: its value is
    /// of this type whatever the service's preferred type (`GuardrailId`).
    var ownType = false
  }

  struct TemplatePlan: Sendable {
    var template: ArnTemplate
    var variables: [VariablePlan]
  }

  struct Candidate: Sendable {
    var type: Catalog.ResourceType
    var templates: [TemplatePlan]
  }
}

/// Works out a call's plan from the catalogue: the service prefix of the event
/// source, the action (version suffixes removed, renamed operations looked up,
/// calls that need several actions expanded), and for each action the resource
/// types to try and where their variables are found.
struct CallPlanner: Sendable {
  let catalog: Catalog

  func plan(source: String, event rawName: String) -> CallPlan {
    let name = EventName.withoutVersionSuffix(rawName)
    var plan = plainPlan(source: source, name: name)
    if let roles = catalog.passRoles["\(source) \(name)"] {
      plan.passRoles = roles.map { (JSONLookup.Path($0.path), $0.service) }
    }
    plan.resourcePattern = catalog.resourcePatterns["\(source) \(name)"]
    if case .actions = plan.kind, let also = catalog.conditionalActions["\(source) \(name)"] {
      plan.conditional = also.map { c in
        CallPlan.Conditional(
          path: JSONLookup.Path(c.path), pathText: c.path, action: c.action, pattern: c.pattern, passedTo: c.passedTo,
          planned: c.pattern == "-" ? catalog.action(c.action).map { planned($0, hint: nil) } : nil)
      }
      plan.conditionalKeys = Array(Set(plan.conditional.map(\.quotedKey)))
    }
    return plan
  }

  private func plainPlan(source: String, name: String) -> CallPlan {
    if source.isEmpty || name.isEmpty { return CallPlan(kind: .unmapped(reason: "no event source or name")) }
    if let targets = catalog.curated["\(source) \(name)"] {
      if targets.isEmpty { return CallPlan(kind: .noPermission) }
      return CallPlan(
        kind: .actions(
          targets.compactMap { t in
            catalog.action(t.action).map { planned($0, hint: t.hint) }
          }))
    }
    guard let prefix = catalog.prefix(forEventSource: source) else {
      return CallPlan(kind: .unmapped(reason: "unknown event source"))
    }
    if prefix == "apigateway", let routes = catalog.apiGatewayRoutes[name] {
      return CallPlan(kind: .apiGateway(routes))
    }
    if let action = catalog.action(prefix: prefix, name: name) {
      return CallPlan(kind: .actions([planned(action, hint: nil)]))
    }
    if let renamed = catalog.renames["\(prefix):\(name)"] {
      let actions = renamed.compactMap { catalog.action($0) }
      if !actions.isEmpty { return CallPlan(kind: .actions(actions.map { planned($0, hint: nil) })) }
    }
    return CallPlan(kind: .unmapped(reason: "no IAM action \(prefix):\(name) in the catalogue"))
  }

  /// The action's resource types in the order to try them: required first, the
  /// service's preferred type moved forward.
  private func planned(_ action: Catalog.Action, hint: String?) -> CallPlan.PlannedAction {
    let required = action.resourceTypes.filter(\.required)
    var ordered = required + action.resourceTypes.filter { !$0.required }
    let service = action.qualifiedName.service
    if let preferred = catalog.preferredTypes[service],
      let at = ordered.firstIndex(where: { $0.type.name.lowercased() == preferred })
    {
      ordered.insert(ordered.remove(at: at), at: required.count > 0 ? min(at, required.count) : 0)
    }
    let candidates = ordered.map { entry in
      ResolverPlan.Candidate(
        type: entry.type,
        templates: entry.type.templates.map { template in
          ResolverPlan.TemplatePlan(
            template: template,
            variables: template.variables.map { variable in
              var plan = variablePlan(variable, in: template)
              plan.ownType = !ordered.contains { other in
                other.type.name != entry.type.name && other.type.templates.contains { $0.variables.contains(variable) }
              }
              return plan
            })
        })
    }
    return CallPlan.PlannedAction(
      action: action, hint: hint, candidates: candidates, required: required.count, service: service,
      everyType: catalog.allRequired.contains(service) || catalog.allRequired.contains(action.name))
  }

  /// Where a variable is found: the data's paths for it, then its own name in
  /// lowerCamelCase and as it is, then the ARN-bearing names, then the
  /// `*Suffix` fallbacks when it is the template's only variable.
  private func variablePlan(_ variable: String, in template: ArnTemplate) -> ResolverPlan.VariablePlan {
    var paths = catalog.parameterPaths[variable] ?? []
    let camel = variable.prefix(1).lowercased() + variable.dropFirst()
    var guesses = [camel, variable] + (catalog.parameterPaths["*"] ?? [])
    for (key, fallback) in catalog.parameterPaths where key.count > 1 && key.hasPrefix("*") {
      if template.variables.count == 1 && variable.hasSuffix(key.dropFirst()) { guesses += fallback }
    }
    for guess in guesses where !paths.contains(guess) { paths.append(guess) }
    return ResolverPlan.VariablePlan(
      name: variable, paths: paths.map(JSONLookup.Path.init), steps: catalog.variableRules.steps(for: variable))
  }
}
