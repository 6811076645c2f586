/// `tighten diff`: what the trails show against what the declared policies grant.
public struct DiffCommand: Sendable {
  /// Which findings make the run fail (exit status 1).
  public enum FailOn: String, Sendable, CaseIterable {
    case missing, unused, overbroad, invalid, any, never
  }

  public var input: TrailInput
  public var policyFiles: [String]
  /// The policy types that limit the identity policies: a permissions boundary, the organisation's
  /// control policies (one file per level, root first), a session policy.
  public var boundaryFile: String? = nil
  public var organizationFiles: [String] = []
  public var sessionPolicyFile: String? = nil
  /// The stack's CloudFormation templates: which resources it has over its life.
  public var templateFiles: [String] = []
  public var failOn: FailOn
  /// A previous `tighten diff --format json` result: only findings new since then count.
  public var baselinePath: String?

  public init(input: TrailInput, policyFiles: [String], failOn: FailOn = .missing, baselinePath: String? = nil) {
    self.input = input
    self.policyFiles = policyFiles
    self.failOn = failOn
    self.baselinePath = baselinePath
  }

  public struct Outcome: Sendable {
    public var result: DiffResult
    /// Each policy file's report name and path (SARIF locates findings in them).
    public var files: [PolicyFileName] = []
    public var baseline: BaselineComparison?
    public var status: RunStatus
  }

  /// Reads the policies (a bad file stops the run before any trail is read),
  /// the baseline and the trails, binds the policies and compares.
  public func run(observer: RunObserver = .init()) throws(RunError) -> Outcome {
    let declared: DeclaredPolicies
    do {
      declared = try DeclaredPolicies.load(
        policyFiles, principals: input.filter.principals, boundary: boundaryFile, organization: organizationFiles,
        session: sessionPolicyFile)
    } catch {
      throw .policy(error)
    }
    let templates: [StackTemplate]
    do { templates = try StackTemplate.load(templateFiles) } catch { throw .policy(error) }
    var baselineText: String? = nil
    if let baselinePath {
      do { baselineText = try BaselineComparison.load(baselinePath) } catch { throw .baseline(error) }
    }
    let mapper = PermissionMapper()
    let analysis = try input.analyze(mapper: mapper, observer: observer)
    let laps = RunObserver.Laps(observer)
    let policies: PolicySet
    do { policies = try declared.bound(to: .of(analysis, filter: input.filter)) } catch { throw .policy(error) }
    laps.lap("policies")
    let result = Differ(policies: policies, mapper: mapper, workers: input.workers)
      .diff(analysis, policyFiles: declared.names, stack: .build(templates: templates, analysis: analysis))
    laps.lap("diff")
    var comparison: BaselineComparison? = nil
    if let baselineText, let baselinePath {
      do {
        comparison = try BaselineComparison.compare(result, baselineText: baselineText, path: baselinePath)
      } catch {
        throw .baseline(error)
      }
    }
    var outcome = Outcome(result: result, baseline: comparison, status: status(result, comparison))
    outcome.files = declared.files.map { PolicyFileName(name: $0.name, path: $0.path) }
    return outcome
  }

  /// Partial beats findings: a run that missed files cannot vouch for anything.
  func status(_ result: DiffResult, _ comparison: BaselineComparison?) -> RunStatus {
    if result.analysis.isPartial { return .partial }
    let missing = comparison.map { !$0.newMissing.isEmpty } ?? !result.missing.isEmpty
    let unused =
      comparison.map { $0.newUnused.contains { $0.kind == .unused } } ?? result.unused.contains { $0.kind == .unused }
    let findings: Bool
    switch failOn {
    case .missing: findings = missing
    case .unused: findings = unused
    case .overbroad: findings = !result.overbroad.isEmpty
    case .invalid: findings = !result.invalid.isEmpty
    case .any: findings = missing || unused || !result.overbroad.isEmpty || !result.invalid.isEmpty
    case .never: findings = false
    }
    return findings ? .findings : .clean
  }
}

/// A policy file as reports name it, and where it is.
public struct PolicyFileName: Sendable, Equatable {
  public var name: String
  public var path: String
}
