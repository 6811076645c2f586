/// The `diff` command's output.
public enum DiffReport {
  // MARK: JSON

  public static func json(_ r: DiffResult, baseline: BaselineComparison? = nil) -> String {
    ByteSink.collect { json(r, baseline: baseline, to: $0) }
  }

  public static func json(_ r: DiffResult, baseline: BaselineComparison?, to out: ByteSink) {
    var members = ScanReport.commonMembers(r.analysis)
    members.append(("policies", .array(r.policies.map(JSONValue.string))))
    members.append(("missing", .array(r.missing.map(missingJSON))))
    members.append(("unused", .array(r.unused.map(unusedJSON))))
    members.append(("overbroad", .array(r.overbroad.map(overbroadJSON))))
    members.append(("invalid", .array(r.invalid.map(invalidJSON))))
    members.append(("predicted", .array(r.predicted.map(predictedJSON))))
    members.append(("warnings", .array(r.warnings.map { .string($0.description) })))
    if let baseline {
      members.append(
        (
          "baseline",
          .object([
            ("newMissing", .array(baseline.newMissing.map(missingJSON))),
            (
              "resolvedMissing",
              .array(
                baseline.resolvedMissing.map {
                  .object([("action", .string($0.action)), ("resource", .string($0.resource))])
                })
            ),
            ("newUnused", .array(baseline.newUnused.map(unusedJSON))),
            (
              "resolvedUnused",
              .array(
                baseline.resolvedUnused.map {
                  .object([
                    ("policy", .string($0.policy)), ("statement", .string($0.statement)),
                    ("action", .string($0.action)),
                  ])
                })
            ),
          ])
        ))
    }
    out.append(JSONValue.object(members).pretty() + "\n")
    out.flush()
  }

  static func missingJSON(_ m: DiffResult.Missing) -> JSONValue {
    .object([
      ("action", .string(m.action)), ("resource", .string(m.resource)),
      ("resourceBasis", .string(ResourceBasis.of(action: m.action, resource: m.resource).rawValue)),
      ("count", .int(m.count)),
      ("denied", .int(m.denied)), ("reason", .string(m.reason.rawValue)),
    ])
  }

  static func unusedJSON(_ u: DiffResult.Unused) -> JSONValue {
    var members: [(String, JSONValue)] = [
      ("policy", .string(u.policy)), ("statement", .string(u.statement)), ("action", .string(u.action)),
      ("kind", .string(u.kind.rawValue)),
    ]
    if u.kind == .lifecycle { members.append(("neededBy", neededByJSON(u.neededBy))) }
    return .object(members)
  }

  static func neededByJSON(_ list: [LifecyclePredictor.NeededBy]) -> JSONValue {
    .array(
      list.map {
        .object([
          ("resourceType", .string($0.resourceType)), ("resource", .string($0.resource)),
          ("phase", .string($0.phase.rawValue)),
        ])
      })
  }

  static func predictedJSON(_ p: DiffResult.Predicted) -> JSONValue {
    .object([
      ("action", .string(p.action)), ("resource", .string(p.resource)),
      ("resourceBasis", .string(ResourceBasis.of(action: p.action, resource: p.resource).rawValue)),
      ("count", .int(0)), ("denied", .int(0)), ("reason", .string(p.reason.rawValue)),
      ("conditional", .bool(p.conditional)), ("neededBy", neededByJSON(p.neededBy)),
    ])
  }

  /// How many predicted rows text and Markdown show (JSON has them all).
  static let predictedShown = 20

  /// `AWS::DynamoDB::Table shop-dev-Orders (delete)`, the first few of a list.
  static func neededByText(_ list: [LifecyclePredictor.NeededBy], limit: Int = 2) -> String {
    var parts = list.prefix(limit).map { "\($0.resourceType) \($0.resource) (\($0.phase.rawValue))" }
    if list.count > limit { parts.append("\(list.count - limit) more") }
    return parts.joined(separator: ", ")
  }

  static func overbroadJSON(_ o: DiffResult.Overbroad) -> JSONValue {
    .object([
      ("policy", .string(o.policy)), ("statement", .string(o.statement)), ("action", .string(o.action)),
      ("usedActions", .array(o.usedActions.map(JSONValue.string))),
    ])
  }

