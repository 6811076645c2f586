/// `tighten generate`: the next policy, from the trails alone or by refining the declared policies.
public struct GenerateCommand: Sendable {
  public var input: TrailInput
  public var options: GeneratorOptions
  /// Declared policies to refine; none: a policy from the trails alone.
  public var policyFiles: [String]
  /// With `policyFiles`: a history file to append this turn to.
  public var historyPath: String?
  /// Where to write the documents; nil: the caller prints the one document (more is an error).
  public var outputFolder: String?
  /// The stack's CloudFormation templates; with no trail paths, the policy comes from them alone.
  public var templateFiles: [String] = []
  /// Replace or remove files in the output folder that tighten did not write (or that changed since).
  public var force = false
  /// JSON documents, or infrastructure code (one file holding every document).
  public var format: IaCWriter.Format = .json

  public init(
    input: TrailInput, options: GeneratorOptions = .init(), policyFiles: [String] = [], historyPath: String? = nil,
    outputFolder: String? = nil
  ) {
    self.input = input
    self.options = options
    self.policyFiles = policyFiles
    self.historyPath = historyPath
    self.outputFolder = outputFolder
  }

  public struct Outcome: Sendable {
    /// The documents, each under the size limit; at most 10.
    public var documents: [PolicyDocument]
    /// What a refinement changed (nil from the trails alone).
    public var changelog: Changelog?
    /// Every turn of the history, this one included, when `historyPath` was given.
    public var history: [PolicyValue]?
    public var policyWarnings: [PolicyWarning]
    public var status: RunStatus
    /// With `outputFolder`: the permissions of the trails whose resource is a
    /// pattern or `*` although the action has resource types (what the trail
    /// did not name exactly), and how many permissions the trails showed.
    public var widened: [Widened] = []
    public var permissions = 0
    /// From the trails alone: the permissions added because the stack's resources will need them.
    public var predicted: [Permission] = []
    /// The principals whose calls the policy covers.
    public var principals: [TrailAnalysis.PrincipalCount] = []
    /// Files of an earlier run left in the output folder because they changed since tighten wrote them.
    public var leftInPlace: [String] = []
    /// Infrastructure code (`--format cloudformation|terraform|cdk`): every document in one text.
    public var code: String?
    /// The infrastructure-code files written to the output folder (templates written back, and the one file).
    public var codeFiles: [String] = []
    /// What a user must know of the written code (a template policy left as it was, and why).
    public var notes: [String] = []
  }

  /// A permission whose resource is wider than one named resource, and why.
  public struct Widened: Sendable, Equatable {
    public var action: String
    public var resource: String
    public var basis: ResourceBasis
  }

