/// Why a file found in a folder is not read.
public enum SkipReason: String, Sendable, Codable, CaseIterable {
  /// A `CloudTrail-Digest` file: integrity hashes, not events.
  case digest
  /// Not a trail file by its name (README, licence, `.DS_Store`, …).
  case notTrail
  /// Its delivery time in the file name lies outside `--since`/`--until`.
  case outsideTime
}

/// What the walk found: the files to read, in a fixed order, and what it passed over.
public struct TrailListing: Sendable {
  public var files: [String] = []
  public var skipped: [SkipReason: Int] = [:]
  /// Folders or files that could not be read, and why.
  public var failures: [InputError] = []

  public var skippedCount: Int { skipped.values.reduce(0, +) }
}

/// Finds the trail files under the paths a user gives.
///
/// Folders are walked recursively in byte order of names, so the same tree
/// always gives the same list. Files named on the command line are always
/// read; inside folders only `*.json`, `*.jsonl`, `*.ndjson` (each optionally
/// `.gz`) and `*.gz` are. Delivery files are recognised by their name
///
///     AWSLogs/[o-org/]111122223333/CloudTrail/us-east-1/2026/11/20/
///         111122223333_CloudTrail_us-east-1_20261120T1005Z_Ab12Cd34Ef56Gh78.json.gz
///
/// whose timestamp (when the file was written) lets `--since`/`--until` pass
/// over whole files without opening them. Symbolic links are followed, and a
/// folder already seen (a link loop) is not entered twice.
public struct TrailWalker: Sendable {
  /// Events reach a delivery file within minutes, but late deliveries happen:
  /// a file is only passed over for `--until` when written this long after it.
  public static let lateDeliveryMargin: Int64 = 86_400

  public var since: Int64?
  public var until: Int64?

  public init(since: Int64? = nil, until: Int64? = nil) {
    self.since = since
    self.until = until
  }

  public func list(_ paths: [String]) -> TrailListing {
    var listing = TrailListing()
    var seen = Set<FileID>()
    for path in paths {
      if path == "-" {
        listing.files.append(path)
        continue
      }
      do throws(Platform.SystemError) {
        if try Platform.status(path).kind == .directory {
          walk(path, &listing, &seen)
        } else {
          listing.files.append(path)
        }
      } catch {
        listing.failures.append(InputError(path: path, kind: .unreadable, reason: error.description))
      }
    }
    return listing
  }

  private struct FileID: Hashable {
    var device: UInt64
    var inode: UInt64

    init(_ status: Platform.FileStatus) {
      device = status.device
      inode = status.inode
    }
  }

  private func walk(_ folder: String, _ listing: inout TrailListing, _ seen: inout Set<FileID>) {
    let names: [String]
    do throws(Platform.SystemError) {
      guard seen.insert(FileID(try Platform.status(folder))).inserted else {
        return  // a link back to a folder already walked
      }
      names = try Platform.entryNames(folder)
    } catch {
      listing.failures.append(InputError(path: folder, kind: .unreadable, reason: error.description))
      return
    }
    let prefix = folder.hasSuffix("/") ? folder : folder + "/"
    for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      let path = prefix + name
      let entry: Platform.FileStatus
      do throws(Platform.SystemError) {
        entry = try Platform.status(path)
      } catch {
        // A dangling link or a file that vanished: say so, go on.
        listing.failures.append(InputError(path: path, kind: .unreadable, reason: error.description))
        continue
      }
      switch entry.kind {
      case .directory:
        if name.hasPrefix(".") { continue }  // .git, .build and other hidden folders
        if name == "CloudTrail-Digest" {
          listing.skipped[.digest, default: 0] += countFiles(path, &seen)
          continue
        }
        walk(path, &listing, &seen)
      case .regular:
        if let reason = skipReason(name) {
          listing.skipped[reason, default: 0] += 1
        } else {
          listing.files.append(path)
        }
      case .other:
        continue
      }
    }
  }

  /// Files under a folder that is passed over whole, so the count stays honest.
  private func countFiles(_ folder: String, _ seen: inout Set<FileID>) -> Int {
    guard let status = try? Platform.status(folder), seen.insert(FileID(status)).inserted,
      let names = try? Platform.entryNames(folder)
    else { return 0 }
    var count = 0
    for name in names {
      let path = folder + "/" + name
      guard let entry = try? Platform.status(path) else { continue }
      count += entry.kind == .directory ? countFiles(path, &seen) : 1
    }
    return count
  }

  /// Why a file met in a folder walk is not read, or nil to read it.
  public func skipReason(_ name: String) -> SkipReason? {
    if name.contains("CloudTrail-Digest") { return .digest }
    let lower = name.lowercased()
    let trailEndings = [".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".gz"]
    guard !name.hasPrefix("."), trailEndings.contains(where: { lower.hasSuffix($0) }) else { return .notTrail }
    if let written = Self.deliveryTime(name) {
      if let since, written + 60 < since { return .outsideTime }
      if let until, written - Self.lateDeliveryMargin > until { return .outsideTime }
    }
    return nil
  }

  /// The time in a delivery file's name (`…_CloudTrail_<region>_20261120T1005Z_…`), if it has one.
  public static func deliveryTime(_ name: String) -> Int64? {
    // account _ CloudTrail _ region _ YYYYMMDDTHHMMZ _ unique.json.gz
    let parts = name.split(separator: "_", omittingEmptySubsequences: false)
    guard let marker = parts.firstIndex(of: "CloudTrail"), marker + 2 < parts.count else { return nil }
    let stamp = Array(parts[marker + 2].utf8)  // YYYYMMDDTHHMMZ
    guard stamp.count == 14, stamp[8] == 0x54, stamp[13] == 0x5A else { return nil }
    let digits = stamp[0..<8] + stamp[9..<13]
    guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    let s = String(decoding: stamp, as: UTF8.self)
    let iso =
      "\(s.prefix(4))-\(s.dropFirst(4).prefix(2))-\(s.dropFirst(6).prefix(2))T\(s.dropFirst(9).prefix(2)):\(s.dropFirst(11).prefix(2)):00Z"
    return Timestamp.parse(iso)
  }
}