  static func invalidJSON(_ i: DiffResult.Invalid) -> JSONValue {
    .object([
      ("policy", .string(i.policy)), ("statement", .string(i.statement)), ("action", .string(i.action)),
      ("reason", .string(i.reason.rawValue)), ("suggestion", i.suggestion.map(JSONValue.string) ?? .null),
    ])
  }

  /// The counts line; invalid entries are counted only when there are some.
  static func counts(_ r: DiffResult) -> String {
    let unusedCount = r.unused.filter { $0.kind == .unused }.count
    let unobservable = r.unused.filter { $0.kind == .unobservable }.count
    var line =
      "\(r.missing.count) missing, \(unusedCount) unused, \(unobservable) unobservable, \(r.overbroad.count) overbroad"
    if !r.invalid.isEmpty { line += ", \(r.invalid.count) invalid" }
    let lifecycle = r.unused.filter { $0.kind == .lifecycle }.count
    if lifecycle > 0 { line += ", \(lifecycle) kept for the stack's life" }
    if !r.predicted.isEmpty { line += ", \(r.predicted.count) predicted" }
    return line
  }

  /// An invalid entry's line: why, and what was perhaps meant.
  static func invalidLine(_ i: DiffResult.Invalid) -> String {
    let why =
      switch i.reason {
      case .unknownAction: "no such action"
      case .unknownService: "no such service prefix"
      case .matchesNothing: "the wildcard matches no action"
      }
    return i.suggestion.map { "\(why); did you mean \($0)?" } ?? why
  }

  // MARK: Text

  public struct Style: Sendable {
    public var colour: Bool
    public init(colour: Bool) { self.colour = colour }
    func red(_ s: String) -> String { colour ? "\u{1B}[31m\(s)\u{1B}[0m" : s }
    func yellow(_ s: String) -> String { colour ? "\u{1B}[33m\(s)\u{1B}[0m" : s }
    func bold(_ s: String) -> String { colour ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
  }

  public static func text(_ r: DiffResult, baseline: BaselineComparison? = nil, style: Style = Style(colour: false))
    -> String
  {
    var out = ScanReport.summaryLine(r.analysis) + "\n"
    out += "Policies: \(r.policies.map(Escaping.text).joined(separator: ", "))\n"
    out += "\n" + style.bold(counts(r)) + "\n"
    if !r.missing.isEmpty {
      out += "\n" + style.red("Missing: calls the policies would not allow") + "\n"
      out += ScanReport.table(
        [["ACTION", "RESOURCE", "CALLS", "DENIED", "REASON"]]
          + r.missing.map { [$0.action, $0.resource, String($0.count), String($0.denied), $0.reason.rawValue] },
        rightAligned: [2, 3])
    }
    let unusedRows = r.unused.filter { $0.kind != .lifecycle }
    if !unusedRows.isEmpty {
      out += "\n" + style.yellow("Unused: granted, never called") + "\n"
      out += grouped(
        unusedRows.map {
          (
            $0.policy, $0.statement,
            $0.kind == .unused
              ? Escaping.text($0.action) : "\(Escaping.text($0.action))  (unobservable: the trail has no data events)"
          )
        })
    }
    let lifecycleRows = r.unused.filter { $0.kind == .lifecycle }
    if !lifecycleRows.isEmpty {
      out += "\nLifecycle: granted, not called by this trail, needed by the stack's resources\n"
      out += grouped(
        lifecycleRows.map {
          (
            $0.policy, $0.statement,
            "\(Escaping.text($0.action))  needed by \(Escaping.text(neededByText($0.neededBy)))"
          )
        })
    }
    if !r.predicted.isEmpty {
      out += "\n" + style.red("Predicted: the stack's resources will need these; no policy allows them") + "\n"
      out += ScanReport.table(
        [["ACTION", "RESOURCE", "NEEDED BY", "CONDITIONAL"]]
          + r.predicted.prefix(predictedShown).map {
            [$0.action, $0.resource, neededByText($0.neededBy, limit: 1), $0.conditional ? "yes" : ""]
          },
        rightAligned: [])
      if r.predicted.count > predictedShown {
        out += "  … and \(r.predicted.count - predictedShown) more (--format json lists every one)\n"
      }
    }
    if !r.overbroad.isEmpty {
      out += "\nOverbroad: wildcards of which only some actions were used\n"
      out += grouped(
        r.overbroad.map {
          (
            $0.policy, $0.statement,
            "\(Escaping.text($0.action))  used: \($0.usedActions.map(Escaping.text).joined(separator: ", "))"
          )
        })
    }
    if !r.invalid.isEmpty {
      out += "\n" + style.red("Invalid: entries that name no action IAM has") + "\n"
      out += grouped(r.invalid.map { ($0.policy, $0.statement, "\(Escaping.text($0.action))  (\(invalidLine($0)))") })
    }
    if let baseline {
      out +=
        "\nSince the baseline: \(baseline.newMissing.count) new missing, \(baseline.resolvedMissing.count) resolved; "
        + "\(baseline.newUnused.count) new unused, \(baseline.resolvedUnused.count) resolved\n"
      let t = Escaping.text
      for m in baseline.newMissing { out += "  + missing \(t(m.action)) \(t(m.resource))\n" }
      for m in baseline.resolvedMissing { out += "  - missing \(t(m.action)) \(t(m.resource))\n" }
      for u in baseline.newUnused { out += "  + unused \(t(u.policy)) \(t(u.statement)) \(t(u.action))\n" }
      for u in baseline.resolvedUnused { out += "  - unused \(t(u.policy)) \(t(u.statement)) \(t(u.action))\n" }
    }
    for w in r.warnings { out += "\nwarning: \(Escaping.text(w.description))" }
    if !r.warnings.isEmpty { out += "\n" }
    return out
  }

