/// What `generate --output` says it wrote.
public enum GenerateReport {
  /// `Wrote 2 policies to out:` and a line per document with its size.
  public static func written(_ documents: [PolicyDocument], folder: String, maxSize: Int) -> String {
    "Wrote \(documents.count) polic\(documents.count == 1 ? "y" : "ies") to \(Escaping.text(folder)):\n"
      + documents.map { line($0, maxSize) }.joined()
  }

  /// `  policy.json  14 statements, 2886 of 6144 characters`.
  static func line(_ d: PolicyDocument, _ maxSize: Int) -> String {
    "  \(Escaping.text(d.name))  \(d.statements.count) \(d.statements.count == 1 ? "statement" : "statements"), "
      + "\(PolicyWriter.size(d)) of \(maxSize) characters\n"
  }

  /// The permissions whose resource the trail did not name exactly, at most `limit` of them listed.
  public static func widened(_ rows: [GenerateCommand.Widened], of total: Int, limit: Int = 20) -> String {
    guard !rows.isEmpty else { return "" }
    var text = "Widened: \(rows.count) of \(total) permissions have a pattern for what the trail did not name:\n"
    let shown = rows.prefix(limit)
    let width = shown.map(\.action.count).max() ?? 0
    for row in shown {
      let action = Escaping.text(row.action)
      text += "  \(action)\(String(repeating: " ", count: max(0, width - row.action.count)))  "
      text += "\(Escaping.text(row.resource))  (\(row.basis.rawValue))\n"
    }
    if rows.count > shown.count {
      text += "  … and \(rows.count - shown.count) more (`scan --format json` gives each permission's resourceBasis)\n"
    }
    return text
  }

  /// `--format cloudformation|terraform|cdk --output DIR`: the one file, and each document in it.
  public static func written(_ documents: [PolicyDocument], files: [String], folder: String, maxSize: Int) -> String {
    "Wrote \(documents.count) \(documents.count == 1 ? "policy" : "policies") to \(Escaping.text(folder)) "
      + "(\(files.map(Escaping.text).joined(separator: ", "))):\n" + documents.map { line($0, maxSize) }.joined()
  }

  /// The permissions a policy from the trails alone holds because the stack's resources will need them.
  public static func predicted(_ permissions: [Permission], shown: Int = 20) -> String {
    let t = Escaping.text
    var out =
      "\nPredicted: \(permissions.count) \(permissions.count == 1 ? "permission" : "permissions") the stack's "
      + "resources will need to be updated, rolled back or deleted (--lifecycle observed leaves them out)\n"
    for p in permissions.prefix(shown) { out += "  + \(t(p.action)) \(t(p.resource))\n" }
    if permissions.count > shown { out += "  + … and \(permissions.count - shown) more\n" }
    return out
  }
}
