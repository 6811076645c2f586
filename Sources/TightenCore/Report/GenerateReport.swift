/// What `generate --output` says it wrote.
public enum GenerateReport {
  /// `Wrote 2 policies to out:` and a line per document with its size.
  public static func written(_ documents: [PolicyDocument], folder: String, maxSize: Int) -> String {
    let lines = documents.map {
      "  \(Escaping.text($0.name))  \($0.statements.count) statements, \(PolicyWriter.size($0)) of \(maxSize) characters"
    }
    return "Wrote \(documents.count) polic\(documents.count == 1 ? "y" : "ies") to \(Escaping.text(folder)):\n"
      + lines.joined(separator: "\n") + "\n"
  }
}
