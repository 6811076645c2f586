import CZlib

/// Writes generated documents into a folder, one file per document, named as
/// the documents are, and keeps a manifest of what it wrote there
/// (`.tighten-manifest.json`: each file's name, size and CRC-32).
///
/// A later run replaces its own earlier files (those the manifest lists,
/// unchanged since) and removes the ones it no longer writes, so a deploy
/// step that attaches `DIR/*.json` never picks up a stale split document. A
/// file it did not write, or one changed since, is never replaced or removed
/// without `force`: the run stops before writing anything.
public enum PolicyOutput {
  public static let manifestName = ".tighten-manifest.json"

  /// What a manifest says of one file: the contents tighten wrote (any of them, when a run was interrupted).
  struct Entry: Equatable {
    var name: String
    var versions: [Fingerprint]
  }

  struct Fingerprint: Equatable {
    var size: Int
    var crc: UInt32

    init(size: Int, crc: UInt32) {
      self.size = size
      self.crc = crc
    }

    init(_ bytes: [UInt8]) {
      size = bytes.count
      crc = bytes.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
    }
  }

  /// Writes the documents, replacing tighten's own earlier files and removing those this run does not write.
  /// - Parameter force: replace or remove files tighten did not write (or that were changed since).
  public static func deliver(
    _ documents: [PolicyDocument], to folder: String, inputs: Set<FileIdentity> = [], force: Bool = false
  ) throws(RunError) -> [String] {
    try check(documents, folder: folder)
    return try deliver(
      files: documents.map { ($0.name, PolicyWriter.json($0)) }, to: folder, inputs: inputs, force: force)
  }

  /// `deliver` for files already rendered (name, text).
  public static func deliver(
    files: [(name: String, text: String)], to folder: String, inputs: Set<FileIdentity> = [], force: Bool = false
  ) throws(RunError) -> [String] {
    var seen: Set<String> = []
    for file in files where !seen.insert(file.name).inserted {
      throw .write(path: folder + "/" + file.name, message: "two outputs would be written to this file")
    }
    try makeFolder(folder)
    let old = readManifest(folder)
    let texts = files.map { Array($0.text.utf8) }
    let names = files.map(\.name)
    // Nothing is written unless every target is free or tighten's own, unchanged (and not a link, not an input).
    let writer = FileWriter(inputs: inputs)
    for name in names {
      let path = folder + "/" + name
      let existing: Platform.LinkStatus?
      do { existing = try writer.check(path) } catch { throw .write(path: error.path, message: error.message) }
      guard let current = fingerprint(path) else {
        // There, but unreadable: not known to be tighten's.
        if existing != nil && !force {
          throw .write(path: path, message: "exists and tighten cannot read it; give --force to replace it")
        }
        continue
      }
      if !force && !(old[name]?.versions.contains(current) ?? false) {
        throw .write(
          path: path,
          message: "exists and tighten did not write it (or it changed since); give --force to replace it")
      }
    }
    func writeManifest(_ entries: [Entry]) throws(RunError) {
      let json = JSONValue.object([
        ("tool", .string("tighten \(TightenVersion.tool)")),
        (
          "files",
          .array(
            entries.sorted { $0.name < $1.name }.map { entry in
              .object([
                ("name", .string(entry.name)),
                (
                  "versions",
                  .array(
                    entry.versions.map { .object([("size", .int($0.size)), ("crc32", .int(Int($0.crc)))]) })
                ),
              ])
            })
        ),
      ])
      do { try writer.write(json.pretty() + "\n", to: folder + "/" + manifestName) } catch {
        throw .write(path: error.path, message: error.message)
      }
    }
    // First a manifest that owns both what is there and what is coming: an interrupted run leaves files
    // the next run still recognises as its own.
    var union = old
    for (name, text) in zip(names, texts) {
      union[name, default: Entry(name: name, versions: [])].versions.append(Fingerprint(text))
    }
    try writeManifest(Array(union.values))
    for (name, text) in zip(names, texts) {
      do { try writer.write(text, to: folder + "/" + name) } catch {
        throw .write(path: error.path, message: error.message)
      }
    }
    // tighten's earlier files this run does not write: removed when unchanged (or with force).
    var kept: [String] = []
    var entries = zip(names, texts).map { Entry(name: $0.0, versions: [Fingerprint($0.1)]) }
    for (name, entry) in old where !names.contains(name) {
      let path = folder + "/" + name
      // Never one of this run's inputs (a policy being refined that an earlier run wrote here).
      if let identity = FileIdentity(path: path), inputs.contains(identity) {
        entries.append(entry)
        continue
      }
      guard let current = fingerprint(path) else { continue }
      if force || entry.versions.contains(current) {
        if !Platform.removeFile(path) { kept.append(name) }
      } else {
        kept.append(name)
        entries.append(entry)
      }
    }
    try writeManifest(entries)
    Platform.syncFolder(folder)
    return kept
  }

  /// The manifest's entries by name; none when there is no manifest or it cannot be read.
  static func readManifest(_ folder: String) -> [String: Entry] {
    guard let bytes = Platform.readFile(folder + "/" + manifestName, limit: 16 << 20),
      let text = String(validating: bytes, as: UTF8.self), let value = try? PolicyValue.parseJSON(text, path: ""),
      case .array(let files)? = value["files"]
    else { return [:] }
    var out: [String: Entry] = [:]
    for file in files {
      guard let name = file["name"]?.string, !name.contains("/"), case .array(let versions)? = file["versions"] else {
        continue
      }
      let prints = versions.compactMap { v -> Fingerprint? in
        guard let size = v["size"]?.scalarText.flatMap({ Int($0) }),
          let crc = v["crc32"]?.scalarText.flatMap({ UInt32($0) })
        else { return nil }
        return Fingerprint(size: size, crc: crc)
      }
      out[name] = Entry(name: name, versions: prints)
    }
    return out
  }

  /// The size and CRC-32 of a regular file; nil when there is none (or it cannot be read).
  static func fingerprint(_ path: String) -> Fingerprint? {
    guard (try? Platform.status(path)) != nil, let bytes = Platform.readFile(path, limit: 64 << 20) else {
      return nil
    }
    return Fingerprint(bytes)
  }

  /// Refuses documents that would go to one file.
  public static func check(_ documents: [PolicyDocument], folder: String) throws(RunError) {
    var sources: [String: String] = [:]
    for document in documents {
      if let first = sources[document.name] {
        throw .write(
          path: folder + "/" + document.name,
          message: "two documents would be written to this file (from \(first) and \(document.path)); "
            + "give the policy files different names")
      }
      sources[document.name] = document.path
    }
  }

  public static func makeFolder(_ folder: String) throws(RunError) {
    do {
      try Platform.makeFolders(folder)
    } catch {
      throw .write(path: folder, message: "cannot make the folder (\(error))")
    }
  }

  /// Writes each document with `FileWriter` (atomically, never over `inputs` or through a link).
  public static func write(_ documents: [PolicyDocument], to folder: String, inputs: Set<FileIdentity> = [])
    throws(RunError)
  {
    try check(documents, folder: folder)
    try makeFolder(folder)
    let writer = FileWriter(inputs: inputs)
    for document in documents {
      do {
        try writer.write(PolicyWriter.json(document), to: folder + "/" + document.name)
      } catch {
        throw .write(path: error.path, message: error.message)
      }
    }
  }
}
