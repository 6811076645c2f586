/// Resource patterns: where an ARN's own name starts, and how `--resources
/// prefix` and `wildcard` write resources of one kind and place.
extension Generator {
  /// Where an ARN's own name starts: the catalogue template of its type tells
  /// (`arn:aws:s3:::bucket/` + `dir/key`, `…:table/` + `Orders`).
  func split(_ arn: String) -> (prefix: String, name: String, type: String)? {
    guard let types = ARN(arn).flatMap({ catalog.service($0.service) })?.resourceTypes.values else { return nil }
    var best: (offset: Int, type: String)? = nil
    for type in types.sorted(by: { $0.name < $1.name }) {
      for template in type.templates {
        guard let offset = template.lastVariableOffset(arn) else { continue }
        let hasName = offset < arn.utf8.count
        let longer = offset > (best?.offset ?? -1)
        if hasName && longer { best = (offset, type.name) }
      }
    }
    guard let best else { return nil }
    let index = arn.utf8.index(arn.utf8.startIndex, offsetBy: best.offset)
    return (String(arn[..<index]), String(arn[index...]), best.type)
  }

  /// The pattern each resource is written as, under the resource mode.
  func resourcePatterns(_ resources: Set<String>) -> [String: String] {
    guard options.resources != .exact else { return [:] }
    var groups: [String: [String]] = [:]  // prefix → names
    for resource in resources where resource != "*" {
      if let (prefix, name, _) = split(resource), !name.contains("*") { groups[prefix, default: []].append(name) }
    }
    var out: [String: String] = [:]
    for (prefix, names) in groups {
      let pattern: String
      if options.resources == .wildcard {
        pattern = prefix + "*"
      } else {
        guard names.count > 1 else { continue }
        var common = names[0]
        for name in names.dropFirst() { common = String(common.commonPrefix(with: name)) }
        // Keep a name prefix of three characters or more; else whole path segments; else the whole kind.
        let tail = common.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        if tail.count < 3 {
          common = String(common.dropLast(tail.count))
        }
        pattern = prefix + common + "*"
      }
      for name in names { out[prefix + name] = pattern }
    }
    return out
  }

  /// Drops resources a broader pattern in the set already covers.
  ///
  /// A pattern can only cover resources that begin with its text before its
  /// first wildcard, so each pattern is checked against that range of the
  /// sorted resources alone, never against every resource.
  static func withoutCovered(_ resources: Set<String>) -> Set<String> {
    // Each resource once in the matcher's form: a trail's escaped `${*}` is a character, not a wildcard.
    let prepared = resources.map { (text: $0, form: Glob.literals($0)) }
      .sorted { $0.form.utf8.lexicographicallyPrecedes($1.form.utf8) }
    let sorted = prepared.map(\.form)
    var covered = Set<Int>()
    for (index, pattern) in sorted.enumerated() where pattern.contains("*") || pattern.contains("?") {
      let stem = Substring(pattern.prefix { $0 != "*" && $0 != "?" })
      var i = lowerBound(sorted, stem)
      while i < sorted.count, sorted[i].utf8.starts(with: stem.utf8) {
        let resource = sorted[i]
        // Two patterns that cover each other (`a*`, `a**`): the one first in byte order stays.
        if i != index && !covered.contains(i) && Glob.coversPrepared(pattern, resource)
          && (!Glob.coversPrepared(resource, pattern) || index < i)
        {
          covered.insert(i)
        }
        i += 1
      }
    }
    return Set(prepared.indices.filter { !covered.contains($0) }.map { prepared[$0].text })
  }

  /// The first index whose string is not before `key`, by bytes.
  private static func lowerBound(_ sorted: [String], _ key: Substring) -> Int {
    var (low, high) = (0, sorted.count)
    while low < high {
      let mid = (low + high) / 2
      if sorted[mid].utf8.lexicographicallyPrecedes(key.utf8) { low = mid + 1 } else { high = mid }
    }
    return low
  }
}
