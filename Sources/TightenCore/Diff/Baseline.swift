/// Findings that are new or resolved since a previous `diff --format json`.
public struct BaselineComparison: Sendable {
  public var newMissing: [DiffResult.Missing]
  public var resolvedMissing: [(action: String, resource: String)]
  public var newUnused: [DiffResult.Unused]
  public var resolvedUnused: [(policy: String, statement: String, action: String)]

  /// Reads a previous `tighten diff --format json` result.
  public static func load(_ path: String) throws(BaselineError) -> String {
    let bytes: [UInt8]
    do throws(Platform.SystemError) {
      let fd = try Platform.openForReading(path)
      defer { Platform.close(fd) }
      if Platform.isDirectory(fd) { throw Platform.SystemError.isFolder }
      bytes = try Platform.readAll(fd, limit: DeclaredPolicies.sizeLimit + 1)
    } catch {
      throw BaselineError(path: path, message: "cannot read the baseline file (\(error.description))")
    }
    if bytes.count > DeclaredPolicies.sizeLimit {
      throw BaselineError(path: path, message: "larger than \(DeclaredPolicies.sizeLimit >> 20) MiB: not a diff result")
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw BaselineError(path: path, message: "not UTF-8 text: not the JSON of tighten diff")
    }
    return text
  }

  /// Compares the result with the previous one.
  public static func compare(_ result: DiffResult, baselineText: String, path: String) throws(BaselineError)
    -> BaselineComparison
  {
    let previous: PolicyValue
    do {
      previous = try PolicyValue.parseJSON(baselineText, path: path)
    } catch {
      throw BaselineError(path: error.path, message: error.message)
    }
    guard case .array(let missing)? = previous["missing"], case .array(let unused)? = previous["unused"] else {
      throw BaselineError(path: path, message: "not the JSON of tighten diff (no missing and unused arrays)")
    }
    let oldMissing = Set(missing.map { "\($0["action"]?.string ?? "")\t\($0["resource"]?.string ?? "")" })
    let oldUnused = Set(
      unused.map {
        "\($0["policy"]?.string ?? "")\t\($0["statement"]?.string ?? "")\t\($0["action"]?.string ?? "")"
      })
    let nowMissing = Set(result.missing.map { "\($0.action)\t\($0.resource)" })
    let nowUnused = Set(result.unused.map { "\($0.policy)\t\($0.statement)\t\($0.action)" })
    return BaselineComparison(
      newMissing: result.missing.filter { !oldMissing.contains("\($0.action)\t\($0.resource)") },
      resolvedMissing: oldMissing.subtracting(nowMissing).sorted().map {
        let p = $0.split(separator: "\t", omittingEmptySubsequences: false)
        return (String(p[0]), String(p[1]))
      },
      newUnused: result.unused.filter { !oldUnused.contains("\($0.policy)\t\($0.statement)\t\($0.action)") },
      resolvedUnused: oldUnused.subtracting(nowUnused).sorted().map {
        let p = $0.split(separator: "\t", omittingEmptySubsequences: false)
        return (String(p[0]), String(p[1]), String(p[2]))
      })
  }
}

/// A baseline that cannot be used: the file and why.
public struct BaselineError: Error, Equatable, Sendable, CustomStringConvertible {
  public var path: String
  public var message: String
  public var description: String { "\(path): \(message)" }
}
