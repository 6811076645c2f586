/// Resource patterns: where an ARN's own name starts, and how `--resources
/// prefix` and `wildcard` write resources of one kind and place.
extension Generator {
  /// Where an ARN's own name starts: the catalogue template of its type tells
  /// (`arn:aws:s3:::bucket/` + `dir/key`, `…:table/` + `Orders`).
  func split(_ arn: String) -> (prefix: String, name: String, type: String)? {
    var types = ServiceTypes()
    var bytes = arn
    guard let (offset, type) = bytes.withUTF8({ nameStart($0, types: &types) }) else { return nil }
    let index = arn.utf8.index(arn.utf8.startIndex, offsetBy: offset)
    return (String(arn[..<index]), String(arn[index...]), type)
  }

  /// Each service's resource types, sorted once for many ARNs.
  struct ServiceTypes {
    fileprivate var byService: [String: [Catalog.ResourceType]] = [:]
    /// The last service asked for: ARNs in byte order come service by service.
    fileprivate var last: (service: [UInt8], types: [Catalog.ResourceType])? = nil
  }

  /// Where `split` cuts an ARN's bytes, and the type.
  func nameStart(_ arn: UnsafeBufferPointer<UInt8>, types cache: inout ServiceTypes) -> (offset: Int, type: String)? {
    guard let range = Self.serviceRange(ofARN: arn) else { return nil }
    let service = UnsafeBufferPointer(rebasing: arn[range])
    let types: [Catalog.ResourceType]
    if let last = cache.last, last.service.elementsEqual(service) {
      types = last.types
    } else {
      let name = String(decoding: service, as: UTF8.self)
      if let known = cache.byService[name] {
        types = known
      } else {
        guard let info = catalog.service(name) else { return nil }
        types = info.resourceTypes.values.sorted { $0.name < $1.name }
        cache.byService[name] = types
      }
      cache.last = (Array(service), types)
    }
    var best: (offset: Int, type: String)? = nil
    for type in types {
      for template in type.templates {
        guard let offset = template.lastVariableOffset(arn) else { continue }
        if offset < arn.count && offset > (best?.offset ?? -1) { best = (offset, type.name) }
      }
    }
    return best
  }

