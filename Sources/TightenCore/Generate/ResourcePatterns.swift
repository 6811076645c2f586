/// Resource patterns: where an ARN's own name starts, and how `--resources
/// prefix` and `wildcard` write resources of one kind and place.
extension Generator {
  /// Where an ARN's own name starts: the catalogue template of its type tells
  /// (`arn:aws:s3:::bucket/` + `dir/key`, `…:table/` + `Orders`).
  func split(_ arn: String) -> (prefix: String, name: String, type: String)? {
    var types: [Substring: [Catalog.ResourceType]] = [:]
    guard let (offset, type) = nameStart(arn, typesByService: &types) else { return nil }
    let index = arn.utf8.index(arn.utf8.startIndex, offsetBy: offset)
    return (String(arn[..<index]), String(arn[index...]), type)
  }

  /// Where `split` cuts, in bytes, and the type; each service's resource
  /// types sorted once for many ARNs.
  func nameStart(_ arn: String, typesByService: inout [Substring: [Catalog.ResourceType]]) -> (
    offset: Int, type: String
  )? {
    guard let service = Self.service(ofARN: arn) else { return nil }
    let types: [Catalog.ResourceType]
    if let known = typesByService[service] {
      types = known
    } else {
      guard let info = catalog.service(String(service)) else { return nil }
      types = info.resourceTypes.values.sorted { $0.name < $1.name }
      typesByService[service] = types
    }
    var arn = arn
    return arn.withUTF8 { bytes in
      var best: (offset: Int, type: String)? = nil
      for type in types {
        for template in type.templates {
          guard let offset = template.lastVariableOffset(bytes) else { continue }
          if offset < bytes.count && offset > (best?.offset ?? -1) { best = (offset, type.name) }
        }
      }
      return best
    }
  }

  /// An ARN's service (`arn:aws:s3:::b` → `s3`), as `ARN` parses it: nil unless
  /// the text starts with `arn:` and has six colon-separated parts.
  static func service(ofARN arn: String) -> Substring? {
    guard arn.hasPrefix("arn:") else { return nil }
    var colons: [String.Index] = []
    var i = arn.utf8.startIndex
    while i < arn.utf8.endIndex && colons.count < 5 {
      if arn.utf8[i] == 0x3A { colons.append(i) }
      i = arn.utf8.index(after: i)
    }
    guard colons.count == 5 else { return nil }
    return arn[arn.utf8.index(after: colons[1])..<colons[2]]
  }

  /// The pattern each resource is written as, under the resource mode.
  func resourcePatterns(_ resources: Set<String>) -> [String: String] {
    guard options.resources != .exact else { return [:] }
    // Where each resource's name starts, on all cores (the catalogue's templates are matched against every one).
    let list = Array(resources)
    let chunks = min(list.count, Platform.processorCount * 4)
    let starts = Parallel.map(chunks, threads: Platform.processorCount) { chunk in
      var types: [Substring: [Catalog.ResourceType]] = [:]
      return (list.count * chunk / chunks..<list.count * (chunk + 1) / chunks).map { i in
        list[i] == "*" ? nil : nameStart(list[i], typesByService: &types)?.offset
      }
    }.flatMap { $0 }
    var groups: [Substring: [(index: Int, name: Substring)]] = [:]  // prefix → names
    for (i, start) in starts.enumerated() {
      guard let start else { continue }
      let arn = list[i]
      let cut = arn.utf8.index(arn.utf8.startIndex, offsetBy: start)
      let name = arn[cut...]
      if !name.utf8.contains(0x2A) { groups[arn[..<cut], default: []].append((i, name)) }
    }
    var out: [String: String] = [:]
    out.reserveCapacity(list.count)
    for (prefix, names) in groups {
      let pattern: String
      if options.resources == .wildcard {
        pattern = prefix + "*"
      } else {
        guard names.count > 1 else { continue }
        var common = names[0].name
        for name in names.dropFirst() { common = Self.commonPrefix(common, name.name) }
        // Keep a name prefix of three characters or more; else whole path segments; else the whole kind.
        let tail = common.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        if tail.count < 3 {
          common = common.dropLast(tail.count)
        }
        pattern = prefix + common + "*"
      }
      for name in names { out[list[name.index]] = pattern }
    }
    return out
  }

  /// The longest common prefix of two names, in characters: byte by byte
  /// when both are ASCII without a carriage return (a `\r\n` is one character).
  static func commonPrefix(_ a: Substring, _ b: Substring) -> Substring {
    let fast = a.utf8.withContiguousStorageIfAvailable { x in
      b.utf8.withContiguousStorageIfAvailable { y -> Int? in
        var n = 0
        while n < x.count && n < y.count && x[n] == y[n] && x[n] < 0x80 && x[n] != 0x0D { n += 1 }
        let simple =
          (n == x.count || (x[n] < 0x80 && x[n] != 0x0D)) && (n == y.count || (y[n] < 0x80 && y[n] != 0x0D))
        return simple ? n : nil
      }
    }
    if let n = (fast ?? nil) ?? nil { return a[..<a.utf8.index(a.startIndex, offsetBy: n)] }
    return Substring(String(a).commonPrefix(with: String(b)))
  }

  /// Drops resources a broader pattern in the set already covers.
  ///
  /// A pattern can only cover resources that begin with its text before its
  /// first wildcard, so each pattern is checked against that range of the
  /// sorted resources alone, never against every resource.
  static func withoutCovered(_ resources: Set<String>) -> Set<String> {
    // Only a pattern covers another resource: without one, every resource stays.
    guard resources.contains(where: { $0.containsByte(0x2A) || $0.containsByte(0x3F) }) else { return resources }
    // Each resource once in the matcher's form: a trail's escaped `${*}` is a character, not a wildcard.
    let prepared = resources.map { (text: $0, form: Glob.literals($0)) }
      .sorted { $0.form.bytesPrecede($1.form) }
    let sorted = prepared.map(\.form)
    var covered = Set<Int>()
    for (index, pattern) in sorted.enumerated() where pattern.containsByte(0x2A) || pattern.containsByte(0x3F) {
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
