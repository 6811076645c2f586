import Foundation

/// Writes generated documents into a folder, one file per document, named as the documents are.
public enum PolicyOutput {
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
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw .write(path: folder, message: "cannot make the folder (\(Self.reason(error)))")
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

  static func reason(_ error: any Error) -> String {
    let error = error as NSError
    return (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.localizedDescription ?? error.localizedDescription
  }
}
