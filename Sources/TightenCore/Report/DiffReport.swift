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
    .object([
      ("policy", .string(u.policy)), ("statement", .string(u.statement)), ("action", .string(u.action)),
      ("kind", .string(u.kind.rawValue)),
    ])
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
    var line =
      "\(r.missing.count) missing, \(unusedCount) unused, \(r.unused.count - unusedCount) unobservable, \(r.overbroad.count) overbroad"
    if !r.invalid.isEmpty { line += ", \(r.invalid.count) invalid" }
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
    if !r.unused.isEmpty {
      out += "\n" + style.yellow("Unused: granted, never called") + "\n"
      out += grouped(
        r.unused.map {
          (
            $0.policy, $0.statement,
            $0.kind == .unused
              ? Escaping.text($0.action) : "\(Escaping.text($0.action))  (unobservable: the trail has no data events)"
          )
        })
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

  public static func markdown(_ r: DiffResult, baseline: BaselineComparison? = nil) -> String {
    let cell = Escaping.markdownCode
    let unusedCount = r.unused.filter { $0.kind == .unused }.count
    var out = "## tighten diff\n\n"
    out +=
      "**\(r.missing.count) missing**, **\(unusedCount) unused**, \(r.unused.count - unusedCount) unobservable, "
      + "\(r.overbroad.count) overbroad\(r.invalid.isEmpty ? "" : ", \(r.invalid.count) invalid"): \(r.analysis.events.counted) calls counted in \(r.analysis.files.read) files "
      + "against \(r.policies.map(cell).joined(separator: ", ")).\n"
    if r.analysis.isPartial {
      out += "\n> **Partial run:** \(r.analysis.files.failed.count) input files could not be read.\n"
    }
    if let baseline {
      out +=
        "\nSince the baseline: \(baseline.newMissing.count) new missing, \(baseline.resolvedMissing.count) resolved; "
        + "\(baseline.newUnused.count) new unused, \(baseline.resolvedUnused.count) resolved.\n"
    }
    if !r.missing.isEmpty {
      out += "\n### Missing\n\n| Action | Resource | Calls | Denied | Reason |\n|---|---|--:|--:|---|\n"
      for m in r.missing {
        out += "| \(cell(m.action)) | \(cell(m.resource)) | \(m.count) | \(m.denied) | \(m.reason.rawValue) |\n"
      }
    }
    if !r.unused.isEmpty {
      out += "\n### Unused\n\n| Policy | Statement | Action | Kind |\n|---|---|---|---|\n"
      for u in r.unused {
        out += "| \(cell(u.policy)) | \(cell(u.statement)) | \(cell(u.action)) | \(u.kind.rawValue) |\n"
      }
    }
    if !r.overbroad.isEmpty {
      out += "\n### Overbroad\n\n| Policy | Statement | Entry | Used actions |\n|---|---|---|---|\n"
      for o in r.overbroad {
        out +=
          "| \(cell(o.policy)) | \(cell(o.statement)) | \(cell(o.action)) | \(o.usedActions.map(cell).joined(separator: ", ")) |\n"
      }
    }
    if !r.invalid.isEmpty {
      out += "\n### Invalid\n\n| Policy | Statement | Entry | Reason | Suggestion |\n|---|---|---|---|---|\n"
      for i in r.invalid {
        out +=
          "| \(cell(i.policy)) | \(cell(i.statement)) | \(cell(i.action)) | \(i.reason.rawValue) | \(i.suggestion.map(cell) ?? "") |\n"
      }
    }
    if !r.warnings.isEmpty {
      out += "\n### Warnings\n\n"
      for w in r.warnings { out += "- \(Escaping.markdownText(w.description))\n" }
    }
    return out
  }
}
