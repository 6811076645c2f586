/// A path as the system knows it: bytes, not necessarily UTF-8, with the
/// text to show for it.
///
/// File names on Linux are bytes; a Swift `String` cannot hold one that is
/// not UTF-8 (decoding it replaces the bad bytes with U+FFFD, and the file
/// can no longer be opened). The walker keeps the bytes it read from the
/// folder, opens the file by them, and shows the path as `display`:
///
/// - a path that is valid UTF-8 is shown as it is, unchanged;
/// - in a path that is not, each byte that is not part of a valid UTF-8
///   sequence is shown as `\xNN` (two lowercase hexadecimal digits) and each
///   backslash as `\\`; every other character is shown as it is.
///
///     trails/a\xff.json       the bytes  t r a i l s / a 0xFF . j s o n
///     trails/b\\\xfe.json     the bytes  … / b \ 0xFE . j s o n
///
/// The shown form is the one Bash's `$'…'` quoting reads back, and it maps
/// back to exactly one byte string (`init?(shown:)`): `Platform` opens a path
/// given as text by its UTF-8 bytes and, only when no such file exists and the
/// text is the shown form of a name that is not UTF-8, by the bytes it shows.
/// So the listing can hand its files on as `String`s, and a user can give a
/// path from a message back on the command line.
public struct RawPath: Hashable, Sendable {
  /// The path's bytes, without a terminating NUL.
  public let bytes: [UInt8]
  /// The path as shown in messages and reports.
  public let display: String

  /// The path of these bytes.
  public init(bytes: [UInt8]) {
    self.bytes = bytes
    self.display = Self.show(bytes)
  }

  /// The path whose bytes are the text's UTF-8.
  public init(_ text: String) {
    self.bytes = Array(text.utf8)
    self.display = text
  }

  /// The path that `shown` is the shown form of, when that path is not UTF-8;
  /// nil for any other text (then the text's own UTF-8 is the path).
  public init?(shown: String) {
    guard shown.utf8.contains(Self.backslash) else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(shown.utf8.count)
    var rest = shown.utf8[...]
    while let b = rest.popFirst() {
      guard b == Self.backslash, let next = rest.first else {
        bytes.append(b)
        continue
      }
      if next == Self.backslash {
        rest.removeFirst()
        bytes.append(Self.backslash)
      } else if next == UInt8(ascii: "x"), rest.count >= 3,
        let high = Self.hexValue(rest[rest.index(after: rest.startIndex)]),
        let low = Self.hexValue(rest[rest.index(rest.startIndex, offsetBy: 2)])
      {
        rest.removeFirst(3)
        bytes.append(high << 4 | low)
      } else {
        bytes.append(b)
      }
    }
    // Only the exact shown form of a name that is not UTF-8 maps back.
    guard String(validating: bytes, as: UTF8.self) == nil, Self.show(bytes) == shown else { return nil }
    self.bytes = bytes
    self.display = shown
  }

  /// This path with `/name` after it (no second slash when it ends in one).
  public func appending(_ name: [UInt8]) -> RawPath {
    var joined = bytes
    if joined.last != UInt8(ascii: "/") { joined.append(UInt8(ascii: "/")) }
    joined += name
    return RawPath(bytes: joined)
  }

  /// The shown form of a path's bytes (see the type's description).
  public static func show(_ bytes: [UInt8]) -> String {
    if let text = String(validating: bytes, as: UTF8.self) { return text }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + 16)
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = bytes.makeIterator()
    var position = 0
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let encoded):
        if encoded.count == 1 && encoded.first == backslash {
          out += [backslash, backslash]
        } else {
          out += encoded
        }
        position += encoded.count
      case .error(let length):
        for b in bytes[position..<(position + length)] {
          out += [backslash, UInt8(ascii: "x"), hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]]
        }
        position += length
      case .emptyInput:
        return String(decoding: out, as: UTF8.self)
      }
    }
  }

  private static let backslash = UInt8(ascii: "\\")
  private static let hexDigits = Array("0123456789abcdef".utf8)

  private static func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
    default: nil
    }
  }
}
