import Foundation

/// Writes generated documents into a folder, one file per document, named as the documents are.
public enum PolicyOutput {
  public static func write(_ documents: [PolicyDocument], to folder: String) throws(RunError) {
    let url = URL(fileURLWithPath: folder)
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      for document in documents {
        try Data(PolicyWriter.json(document).utf8).write(to: url.appendingPathComponent(document.name))
      }
    } catch {
      throw .write(path: folder, message: "cannot write the policies (\(error.localizedDescription))")
    }
  }
}
