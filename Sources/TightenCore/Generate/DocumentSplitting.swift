/// Splitting statements into documents under the size limit.
extension Generator {
  /// A role holds at most 10 managed policies (IAM quotas: "Managed policies attached to an IAM role").
  public static let documentLimit = 10

  /// Splits statements into documents of at most `maxSize` characters (white
  /// space not counted), along service boundaries, in as few documents as it can.
  public func documents(_ statements: [PolicyStatement], name: String) throws(GeneratorError) -> [PolicyDocument] {
    try documents([PolicyDocument(name: name, path: name, statements: statements)])
  }

  /// Each document split as above; all of them together must fit a role.
  public func documents(_ drafts: [PolicyDocument]) throws(GeneratorError) -> [PolicyDocument] {
    // Each piece keeps the path of the policy it came from (for messages about it).
    // A draft that stays whole keeps its place in its file (a template's policy is written back there).
    let documents = drafts.flatMap { draft in
      let parts = pieces(draft.statements, name: draft.name)
      return parts.map {
        var document = PolicyDocument(name: $0.name, path: draft.path, statements: $0.statements)
        if parts.count == 1 { document.place = draft.place }
        return document
      }
    }
    if documents.count > Self.documentLimit { throw .tooManyDocuments(documents.count) }
    return documents
  }

  private func pieces(_ statements: [PolicyStatement], name: String) -> [PolicyDocument] {
    var byService: [(String, [PolicyStatement])] = []
    for statement in statements {
      let service = ActionName.service(of: statement.actions?.first ?? "")
      if let last = byService.last, last.0 == service {
        byService[byService.count - 1].1.append(statement)
      } else {
        byService.append((service, [statement]))
      }
    }
    // Sizes add up (`PolicyWriter.size(_: PolicyStatement)`), so each statement is measured once.
    let frame = PolicyWriter.size(PolicyDocument(name: "", path: "", statements: []))
    var documents: [[PolicyStatement]] = []
    var current: [PolicyStatement] = []
    var currentSize = frame
    func size(adding sizes: [Int], to base: Int, empty: Bool) -> Int {
      sizes.reduce(base) { $0 + $1 } + sizes.count - (empty ? 1 : 0)
    }
    for (_, group) in byService {
      let sizes = group.map(PolicyWriter.size)
      if !group.isEmpty, size(adding: sizes, to: currentSize, empty: current.isEmpty) <= options.maxSize {
        currentSize = size(adding: sizes, to: currentSize, empty: current.isEmpty)
        current += group
        continue
      }
      if !current.isEmpty { documents.append(current) }
      current = []
      currentSize = frame
      // The service alone: statement by statement, halving statements that do not fit alone.
      for statement in group.flatMap({ split($0) }) {
        let added = PolicyWriter.size(statement)
        if size(adding: [added], to: currentSize, empty: current.isEmpty) <= options.maxSize {
          currentSize = size(adding: [added], to: currentSize, empty: current.isEmpty)
          current.append(statement)
        } else {
          if !current.isEmpty { documents.append(current) }
          current = [statement]
          currentSize = frame + added
        }
      }
    }
    if !current.isEmpty { documents.append(current) }
    let base = name.hasSuffix(".json") ? String(name.dropLast(5)) : name
    return documents.enumerated().map { i, list in
      let docName = documents.count == 1 ? "\(base).json" : "\(base)-\(i + 1).json"
      return PolicyDocument(
        name: docName, path: docName,
        statements: list.enumerated().map { j, s in
          var s = s
          s.index = j
          return s
        })
    }
  }

  /// A statement too large for one document, in halves (resources first,
  /// then actions). Halves of the resources are measured from each
  /// resource's size, without writing the statement again at every level.
  private func split(_ statement: PolicyStatement) -> [PolicyStatement] {
    guard let resources = statement.resources, resources.count > 1 else { return splitWriting(statement) }
    let quoted = resources.map(PolicyWriter.quotedSize)
    var sums = [0]
    sums.reserveCapacity(resources.count + 1)
    for q in quoted { sums.append(sums[sums.count - 1] + q) }
    var empty = statement
    empty.resources = []
    // The statement alone in a document, as the halves are measured, with "Resource": [].
    let emptySize = PolicyWriter.size(PolicyDocument(name: "", path: "", statements: [empty]))
    let sidShown = !statement.label.hasPrefix("#")
    func halves(_ range: Range<Int>, label: String) -> [PolicyStatement] {
      // A one-element list is written as its element.
      let list =
        range.count == 1
        ? quoted[range.lowerBound] : 2 + sums[range.upperBound] - sums[range.lowerBound] + range.count - 1
      let size = emptySize - 2 + list + (sidShown ? label.utf8.count - statement.label.utf8.count : 0)
      var part = statement
      if size <= options.maxSize || range.count == 1 {
        part.label = label
        part.resources = Array(resources[range])
        return size <= options.maxSize ? [part] : splitWriting(part)
      }
      let middle = range.lowerBound + range.count / 2
      return halves(range.lowerBound..<middle, label: label + "Part1")
        + halves(middle..<range.upperBound, label: label + "Part2")
    }
    return halves(0..<resources.count, label: statement.label)
  }

  /// `split`, measuring each half by writing it.
  private func splitWriting(_ statement: PolicyStatement) -> [PolicyStatement] {
    let alone = PolicyDocument(name: "", path: "", statements: [statement])
    guard PolicyWriter.size(alone) > options.maxSize else { return [statement] }
    var a = statement
    var b = statement
    if let resources = statement.resources, resources.count > 1 {
      a.resources = Array(resources[..<(resources.count / 2)])
      b.resources = Array(resources[(resources.count / 2)...])
    } else if let actions = statement.actions, actions.count > 1 {
      a.actions = Array(actions[..<(actions.count / 2)])
      b.actions = Array(actions[(actions.count / 2)...])
    } else {
      return [statement]  // cannot be made smaller
    }
    a.label += "Part1"
    b.label += "Part2"
    return splitWriting(a) + splitWriting(b)
  }
}