  /// An ARN's service (`arn:aws:s3:::b` → `s3`), as `ARN` parses it: nil unless
  /// the text starts with `arn:` and has six colon-separated parts.
  static func service(ofARN arn: String) -> Substring? {
    var bytes = arn
    guard let range = bytes.withUTF8({ serviceRange(ofARN: $0) }) else { return nil }
    let utf8 = arn.utf8
    return arn[
      utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)]
  }

  /// `service(ofARN:)` as a range of an ARN's bytes.
  static func serviceRange(ofARN arn: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
    guard arn.count >= 4, arn[0] == 0x61, arn[1] == 0x72, arn[2] == 0x6E, arn[3] == 0x3A else { return nil }  // arn:
    var colons = (first: 0, second: 0, third: 0, count: 0)
    var i = 0
    while i < arn.count && colons.count < 5 {
      if arn[i] == 0x3A {
        colons.count += 1
        if colons.count == 2 { colons.second = i }
        if colons.count == 3 { colons.third = i }
      }
      i += 1
    }
    guard colons.count == 5 else { return nil }
    return (colons.second + 1)..<colons.third
  }

  /// The pattern key each resource key (`keys`, sorted, distinct) is written
  /// as under the resource mode, indexed by key; -1 where it stays as it is.
  func resourcePatterns(_ list: [Int32], _ keys: ResourceKeys) -> [Int32] {
    var patternOf = [Int32](repeating: -1, count: keys.count)
    guard options.resources != .exact, !list.isEmpty else { return patternOf }
    // Where each resource's name starts, on all cores (the catalogue's templates are matched against every one).
    let chunks = min(list.count, Platform.processorCount * 4)
    let starts = Parallel.map(chunks, threads: Platform.processorCount) { chunk in
      var types = ServiceTypes()
      return (list.count * chunk / chunks..<list.count * (chunk + 1) / chunks).map { i -> Int32 in
        let arn = keys.bytes(list[i])
        if arn.count == 1 && arn[0] == UInt8(ascii: "*") { return -1 }
        return nameStart(arn, types: &types).map { Int32($0.offset) } ?? -1
      }
    }.flatMap { $0 }
    // Resources of one kind and place (the same text before the name), each name once.
    let prefixes = Interner()
    var groups: [[(key: Int32, start: Int)]] = []
    for (i, start) in starts.enumerated() where start >= 0 {
      let arn = keys.bytes(list[i])
      if Glob.hasByte(UInt8(ascii: "*"), UnsafeBufferPointer(rebasing: arn[Int(start)...])) { continue }
      let group = Int(prefixes.intern(UnsafeBufferPointer(rebasing: arn[..<Int(start)])))
      if group == groups.count { groups.append([]) }
      groups[group].append((list[i], Int(start)))
    }
    for (group, names) in groups.enumerated() {
      var pattern = Array(prefixes.bytes(Int32(group)))
      if options.resources == .prefix {
        guard names.count > 1 else { continue }
        pattern += Self.commonName(names.map { UnsafeBufferPointer(rebasing: keys.bytes($0.key)[$0.start...]) })
      }
      pattern.append(UInt8(ascii: "*"))
      let key = pattern.withUnsafeBufferPointer { keys.key($0) }
      for name in names { patternOf[Int(name.key)] = key }
    }
    return patternOf
  }

  /// What `--resources prefix` keeps of names of one kind and place: their
  /// common start, a name prefix of three characters or more; else whole path
  /// segments; else nothing.
  static func commonName(_ names: [UnsafeBufferPointer<UInt8>]) -> [UInt8] {
    var length = names[0].count
    for name in names.dropFirst() {
      guard let n = commonPrefixLength(UnsafeBufferPointer(rebasing: names[0][..<length]), name) else {
        // Beyond ASCII: characters, as `String` counts them.
        var common = Substring(String(decoding: names[0], as: UTF8.self))
        for name in names.dropFirst() {
          common = commonPrefix(common, Substring(String(decoding: name, as: UTF8.self)))
        }
        // Characters may be equal where bytes are not (é composed and decomposed): the pattern keeps no
        // more than every name's bytes share, or it would not match them all.
        let sharedBytes = names.dropFirst().reduce(names[0].count) { shared, name in
          zip(names[0].prefix(shared), name).prefix { $0 == $1 }.count
        }
        while common.utf8.count > sharedBytes { common = common.dropLast() }
        let tail = common.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        if tail.count < 3 { common = common.dropLast(tail.count) }
        return Array(common.utf8)
      }
      length = n
    }
    // ASCII without a carriage return: a byte is a character.
    let common = names[0][..<length]
    let tail = length - (common.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? 0)
    return Array(common.prefix(tail < 3 ? length - tail : length))
  }

  /// The longest common prefix of two names, in characters: byte by byte
  /// when both are ASCII without a carriage return (a `\r\n` is one character).
  static func commonPrefix(_ a: Substring, _ b: Substring) -> Substring {
    let fast = a.utf8.withContiguousStorageIfAvailable { x in
      b.utf8.withContiguousStorageIfAvailable { y in commonPrefixLength(x, y) }
    }
    if let n = (fast ?? nil) ?? nil { return a[..<a.utf8.index(a.startIndex, offsetBy: n)] }
    var (i, j) = (a.startIndex, b.startIndex)
    while i < a.endIndex && j < b.endIndex && a[i] == b[j] {
      a.formIndex(after: &i)
      b.formIndex(after: &j)
    }
    return a[..<i]
  }

  /// The length of two names' common prefix when it is the same in bytes
  /// and in characters: the bytes matched and the first ones that differ are
  /// ASCII other than a carriage return. nil otherwise.
  static func commonPrefixLength(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int? {
    var n = 0
    while n < x.count && n < y.count && x[n] == y[n] && x[n] < 0x80 && x[n] != 0x0D { n += 1 }
    let simple = (n == x.count || (x[n] < 0x80 && x[n] != 0x0D)) && (n == y.count || (y[n] < 0x80 && y[n] != 0x0D))
    return simple ? n : nil
  }

  /// `withoutCovered` on keys, sorted and distinct: a set with no pattern is as it was. Texts stay apart
  /// by their bytes (two spellings of one accented name are two resources, as IAM sees them).
  static func withoutCovered(_ sorted: [Int32], _ keys: ResourceKeys) -> [Int32] {
    guard sorted.contains(where: keys.hasWildcard) else { return sorted }
    let covered = coveredIndices(sorted.map(keys.string))
    return sorted.indices.filter { !covered.contains($0) }.map { sorted[$0] }
  }

  /// Drops resources a broader pattern in the set already covers.
  static func withoutCovered(_ resources: Set<String>) -> Set<String> {
    // Only a pattern covers another resource: without one, every resource stays.
    guard resources.contains(where: { $0.containsByte(0x2A) || $0.containsByte(0x3F) }) else { return resources }
    let list = Array(resources)
    let covered = coveredIndices(list)
    return Set(list.indices.filter { !covered.contains($0) }.map { list[$0] })
  }

  /// The indices of `texts` (distinct by bytes) that a broader pattern among them covers.
  ///
  /// A pattern can only cover resources that begin with its text before its
  /// first wildcard, so each pattern is checked against that range of the
  /// sorted resources alone, never against every resource.
  private static func coveredIndices(_ texts: [String]) -> Set<Int> {
    // Each resource once in the matcher's form: a trail's escaped `${*}` is a character, not a wildcard.
    let prepared = texts.indices.map { (index: $0, form: Glob.literals(texts[$0])) }
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
    return Set(covered.map { prepared[$0].index })
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