  public func run(observer: RunObserver = .init()) throws(RunError) -> Outcome {
    var declared: DeclaredPolicies? = nil
    if !policyFiles.isEmpty {
      do { declared = try DeclaredPolicies.load(policyFiles, principals: input.filter.principals) } catch {
        throw .policy(error)
      }
    }
    let templates: [StackTemplate]
    do { templates = try StackTemplate.load(templateFiles) } catch { throw .policy(error) }
    let mapper = PermissionMapper()
    // Before the first deploy: the template alone, no trail.
    let analysis =
      input.paths.isEmpty && !templates.isEmpty
      ? TrailAnalyzer(workers: 1).analyze(bytes: Array(#"{"Records":[]}"#.utf8))
      : try input.analyze(mapper: mapper, observer: observer)
    let laps = RunObserver.Laps(observer)
    let stack = options.lifecycle ? StackModel.build(templates: templates, analysis: analysis) : .empty
    let generator = Generator(options: options)
    let binding = PolicyBinding.of(analysis, filter: input.filter)
    var outcome = Outcome(
      documents: [], changelog: nil, history: nil, policyWarnings: [], status: analysis.isPartial ? .partial : .clean)
    // The summary that lists them is printed with an output folder only.
    if outputFolder != nil { (outcome.widened, outcome.permissions) = Self.widened(analysis, mapper.catalog) }
    outcome.principals = analysis.principals
    do {
      guard let declared else {
        let predicted = Self.predicted(stack, analysis, mapper.catalog)
        outcome.predicted = predicted
        laps.lap("lifecycle")
        let statements = generator.statements(from: analysis, predicted: predicted)
        laps.lap("statements")
        outcome.documents = try generator.documents(statements, name: "policy")
        laps.lap("documents")
        (outcome.leftInPlace, outcome.code, outcome.codeFiles, outcome.notes) = try deliver(
          outcome.documents, binding, inputs: inputs(analysis, nil), templates: [:], originals: [:])
        return outcome
      }
      let policies: PolicySet
      do { policies = try declared.bound(to: .of(analysis, filter: input.filter)) } catch {
        throw RunError.policy(error)
      }
      outcome.policyWarnings = policies.warnings
      let diff = Differ(policies: policies, mapper: mapper, workers: input.workers)
        .diff(analysis, policyFiles: declared.names, stack: stack)
      var refined = generator.refine(analysis, policies: policies, diff: diff)
      outcome.documents = try generator.documents(refined.documents)
      outcome.changelog = refined.changelog
      // The history is checked and locked before any document is written, and kept clear of them.
      var inputs = inputs(analysis, declared)
      if format == .json { try prepare(outcome.documents) }
      var history: HistoryFile? = nil
      if let historyPath {
        do { history = try HistoryFile(path: historyPath, inputs: inputs) } catch { throw RunError.history(error) }
        inputs.insert(history!.identity)
      }
      defer { history?.close() }
      let templates = Dictionary(
        declared.files.filter { $0.kind == .template }.map {
          ($0.path, $0.name.replacing("/", with: "."))
        },
        uniquingKeysWith: { a, _ in a })
      let originals = Dictionary(
        policies.documents.map { ($0.path + "\t" + $0.place, $0.statements) }, uniquingKeysWith: { a, _ in a })
      (outcome.leftInPlace, outcome.code, outcome.codeFiles, outcome.notes) = try deliver(
        outcome.documents, binding, inputs: inputs, templates: templates, originals: originals)
      if let history {
        refined.changelog.promoted = History.promoted(history.turns, analysis: analysis)
        outcome.changelog = refined.changelog
        let turn = History.turn(refined.changelog, diff: diff, trails: input.paths)
        do { outcome.history = try history.append(turn) } catch { throw RunError.history(error) }
      }
    } catch let error as GeneratorError {
      throw .generator(error)
    } catch let error as RunError {
      throw error
    } catch {
      preconditionFailure("unexpected error \(error)")
    }
    return outcome
  }

  /// Checks that the documents can be delivered (one for standard output; distinct names for a folder)
  /// and makes the output folder, before anything else is written.
  private func prepare(_ documents: [PolicyDocument]) throws(RunError) {
    guard let outputFolder else {
      if documents.count > 1 { throw .needsOutputFolder(documents: documents.count, maxSize: options.maxSize) }
      return
    }
    try PolicyOutput.check(documents, folder: outputFolder)
    try PolicyOutput.makeFolder(outputFolder)
  }

  /// The permissions the stack's resources will need that the trails do not show.
  static func predicted(_ stack: StackModel, _ analysis: TrailAnalysis, _ catalog: Catalog) -> [Permission] {
    guard !stack.isEmpty else { return [] }
    let predictor = LifecyclePredictor(for: analysis, catalog: catalog)
    let predicted = predictor.predict(stack).map(\.permission)
    let observed = analysis.permissions(of: Set(predicted.map(\.action)))
    return predicted.filter { !observed.contains($0) }
  }

  /// Writes the documents to the output folder, if there is one.
  private func deliver(
    _ documents: [PolicyDocument], _ binding: PolicyBinding, inputs: Set<FileIdentity>, templates: [String: String],
    originals: [String: [PolicyStatement]]
  ) throws(RunError) -> (leftInPlace: [String], code: String?, files: [String], notes: [String]) {
    guard let fileName = format.fileName else {
      try prepare(documents)
      guard let outputFolder else { return ([], nil, [], []) }
      return (try PolicyOutput.deliver(documents, to: outputFolder, inputs: inputs, force: force), nil, [], [])
    }
    // Refining CloudFormation templates: each written back with only its policy documents changed.
    if format == .cloudformation, !templates.isEmpty {
      var files: [(name: String, text: String)] = []
      var rest: [PolicyDocument] = []
      var byTemplate: [String: [String: PolicyDocument]] = [:]
      for document in documents {
        if templates[document.path] != nil && !document.place.isEmpty {
          // A document the refinement left as it was keeps its text, intrinsics and all.
          var changes = byTemplate[document.path] ?? [:]
          if originals[document.path + "\t" + document.place] != document.statements {
            changes[document.place] = document
          }
          byTemplate[document.path] = changes
        } else {
          rest.append(document)
        }
      }
      var notes: [String] = []
      // A template policy the refinement emptied or split is not one document any more: said, never hidden.
      let placed = Set(documents.map { $0.path + "\t" + $0.place })
      for key in originals.keys.sorted() where !placed.contains(key) {
        let parts = key.split(separator: "\t", maxSplits: 1).map(String.init)
        guard parts.count == 2, templates[parts[0]] != nil else { continue }
        notes.append(
          "\(parts[0]): \(parts[1]) is left as it was: refined, it is empty or needs several documents "
            + "(they are in \(fileName))")
      }
      for path in byTemplate.keys.sorted() {
        guard let bytes = Platform.readFile(path, limit: DeclaredPolicies.sizeLimit),
          let text = String(validating: bytes, as: UTF8.self)
        else { throw .write(path: path, message: "cannot read the template again to write it back") }
        do {
          let (rewritten, kept) = try TemplateRewriter.rewrite(
            text, path: path, documents: byTemplate[path]!, binding: binding)
          files.append((templates[path]!, rewritten))
          for place in kept {
            rest.append(byTemplate[path]![place]!)
            notes.append(
              "\(path): \(place) is left as it was: it uses intrinsic functions or parameters, which a "
                + "rewrite would resolve; the refined document is in \(fileName)")
          }
        } catch {
          throw .policy(error)
        }
      }
      if !rest.isEmpty { files.append((fileName, IaCWriter.render(rest, format: format, binding: binding))) }
      guard let outputFolder else {
        if files.count > 1 { throw .needsOutputFolder(documents: files.count, maxSize: options.maxSize) }
        return ([], files.first?.text, [], notes)
      }
      return (
        try PolicyOutput.deliver(files: files, to: outputFolder, inputs: inputs, force: force), nil,
        files.map(\.name), notes
      )
    }
    let code = IaCWriter.render(documents, format: format, binding: binding)
    guard let outputFolder else { return ([], code, [], []) }
    return (
      try PolicyOutput.deliver(files: [(fileName, code)], to: outputFolder, inputs: inputs, force: force), nil,
      [fileName], []
    )
  }

  /// Every file the run reads: trails and declared policies.
  /// The trails' permissions whose resource is wider than one named resource, and how many permissions there are.
  private static func widened(_ analysis: TrailAnalysis, _ catalog: Catalog) -> ([Widened], Int) {
    var classifier = ResourceBasisClassifier(catalog: catalog)
    var rows: [Widened] = []
    var count = 0
    analysis.forEachPermission { action, resource, _ in
      count += 1
      let basis = classifier.basis(action: action, resource: resource)
      if basis == .patternNotNamed || basis == .notNamed {
        rows.append(
          Widened(
            action: String(decoding: action, as: UTF8.self), resource: String(decoding: resource, as: UTF8.self),
            basis: basis))
      }
    }
    return (rows, count)
  }

  private func inputs(_ analysis: TrailAnalysis, _ declared: DeclaredPolicies?) -> Set<FileIdentity> {
    analysis.inputFiles.union((declared?.files ?? []).compactMap { FileIdentity(path: $0.path) })
  }
}
