/// A problem with one input: the file, where in it, and why.
///
/// The library never prints; it returns or throws these, and the command line
/// prints them as `path: error: byte N: reason`.
public struct InputError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
  /// What went wrong, in a word a script can match.
  public enum Kind: String, Sendable, Codable {
    /// The file or folder could not be opened or read (permission, missing, I/O).
    case unreadable
    /// The gzip stream ended before its end marker.
    case truncated
    /// zlib refused the compressed data.
    case corrupt
    /// The output passed the decompression bound (a likely decompression bomb).
    case tooLarge
    /// The JSON is not well formed.
    case malformed
    /// Well-formed JSON that holds no CloudTrail records.
    case notCloudTrail
    /// The file has no content at all.
    case empty
    /// Data after the end of the gzip stream that is not another gzip member:
    /// ignored, with a warning; what came before it is read.
    case trailingData
    /// A usage summary this run cannot use: written by another catalogue or
    /// tighten version, or made with other filters.
    case incompatible
  }

  public let path: String
  public let kind: Kind
  /// Byte offset of the problem: in the decompressed JSON for JSON problems,
  /// in the compressed file for gzip problems.
  public let offset: Int?
  public internal(set) var reason: String

  public init(path: String, kind: Kind, offset: Int? = nil, reason: String) {
    self.path = path
    self.kind = kind
    self.offset = offset
    self.reason = reason
  }

  /// The reason with its place, without the path: `byte 1293: expected ',' or '}'`.
  public var message: String {
    if let offset { return "byte \(offset): \(reason)" }
    return reason
  }

  public var description: String { "\(path): \(message)" }
}
