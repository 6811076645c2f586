/// Writes the files users keep (policies, templates, summaries) so that
/// nothing of theirs is lost: to a temporary file in the target's folder,
/// synced, then renamed over the target. A failure leaves the previous file
/// as it was.
///
/// It never writes through a symbolic link (a link at the target is refused,
/// and the temporary file is created with `O_EXCL | O_NOFOLLOW`), never over
/// something that is not a regular file, and never over a file the same run
/// reads (its `inputs`, by device and inode, whatever the path to them).
public struct FileWriter: Sendable {
  /// The files this run reads.
  public var inputs: Set<FileIdentity>

  public init(inputs: Set<FileIdentity> = []) { self.inputs = inputs }

  public func write(_ text: String, to path: String) throws(FileWriteError) {
    try write(Array(text.utf8), to: path)
  }

  /// `durably: false` skips the syncs (the cache's entries, which a later run checks and can make again).
  public func write(_ bytes: [UInt8], to path: String, durably: Bool = true) throws(FileWriteError) {
    let existing = try check(path)
    let folder = Self.folder(of: path)
    let (fd, temporary) = try createTemporary(in: folder, for: path)
    var open = true
    do throws(Platform.SystemError) {
      if let existing { Platform.setMode(fd, existing.mode) }
      try Platform.writeAll(bytes, to: fd)
      if durably { try Platform.sync(fd) }
      Platform.close(fd)
      open = false
      try Platform.rename(temporary, path)
    } catch {
      if open { Platform.close(fd) }
      Platform.remove(temporary)
      throw FileWriteError(path: path, message: "cannot write the file (\(error.description))")
    }
    if durably { Platform.syncFolder(folder) }
  }

  /// What is at the target now (nil: nothing), refusing what must not be replaced.
  func check(_ path: String) throws(FileWriteError) -> Platform.LinkStatus? {
    let status: Platform.LinkStatus?
    do { status = try Platform.linkStatus(path) } catch {
      throw FileWriteError(path: path, message: "cannot write the file (\(error.description))")
    }
    guard let status else { return nil }
    if status.isLink {
      throw FileWriteError(path: path, message: "is a symbolic link; tighten does not write through links")
    }
    if !status.isRegular { throw FileWriteError(path: path, message: "is not a regular file") }
    if inputs.contains(status.id) {
      throw FileWriteError(path: path, message: "is an input of this run; tighten does not write over its inputs")
    }
    return status
  }

  private func createTemporary(in folder: String, for path: String) throws(FileWriteError) -> (Int32, String) {
    // At most 64 bytes of the name, so that the temporary name stays under the 255-byte limit.
    let full = path.split(separator: "/").last.map(String.init) ?? "file"
    let name = String(decoding: full.utf8.prefix(64), as: UTF8.self)
    var attempt = 0
    while true {
      let temporary = "\(folder)/.\(name).tighten-\(Platform.processID)-\(attempt).tmp"
      do {
        return (try Platform.createNew(temporary), temporary)
      } catch  where error == Platform.SystemError.exists && attempt < 100 {
        attempt += 1
      } catch {
        throw FileWriteError(path: path, message: "cannot write the file (\(error.description))")
      }
    }
  }

  static func folder(of path: String) -> String {
    // Searched as UTF-8: "/" is one byte, and stepping back by Characters cost
    // some 13,000 instructions for a trail file's path (a nightly run asks for every file).
    guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }
}

/// A file that could not be written: the file and why.
public struct FileWriteError: Error, Equatable, Sendable, CustomStringConvertible {
  public var path: String
  public var message: String
  public var description: String { "\(path): \(message)" }
}
