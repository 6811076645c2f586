import CZlib

/// A zlib status code with a Swift name, as swift-system wraps `errno`.
public struct ZlibError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
  public let code: Int32
  /// zlib's own message (`strm.msg`), when it gave one.
  public let message: String?

  public init(code: Int32, message: String? = nil) {
    self.code = code
    self.message = message
  }

  public static let streamError = ZlibError(code: Z_STREAM_ERROR)
  public static let dataError = ZlibError(code: Z_DATA_ERROR)
  public static let memoryError = ZlibError(code: Z_MEM_ERROR)
  public static let bufferError = ZlibError(code: Z_BUF_ERROR)
  public static let versionError = ZlibError(code: Z_VERSION_ERROR)

  public static func == (a: ZlibError, b: ZlibError) -> Bool { a.code == b.code }
  public func hash(into h: inout Hasher) { h.combine(code) }

  public var name: String {
    switch code {
    case Z_STREAM_ERROR: "stream error"
    case Z_DATA_ERROR: "data error"
    case Z_MEM_ERROR: "out of memory"
    case Z_BUF_ERROR: "buffer error"
    case Z_VERSION_ERROR: "zlib version mismatch"
    case Z_NEED_DICT: "needs a preset dictionary"
    default: "zlib status \(code)"
    }
  }

  public var description: String {
    if let message, !message.isEmpty { return "\(name) (\(message))" }
    return name
  }
}
