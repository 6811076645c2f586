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
    for row in rows where Self.mayBeIAMARN(bytes(row.resource)) && seen.insert(row.resource).inserted {
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