  /// Rows grouped under their policy and statement; the policy and statement are escaped here, the line
  /// by the caller (it mixes data and the report's words).
  static func grouped(_ rows: [(policy: String, statement: String, line: String)]) -> String {
    var out = ""
    var policy = ""
    var statement = ""
    for row in rows {
      if row.policy != policy {
        out += "  \(Escaping.text(row.policy))\n"
        policy = row.policy
        statement = ""
      }
      if row.statement != statement {
        let label = Escaping.text(row.statement)
        out += "    \(row.statement.hasPrefix("#") ? "statement \(label)" : "\"\(label)\"")\n"
        statement = row.statement
      }
      out += "      \(row.line)\n"
    }
    return out
  }

  // MARK: Markdown

  /// GitHub refuses comments over 65,536 characters; the report stays under this, truncating rows.
  public static let markdownLimit = 65_536

  /// Markdown for a pull-request comment: the summary first (with what is new and resolved since a
  /// baseline), the missing calls, then every other section folded in `<details>`; rows that would take
  /// the comment past `limit` are left out with their count.
  public static func markdown(_ r: DiffResult, baseline: BaselineComparison? = nil, limit: Int = markdownLimit)
    -> String
  {
    let cell = Escaping.markdownCode
    var counts = counts(r).split(separator: ", ", maxSplits: 2).map(String.init)
    counts[0] = "**\(counts[0])**"
    counts[1] = "**\(counts[1])**"
    var out = "## tighten diff\n\n"
    out +=
      counts.joined(separator: ", ") + ": \(r.analysis.events.counted) calls counted in \(r.analysis.files.read) files "
      + "against \(r.policies.map(cell).joined(separator: ", ")).\n"
    if r.analysis.isPartial {
      out += "\n> **Partial run:** \(r.analysis.files.failed.count) input files could not be read.\n"
    }
    // Room for each section's closing lines, kept back from the rows.
    let budget = limit - 2_000
    func section(_ heading: String, folded: Bool, intro: String = "", header: String, _ rows: [String]) {
      guard !rows.isEmpty else { return }
      out += folded ? "\n<details><summary><b>\(heading)</b> (\(rows.count))</summary>\n\n" : "\n### \(heading)\n\n"
      out += intro + header
      var shown = 0
      for row in rows {
        if out.utf8.count + row.utf8.count > budget { break }
        out += row
        shown += 1
      }
      if shown < rows.count {
        out += "\n… and \(rows.count - shown) more rows not shown (`--format json` lists every one).\n"
      }
      if folded { out += "\n</details>\n" }
    }
    if let baseline {
      out +=
        "\nSince the baseline: \(baseline.newMissing.count) new missing, \(baseline.resolvedMissing.count) resolved; "
        + "\(baseline.newUnused.count) new unused, \(baseline.resolvedUnused.count) resolved.\n"
      let rows =
        baseline.newMissing.map { "| new | missing | \(cell($0.action)) | \(cell($0.resource)) |\n" }
        + baseline.resolvedMissing.map { "| resolved | missing | \(cell($0.action)) | \(cell($0.resource)) |\n" }
        + baseline.newUnused.map {
          "| new | \($0.kind.rawValue) | \(cell($0.action)) | \(cell($0.policy)) \(cell($0.statement)) |\n"
        }
        + baseline.resolvedUnused.map {
          "| resolved | unused | \(cell($0.action)) | \(cell($0.policy)) \(cell($0.statement)) |\n"
        }
      section(
        "Since the baseline", folded: false,
        header: "| Change | Finding | Action | Resource or entry |\n|---|---|---|---|\n",
        rows)
    }
    section(
      "Missing", folded: false, header: "| Action | Resource | Calls | Denied | Reason |\n|---|---|--:|--:|---|\n",
      r.missing.map {
        "| \(cell($0.action)) | \(cell($0.resource)) | \($0.count) | \($0.denied) | \($0.reason.rawValue) |\n"
      })
    section(
      "Unused", folded: true, header: "| Policy | Statement | Action | Kind |\n|---|---|---|---|\n",
      r.unused.map { u in
        let kind =
          u.kind == .lifecycle ? "lifecycle: " + Escaping.markdownText(neededByText(u.neededBy)) : u.kind.rawValue
        return "| \(cell(u.policy)) | \(cell(u.statement)) | \(cell(u.action)) | \(kind) |\n"
      })
    section(
      "Predicted", folded: true, intro: "The stack's resources will need these; no policy allows them.\n\n",
      header: "| Action | Resource | Needed by | Conditional |\n|---|---|---|---|\n",
      r.predicted.map { p in
        "| \(cell(p.action)) | \(cell(p.resource)) | \(Escaping.markdownText(neededByText(p.neededBy, limit: 1))) | \(p.conditional ? "yes" : "") |\n"
      })
    section(
      "Overbroad", folded: true, header: "| Policy | Statement | Entry | Used actions |\n|---|---|---|---|\n",
      r.overbroad.map { o in
        "| \(cell(o.policy)) | \(cell(o.statement)) | \(cell(o.action)) | \(o.usedActions.map(cell).joined(separator: ", ")) |\n"
      })
    section(
      "Invalid", folded: true, header: "| Policy | Statement | Entry | Reason | Suggestion |\n|---|---|---|---|---|\n",
      r.invalid.map { i in
        "| \(cell(i.policy)) | \(cell(i.statement)) | \(cell(i.action)) | \(i.reason.rawValue) | \(i.suggestion.map(cell) ?? "") |\n"
      })
    section("Warnings", folded: true, header: "", r.warnings.map { "- \(Escaping.markdownText($0.description))\n" })
    return out
  }
}

// MARK: SARIF

extension DiffReport {
  /// SARIF 2.1.0 for code-scanning dashboards: one result per finding, located
  /// at the policy file and the line of its statement (calls that are missing
  /// are located at the first policy file: no statement grants them).
  /// - Parameter files: each policy file's report name and path.
  public static func sarif(_ r: DiffResult, files: [(name: String, path: String)]) -> String {
    let rules: [(String, String)] = [
      ("missing", "A call the trails show that the policies would not allow"),
      ("unused", "A granted action no call used"),
      ("lifecycle", "A granted action no call used, needed later by the stack's resources"),
      ("predicted", "A permission the stack's resources will need that no policy grants"),
      ("overbroad", "A wildcard of which only some actions were used"),
      ("invalid", "An entry that names no action IAM has"),
    ]
    var lines: [String: [String]] = [:]
    func location(_ policy: String?, statement: String?, action: String?) -> JSONValue {
      let file = policy.flatMap { p in files.first { p == $0.name || p.hasPrefix($0.name + ":") } } ?? files.first
      guard let file else { return .array([]) }
      if lines[file.path] == nil {
        let text = Platform.readFile(file.path, limit: DeclaredPolicies.sizeLimit).map {
          String(decoding: $0, as: UTF8.self)
        }
        lines[file.path] =
          text.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } ?? []
      }
      let line = statement.map { statementLine(lines[file.path]!, label: $0, action: action) } ?? 1
      return .array([
        .object([
          (
            "physicalLocation",
            .object([
              ("artifactLocation", .object([("uri", .string(file.path))])),
              ("region", .object([("startLine", .int(line))])),
            ])
          )
        ])
      ])
    }
    func result(_ rule: String, _ level: String, _ text: String, _ location: JSONValue) -> JSONValue {
      .object([
        ("ruleId", .string(rule)), ("level", .string(level)), ("message", .object([("text", .string(text))])),
        ("locations", location),
      ])
    }
    var results: [JSONValue] = []
    for m in r.missing {
      results.append(
        result(
          "missing", "error",
          "\(m.action) on \(m.resource) is not allowed (\(m.reason.rawValue)): \(m.count) calls, \(m.denied) refused",
          location(nil, statement: nil, action: nil)))
    }
    for u in r.unused {
      let rule = u.kind == .lifecycle ? "lifecycle" : "unused"
      let text =
        u.kind == .lifecycle
        ? "\(u.action) is not used by this trail; needed by \(neededByText(u.neededBy))"
        : "\(u.action) is granted and \(u.kind == .unobservable ? "its use cannot show in this trail" : "never used")"
      results.append(
        result(
          rule, u.kind == .unused ? "warning" : "note", text,
          location(u.policy, statement: u.statement, action: u.action)))
    }
    for p in r.predicted {
      results.append(
        result(
          "predicted", "warning",
          "\(p.action) on \(p.resource) will be needed by \(neededByText(p.neededBy))\(p.conditional ? " (conditional)" : "")",
          location(nil, statement: nil, action: nil)))
    }
    for o in r.overbroad {
      results.append(
        result(
          "overbroad", "warning", "\(o.action) grants more than the used \(o.usedActions.joined(separator: ", "))",
          location(o.policy, statement: o.statement, action: o.action)))
    }
    for i in r.invalid {
      results.append(
        result(
          "invalid", "error", "\(i.action): \(invalidLine(i))",
          location(i.policy, statement: i.statement, action: i.action)))
    }
    let run = JSONValue.object([
      (
        "tool",
        .object([
          (
            "driver",
            .object([
              ("name", .string("tighten")), ("version", .string(TightenVersion.tool)),
              ("informationUri", .string("https://github.com/tighten/tighten")),
              (
                "rules",
                .array(
                  rules.map {
                    .object([("id", .string($0.0)), ("shortDescription", .object([("text", .string($0.1))]))])
                  })
              ),
            ])
          )
        ])
      ),
      ("results", .array(results)),
    ])
    return JSONValue.object([
      ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")), ("version", .string("2.1.0")),
      ("runs", .array([run])),
    ]).pretty() + "\n"
  }

  /// The line (from 1) of a statement: its `Sid`, else the N-th `Effect` for `#N`, else the entry's own line.
  static func statementLine(_ lines: [String], label: String, action: String?) -> Int {
    if !label.hasPrefix("#") {
      let quoted = JSONWriter.quote(label)
      if let i = lines.firstIndex(where: { $0.contains("Sid") && ($0.contains(quoted) || $0.contains(": \(label)")) }) {
        return i + 1
      }
    } else if let n = Int(label.dropFirst()) {
      let effects = lines.indices.filter { lines[$0].contains("Effect") }
      if n < effects.count { return effects[n] + 1 }
    }
    if let action, let i = lines.firstIndex(where: { $0.contains(action) }) { return i + 1 }
    return 1
  }
}
