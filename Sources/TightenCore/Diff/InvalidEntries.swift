/// `Action`/`NotAction` entries that name nothing IAM has: a typo
/// (`s3:CreateBuckett`), a service prefix IAM does not know, a wildcard that
/// matches no action. IAM accepts all three in a policy and they grant (or
/// deny, or exempt) nothing, so `diff` reports them rather than calling them
/// unused.
public enum InvalidEntries {
  /// Every invalid entry of every declared policy (identity policies and the others), in policy order.
  public static func find(_ policies: PolicySet, catalog: Catalog = .shared) -> [(EntryRef, DiffResult.Invalid)] {
    var out: [(EntryRef, DiffResult.Invalid)] = []
    for (d, document) in policies.documents.enumerated() {
      for (s, statement) in document.statements.enumerated() {
        for (e, entry) in (statement.actions ?? statement.notActions ?? []).enumerated() {
          guard let (reason, suggestion) = check(entry, catalog) else { continue }
          out.append(
            (
              EntryRef(document: d, statement: s, entry: statement.actions == nil ? -1 : e),
              DiffResult.Invalid(
                policy: document.name, statement: statement.label, action: entry, reason: reason,
                suggestion: suggestion)
            ))
        }
      }
    }
    return out
  }

  /// Why an entry names nothing, and the nearest real action; nil for an entry that names something.
  static func check(_ entry: String, _ catalog: Catalog) -> (DiffResult.Invalid.Reason, String?)? {
    if entry == "*" { return nil }
    let parts = entry.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2 else { return nil }
    let prefix = parts[0].lowercased()
    let name = String(parts[1])
    if prefix.contains("*") || prefix.contains("?") { return nil }
    guard catalog.hasService(prefix) else {
      let nearest = closest(prefix, among: catalog.prefixes)
      return (.unknownService, nearest.map { "\($0):\(name)" })
    }
    let names = catalog.actions(of: prefix).map(\.qualifiedName.name)
    if name.contains("*") || name.contains("?") {
      if names.contains(where: { Glob.matches(name, $0, ignoringCase: true) }) { return nil }
      return (.matchesNothing, nil)
    }
    if catalog.action(prefix: prefix, name: name) != nil { return nil }
    return (.unknownAction, closest(name, among: names).map { "\(prefix):\($0)" })
  }

  /// The candidate nearest to `text` by edit distance (case ignored), if one is near enough to be a typo.
  static func closest(_ text: String, among candidates: [String]) -> String? {
    // No action name is this long: nothing is near it, and the distance would cost length × candidates.
    guard text.utf8.count <= 128 else { return nil }
    let target = Array(text.lowercased().utf8)
    var best: (distance: Int, name: String)? = nil
    for candidate in candidates {
      let d = distance(target, Array(candidate.lowercased().utf8))
      if best == nil || d < best!.distance || (d == best!.distance && candidate < best!.name) {
        best = (d, candidate)
      }
    }
    guard let best, best.distance <= max(2, target.count / 3) else { return nil }
    return best.name
  }

  /// Levenshtein distance.
  static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        current[j] = Swift.min(
          previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
