/// The `simulate` command's output: a JSON line or a few text lines per request.
public enum SimulateReport {
  /// One JSON object on one line, as CLI.md gives it.
  public static func json(_ a: SimulateCommand.Answer) -> String {
    var members: [(String, JSONValue)] = [
      ("action", .string(a.action)), ("resource", .string(a.resource)), ("decision", .string(a.decision.rawValue)),
    ]
    if let layer = a.layer { members.append(("layer", .string(layer.name))) }
    members.append(
      (
        "matched",
        .array(
          a.matched.map {
            .object([
              ("policy", .string($0.policy)), ("statement", .string($0.statement)),
              ("effect", .string($0.effect.rawValue)),
            ])
          })
      ))
    members.append(("missingContextKeys", .array(a.missingContextKeys.map(JSONValue.string))))
    return JSONValue.object(members).compact + "\n"
  }

  /// A request that could not be read, in place of its answer (the line keeps its place in the output).
  public static func json(_ e: RequestError) -> String {
    JSONValue.object([("error", .string(e.description))]).compact + "\n"
  }

  /// `allowed  s3:GetObject  arn:aws:s3:::b/k`, then what decided it and the keys not given.
  public static func text(_ a: SimulateCommand.Answer) -> String {
    let t = Escaping.text
    var out = "\(a.decision.rawValue)  \(t(a.action))  \(t(a.resource))"
    if let layer = a.layer { out += "  (\(layer.name))" }
    out += "\n"
    for m in a.matched {
      let label = m.statement.hasPrefix("#") ? "statement \(t(m.statement))" : "\"\(t(m.statement))\""
      out += "  \(m.effect.rawValue): \(t(m.policy)) \(label)\n"
    }
    if !a.missingContextKeys.isEmpty {
      out += "  context keys not given: \(a.missingContextKeys.map(t).joined(separator: ", "))\n"
    }
    return out
  }

  /// The closing line of a text run of several requests.
  public static func summary(allowed: Int, refused: Int, unreadable: Int) -> String {
    let total = allowed + refused
    var line = "\(total) \(total == 1 ? "request" : "requests"): \(allowed) allowed, \(refused) not allowed"
    if unreadable > 0 { line += "; \(unreadable) could not be read" }
    return line + "\n"
  }
}
