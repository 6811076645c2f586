extension TrailAnalysis {
  /// Puts IAM paths back into ARNs that were built from a bare name.
  ///
  /// Most IAM requests name a role, user, group or instance profile by name
  /// alone (`PutRolePolicy {roleName}`), but its ARN holds its path
  /// (`role/service-role/NAME`), and a grant on `role/NAME` does not cover it.
  /// Names are unique in an account whatever the path (IAM user guide, "IAM
  /// identifiers"), so when the trails show the full ARN of a name elsewhere
  /// (CreateRole's `path`, a record's `resources`, a role handed to a service,
  /// a refused call's message), rows on the path-less ARN move onto it. A name
  /// seen under two paths (deleted and created again) is left as it is.
  mutating func restoreIAMPaths(contextRank: [Int]) {
    var withPath: [String: Int32?] = [:]  // path-less ARN → the one full ARN seen (nil: several)
    var pathless: [Int32: String] = [:]
    var seen = Set<Int32>()
    let candidates = iamARNRanges()
    guard !candidates.isEmpty else { return }
    for row in rows
    where candidates.contains(where: { $0.contains(row.resource) }) && Self.mayBeIAMARN(bytes(row.resource))
      && seen.insert(row.resource).inserted
    {
      guard let form = Self.iamNameForm(string(row.resource)) else { continue }
      if form.hasPath {
        if let existing = withPath[form.pathless] {
          if existing != row.resource { withPath[form.pathless] = .some(nil) }
        } else {
          withPath[form.pathless] = row.resource
        }
      } else {
        pathless[row.resource] = form.pathless
      }
    }
    var replacement: [Int32: Int32] = [:]
    for (id, key) in pathless {
      if let found = withPath[key], let full = found { replacement[id] = full }
    }
    guard !replacement.isEmpty else { return }
    var moved = rows.map { row in
      var row = row
      row.resource = replacement[row.resource] ?? row.resource
      return row
    }
    moved.sort { x, y in
      RowOrder.compare(
        (bytes(x.action), bytes(x.resource), contextRank[Int(x.context)]),
        (bytes(y.action), bytes(y.resource), contextRank[Int(y.context)])) < 0
    }
    var merged: [Row] = []
    merged.reserveCapacity(moved.count)
    for row in moved {
      if let last = merged.last, last.action == row.action, last.resource == row.resource, last.context == row.context {
        merged[merged.count - 1].stats.merge(row.stats)
      } else {
        merged.append(row)
      }
    }
    rows = merged
  }

  /// The ids whose strings begin `arn:PARTITION:iam::`, one range per
  /// partition, found by binary search in the merged table (its ids are in
  /// byte order). A run's rows mostly name other resources, and reading the
  /// first byte of each row's string to rule it out was a cache miss per row.
  ///
  /// Strings with a prefix `arn:P:` lie together, and those with
  /// `arn:P:iam::` together among them; the next partition's strings begin
  /// at `arn:P;` (`;` is the byte after `:`).
  func iamARNRanges() -> [Range<Int32>] {
    assert(strings.isInByteOrder, "the merged strings are not in byte order")
    let arn = Array("arn:".utf8)
    var ranges: [Range<Int32>] = []
    var id = strings.firstID(notBefore: arn)
    while id < strings.count {
      let text = bytes(Int32(id))
      guard text.starts(with: arn) else { break }
      guard let colon = text[arn.count...].firstIndex(of: UInt8(ascii: ":")) else {
        id += 1  // `arn:` and no other colon: no partition to skip by
        continue
      }
      let partition = arn + text[arn.count..<colon]
      let low = strings.firstID(notBefore: partition + Array(":iam::".utf8))
      let high = strings.firstID(notBefore: partition + Array(":iam:;".utf8))
      if low < high { ranges.append(Int32(low)..<Int32(high)) }
      id = max(id + 1, strings.firstID(notBefore: partition + [UInt8(ascii: ";")]))
    }
    return ranges
  }

  /// A cheap byte test before any string is made: `arn:PARTITION:iam::`.
  static func mayBeIAMARN(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard bytes.count > 12, bytes[0] == UInt8(ascii: "a"), bytes[3] == UInt8(ascii: ":") else { return false }
    guard let colon = bytes[4...].firstIndex(of: UInt8(ascii: ":")), colon + 5 < bytes.count else { return false }
    return bytes[colon + 1] == UInt8(ascii: "i") && bytes[colon + 2] == UInt8(ascii: "a")
      && bytes[colon + 3] == UInt8(ascii: "m") && bytes[colon + 4] == UInt8(ascii: ":")
      && bytes[colon + 5] == UInt8(ascii: ":")
  }

  /// For `arn:P:iam::A:TYPE/PATH/NAME` (TYPE a role, user, group or instance
  /// profile, no wildcard): the ARN without the path, and whether it had one.
  static func iamNameForm(_ arn: String) -> (pathless: String, hasPath: Bool)? {
    guard let parsed = ARN(arn), parsed.service == "iam", parsed.region.isEmpty, !parsed.account.isEmpty else {
      return nil
    }
    let rest = Substring(parsed.resource)
    guard !rest.contains("*"), !rest.contains("?"), let slash = rest.firstIndex(of: "/") else { return nil }
    let type = rest[..<slash]
    guard type == "role" || type == "user" || type == "group" || type == "instance-profile" else { return nil }
    let path = rest[rest.index(after: slash)...]
    guard let name = path.split(separator: "/").last, !name.isEmpty, !path.hasSuffix("/") else { return nil }
    let pathless = ARN(
      partition: parsed.partition, service: "iam", region: "", account: parsed.account, resource: "\(type)/\(name)"
    ).description
    return (pathless, pathless != arn)
  }
}
