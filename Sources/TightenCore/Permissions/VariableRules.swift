/// Where a service names a resource differently from its ARN: how a value
/// found in a request becomes an ARN template variable's part of the ARN.
///
/// The rules are data, from the catalogue's `H` and `F` lines (written as
/// `strip` and `variable` in `Scripts/data/events.txt`, each with the AWS page
/// it follows). A rule names one variable, or with `*Suffix` every variable
/// ending so except those it lists. Whatever the order of the lines, a
/// variable's rules apply in this order:
///
/// 0. `map VALUE=PART...`: a value written as the request spells it becomes
///    the ARN's spelling (WAFV2's `Scope` `REGIONAL` → `regional`, `CLOUDFRONT` → `global`).
/// 1. `queue-url`: an `https://` SQS queue URL gives the queue's name, and the
///    region and account of the ARN (`https://sqs.eu-west-1.amazonaws.com/1/jobs`
///    → `jobs` in `eu-west-1`, account `1`).
/// 2. `strip PREFIX` (`H` lines): a value starting with `PREFIX` loses it
///    (`alias/orders` → `orders`).
/// 3. `path PARAMETER`: the request's IAM path at `PARAMETER`, when longer than
///    `/`, goes before the value without its leading slash (`/svc/` and `r` →
///    `svc/r`).
/// 4. `append TEXT`: `TEXT` goes after the value (`db` → `db-??????`).
/// 5. `reject CHARACTER...`: a value holding one of them is not of this
///    variable and is skipped (a KMS alias for a `KeyId`).
/// 6. `aws-owned PREFIX...`: a value starting with one of them, in any case,
///    names a resource AWS owns, whose ARN has no account
///    (`AWS-RunShellScript` → `arn:aws:ssm:us-east-1::document/AWS-RunShellScript`).
struct VariableRules: Sendable {
  /// One thing done to a value, in the order the cases are listed.
  enum Step: Sendable, Equatable {
    case map([String: String])
    case queueURL
    case strip(String)
    case path(JSONLookup.Path)
    case append(String)
    case reject([String])
    case awsOwned([String])

    fileprivate var order: Int {
      switch self {
      case .map: 0
      case .queueURL: 1
      case .strip: 2
      case .path: 3
      case .append: 4
      case .reject: 5
      case .awsOwned: 6
      }
    }
  }

  /// A step and the variables it is for.
  struct Rule: Sendable, Equatable {
    /// A variable's name, or `*Suffix`.
    var variable: String
    var step: Step
    /// Variables a `*Suffix` rule does not apply to.
    var except: Set<String> = []

    /// Whether the rule is for `name`.
    func applies(to name: String) -> Bool {
      if except.contains(name) { return false }
      if variable.hasPrefix("*") { return name.hasSuffix(variable.dropFirst()) }
      return name == variable
    }
  }

  let rules: [Rule]

  /// - Parameters:
  ///   - stripped: Prefixes to strip, by variable (`H` lines).
  ///   - rules: The other rules (`F` lines).
  init(stripped: [String: String] = [:], rules: [Rule] = []) {
    self.rules = stripped.sorted { $0.key < $1.key }.map { Rule(variable: $0.key, step: .strip($0.value)) } + rules
  }

  /// The steps for one variable, in the order they apply.
  func steps(for variable: String) -> [Step] {
    let mine = rules.filter { $0.applies(to: variable) }.map(\.step)
    return (0...6).flatMap { order in mine.filter { $0.order == order } }
  }

  /// Applies `steps` to a value of the request; nil when a step rejects it.
  /// A queue URL sets `region` (when it names one) and `account`.
  static func apply(
    _ steps: [Step], to raw: String, in request: ResourceRequest, region: inout String, account: inout String
  ) -> String? {
    var value = raw
    for step in steps {
      switch step {
      case .map(let spellings):
        if let spelled = spellings[value] { value = spelled }
      case .queueURL:
        if value.hasPrefix("https://"), let queue = ServiceRequests.queueURL(value) {
          region = queue.region.isEmpty ? region : queue.region
          account = queue.account
          value = queue.name
        }
      case .strip(let prefix):
        if value.hasPrefix(prefix) { value.removeFirst(prefix.count) }
      case .path(let parameter):
        if let path = request.values(parameter).first, path.count > 1 {
          value = String(path.dropFirst()) + value  // "/svc/" + "name" → "svc/name"
        }
      case .append(let text):
        value += text
      case .reject(let characters):
        if characters.contains(where: { value.contains($0) }) { return nil }
      case .awsOwned(let prefixes):
        let lower = value.lowercased()
        if prefixes.contains(where: { lower.hasPrefix($0) }) { account = ARN.ownedByAWS }
      }
    }
    return value
  }
}

extension VariableRules.Rule {
  /// The rule of a catalogue `F` line (`F	variable	rule	arguments	except`); nil
  /// for a rule this version does not know.
  init?(_ line: CatalogLine) {
    let argument = line[3]
    let step: VariableRules.Step
    switch line[2] {
    case "map":
      var spellings: [String: String] = [:]
      for pair in line.list(3) {
        guard let eq = pair.firstIndex(of: "=") else { return nil }
        spellings[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
      }
      step = .map(spellings)
    case "queue-url": step = .queueURL
    case "path": step = .path(JSONLookup.Path(argument))
    case "append": step = .append(argument)
    case "reject": step = .reject(line.list(3))
    case "aws-owned": step = .awsOwned(line.list(3).map { $0.lowercased() })
    default: return nil
    }
    self.init(variable: line[1], step: step, except: Set(line.list(4)))
  }
}
