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
  /// The files to read, by their bytes, each once.
  public var paths: [RawPath] = []
  /// Each path's status as the walk met it (nil for standard input): what the cache keys files by, and
  /// the files' identities, without a second `stat` of every file.
  var statuses: [Platform.FileStatus?] = []
  public var skipped: [SkipReason: Int] = [:]
  /// Folders or files that could not be read, and why.
  public var failures: [InputError] = []

  /// The files to read as text (`RawPath.display`): `Platform` and
  /// `GzipReader(path:)` open a name that is not UTF-8 by its shown form.
  public var files: [String] { paths.map(\.display) }

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
/// over whole files without opening them. Symbolic links are followed.
///
/// Each file and folder is taken once, by its device and inode, whatever the
/// routes to it (a folder and a file in it both given, hard links, symbolic
/// links, a link loop): the first route in walk order puts it in the list.
/// A file passed over by one route (its name is not a trail's) and read by
/// another (named on the command line) is read, and not counted as skipped.
/// `-` (standard input) is listed each time it is given.
///
/// Names are bytes: one that is not UTF-8 is read all the same and shown as
/// `RawPath.display` shows it (`a\xff.json`).
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
    var walk = Walk()
    for path in paths {
      if path == "-" {
        walk.listing.paths.append(RawPath(path))
        walk.listing.statuses.append(nil)
        continue
      }
      do throws(Platform.SystemError) {
        // The text's own bytes, or those of a name that is not UTF-8 it shows.
        var raw = RawPath(path)
        var status: Platform.FileStatus
        do throws(Platform.SystemError) {
          status = try Platform.status(raw)
        } catch let error where error == .noSuchFile {
          guard let shown = RawPath(shown: path) else { throw error }
          raw = shown
          status = try Platform.status(raw)
        }
        if status.kind == .directory {
          walk.folder(raw, status, self)
        } else {
          walk.file(raw, status, skip: nil)
        }
      } catch {
        walk.listing.failures.append(InputError(path: path, kind: .unreadable, reason: error.description))
      }
    }
    return walk.listing
  }

  /// A file or folder by its identity on the device.
  private struct FileID: Hashable {
    var device: UInt64
    var inode: UInt64

    init(_ status: Platform.FileStatus) {
      device = status.device
      inode = status.inode
    }
  }

  /// What became of a file or folder met before.
  private enum Seen {
    case folder
    case listed
    case skipped(SkipReason)
  }

  /// One walk's listing and the files and folders it has met.
  private struct Walk {
    var listing = TrailListing()
    var seen: [FileID: Seen] = [:]

    /// A file met by one route: listed, or counted as skipped for `skip`,
    /// unless an earlier route took it. A file skipped before and read now
    /// moves from the count to the list.
    mutating func file(_ path: RawPath, _ status: Platform.FileStatus, skip: SkipReason?) {
      let id = FileID(status)
      switch seen[id] {
      case .listed, .folder:
        return
      case .skipped(let before):
        guard skip == nil else { return }
        listing.skipped[before, default: 0] -= 1
        if listing.skipped[before] == 0 { listing.skipped[before] = nil }
      case nil:
        break
      }
      if let skip {
        seen[id] = .skipped(skip)
        listing.skipped[skip, default: 0] += 1
      } else {
        seen[id] = .listed
        listing.paths.append(path)
        listing.statuses.append(status)
      }
    }

    mutating func folder(_ folder: RawPath, _ status: Platform.FileStatus, _ walker: TrailWalker) {
      guard seen.updateValue(.folder, forKey: FileID(status)) == nil else {
        return  // a link back to a folder already walked, or a second route to it
      }
      var entries: [(name: [UInt8], status: Result<Platform.FileStatus, Platform.SystemError>)]
      do throws(Platform.SystemError) {
        entries = try Platform.entries(folder)
      } catch {
        listing.failures.append(InputError(path: folder.display, kind: .unreadable, reason: error.description))
        return
      }
      entries.sort { a, b in  // byte order, by `memcmp`
        a.name.withUnsafeBufferPointer { x in b.name.withUnsafeBufferPointer { y in compareBytes(x, y) < 0 } }
      }
      for (nameBytes, status) in entries {
        let path = folder.appending(nameBytes)
        let entry: Platform.FileStatus
        switch status {
        case .success(let found):
          entry = found
        case .failure(let error):
          // A dangling link or a file that vanished: say so, go on.
          listing.failures.append(InputError(path: path.display, kind: .unreadable, reason: error.description))
          continue
        }
        let name = RawPath.show(nameBytes)
        switch entry.kind {
        case .directory:
          if name.hasPrefix(".") { continue }  // .git, .build and other hidden folders
          if name == "CloudTrail-Digest" {
            skipAll(path, entry)
            continue
          }
          self.folder(path, entry, walker)
        case .regular:
          file(path, entry, skip: walker.skipReason(name))
        case .other:
          continue
        }
      }
    }

    /// Counts the files under a folder that is passed over whole, so the count stays honest.
    mutating func skipAll(_ folder: RawPath, _ status: Platform.FileStatus) {
      guard seen.updateValue(.folder, forKey: FileID(status)) == nil,
        let entries = try? Platform.entries(folder)
      else { return }
      for (name, status) in entries {
        let path = folder.appending(name)
        guard case .success(let entry) = status else { continue }
        if entry.kind == .directory {
          skipAll(path, entry)
        } else {
          file(path, entry, skip: .digest)
        }
      }
    }
  }

  private static let digestMarker = Array("CloudTrail-Digest".utf8)

  /// Why a file met in a folder walk is not read, or nil to read it.
  public func skipReason(_ name: String) -> SkipReason? {
    // Bytes (`memchr`, `memcmp`): this runs for every file of the bucket.
    // Beyond ASCII, `String` decides: a combining mark after the marker makes another character.
    var bytes = name
    let (marked, ascii) = bytes.withUTF8 { (Platform.contains(Self.digestMarker, in: $0), Platform.isASCII($0)) }
    if marked && (ascii || name.contains("CloudTrail-Digest")) { return .digest }
    let lower = name.lowercased()
    let trailEndings = [".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".gz"]
    guard !name.hasPrefix("."), trailEndings.contains(where: { lower.hasSuffix($0) }) else { return .notTrail }
    if since != nil || until != nil, let written = Self.deliveryTime(name) {
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
