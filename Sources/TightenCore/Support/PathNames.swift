/// Path names worked out as text, as the file system would read them, without touching it.
enum PathNames {
  /// `path` from the root: relative to the working folder when it is not
  /// absolute, its `.` components dropped and each `..` taking away the
  /// one before (links are not followed).
  static func standardized(_ path: String) -> String {
    "/" + components(path).joined(separator: "/")
  }

  /// The components of `standardized(path)`, the root left out.
  static func components(_ path: String) -> [String] {
    let absolute = path.hasPrefix("/") ? path : (Platform.currentDirectory() ?? "") + "/" + path
    var out: [String] = []
    for part in absolute.split(separator: "/") {
      switch part {
      case ".": continue
      case "..": _ = out.popLast()
      default: out.append(String(part))
      }
    }
    return out
  }

  /// The last component of `path`: `b.json` for `a/b.json` and `a/b.json/`.
  static func lastComponent(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? (path.hasPrefix("/") ? "/" : "")
  }

  /// The folder `path` is in, from the root (`standardized` without the last component).
  static func folder(of path: String) -> String {
    "/" + components(path).dropLast().joined(separator: "/")
  }
}
