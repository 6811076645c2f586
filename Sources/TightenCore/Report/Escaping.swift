/// Strings from a trail or a policy, made safe to print as text or Markdown.
///
/// A trail or a policy file can hold any Unicode: a table name with a newline, an S3 key with
/// an ESC sequence, a Sid with a right-to-left override. Printed raw, such a string drives the
/// terminal, disguises what it shows, or breaks out of a Markdown table. Every string a report
/// takes from its input goes through one of these functions; the report's own words do not.
///
/// **Text** (`text(_:)`): these characters are shown as escapes, everything else as is.
///
/// | character | shown as |
/// |---|---|
/// | line feed, carriage return, tab | `\n`, `\r`, `\t` |
/// | the other C0 controls U+0000–U+001F, DEL U+007F, the C1 controls U+0080–U+009F | `\u{1B}` (hex, upper case, no leading zeros) |
/// | bidirectional controls U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069 | `\u{202E}` |
/// | line and paragraph separators U+2028, U+2029 | `\u{2028}` |
///
/// A backslash is doubled only where it would otherwise read as the start of an escape: before
/// another backslash, before `n`, `r`, `t` or `u`, and before an escaped character. Every other
/// backslash is printed as is, so `C:\Temp\a` stays `C:\Temp\a`, while a name holding the two
/// characters `\n` prints as `\\n` and one holding a line feed prints as `\n`. Read back: `\\` is
/// one backslash, `\n` `\r` `\t` `\u{…}` are escapes, and a backslash before anything else is
/// itself. A string with none of these characters (every ordinary ARN, action or name) is
/// returned unchanged, found by one pass over its bytes.
///
/// **Markdown table cell** (`markdownCode(_:)`): the text escape, then an inline code span, in
/// which GitHub shows `<`, `>`, `&`, `*`, `#`, `@` and every other character literally (so HTML
/// entities would show as `&lt;`, and are not used). `|` becomes `\|` (GitHub's table parser takes
/// it as part of the cell, however many backslashes come before it, and shows `|`). The span's
/// fence is one backtick longer than the longest run of backticks inside, with a space inside each
/// fence when the content starts or ends with a backtick or with spaces at both ends, so
/// backticks are shown as written. The empty string is an empty cell.
///
/// **Markdown text** (`markdownText(_:)`, for a line of prose such as a warning): the text escape,
/// then `\`, `` ` ``, `[`, `]` and `|` are backslash-escaped (no code span, link or image can
/// start); `&`, `<` and `>` become `&amp;`, `&lt;` and `&gt;` (no HTML tag or autolink can
/// appear); a leading `#`, `+`, `-`, `*`, `_`, `~` or `=`, or the `.` or `)` of a leading `12. `,
/// is backslash-escaped, and leading spaces become `&#32;` (no heading, list, rule, fence or
/// indented code can start). Emphasis characters elsewhere are left alone, and GitHub still links a
/// bare e-mail address or URL: at worst these change the look of the line, never its structure.
public enum Escaping {
  // MARK: Text

  /// The string with control and bidirectional characters shown as escapes.
  public static func text(_ s: String) -> String {
    guard mayNeedEscaping(s) else { return s }
    let scalars = Array(s.unicodeScalars)
    var out = String.UnicodeScalarView()
    out.reserveCapacity(scalars.count + 8)
    for (i, c) in scalars.enumerated() {
      if c == "\\" {
        out.append("\\")
        if i + 1 < scalars.count, startsEscape(scalars[i + 1]) { out.append("\\") }
      } else if isEscaped(c) {
        switch c {
        case "\n": out.append(contentsOf: #"\n"#.unicodeScalars)
        case "\r": out.append(contentsOf: #"\r"#.unicodeScalars)
        case "\t": out.append(contentsOf: #"\t"#.unicodeScalars)
        default: out.append(contentsOf: #"\u{\#(String(c.value, radix: 16, uppercase: true))}"#.unicodeScalars)
        }
      } else {
        out.append(c)
      }
    }
    return String(out)
  }

  /// Whether `c` is shown as an escape in text.
  static func isEscaped(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 0x00...0x1F, 0x7F...0x9F: true
    case 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: true
    default: false
    }
  }

  /// Whether a backslash before `c` must be doubled to keep it from reading as an escape.
  static func startsEscape(_ c: Unicode.Scalar) -> Bool {
    c == "\\" || c == "n" || c == "r" || c == "t" || c == "u" || isEscaped(c)
  }

  /// False when no byte of `s` can begin an escaped character or a backslash: the usual case, decided
  /// without decoding. The lead bytes of the escaped ranges above U+007F are 0xC2 (U+0080–U+00BF),
  /// 0xD8 (U+0600–U+063F) and 0xE2 (U+2000–U+2FFF); a hit there only means "look closer".
  @inline(__always)
  static func mayNeedEscaping(_ s: String) -> Bool {
    func check(_ bytes: some Sequence<UInt8>) -> Bool {
      for b in bytes where b < 0x20 || b == 0x5C || b >= 0x7F {
        if b < 0x80 || b == 0xC2 || b == 0xD8 || b == 0xE2 { return true }
      }
      return false
    }
    return s.utf8.withContiguousStorageIfAvailable { check($0) } ?? check(s.utf8)
  }

  // MARK: Markdown

  /// An inline code span for a Markdown table cell, showing `s` as `text(_:)` would.
  public static func markdownCode(_ s: String) -> String {
    var content = ""
    var longest = 0
    var run = 0
    for c in text(s).unicodeScalars {
      if c == "|" { content += "\\" }
      content.unicodeScalars.append(c)
      run = c == "`" ? run + 1 : 0
      longest = max(longest, run)
    }
    if content.isEmpty { return "" }
    let fence = String(repeating: "`", count: longest + 1)
    let pad =
      content.first == "`" || content.last == "`"
      || (content.first == " " && content.last == " " && content.contains { $0 != " " })
    return pad ? fence + " " + content + " " + fence : fence + content + fence
  }

  /// A line of Markdown prose showing `s` as `text(_:)` would, with nothing interpreted as a tag,
  /// link, code span, or block.
  public static func markdownText(_ s: String) -> String {
    let escaped = text(s)
    var out = ""
    out.reserveCapacity(escaped.utf8.count)
    for c in escaped.unicodeScalars {
      switch c {
      case "\\", "`", "[", "]", "|": out += "\\" + String(c)
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      default: out.unicodeScalars.append(c)
      }
    }
    if out.first == " " {
      let spaces = out.prefix { $0 == " " }.count
      out = String(repeating: "&#32;", count: spaces) + out.dropFirst(spaces)
    } else if let first = out.first, "#+-*_~=".contains(first) {
      out.insert("\\", at: out.startIndex)
    } else if let marker = out.firstIndex(where: { !$0.isASCII || !$0.isNumber }), marker != out.startIndex,
      out[marker] == "." || out[marker] == ")", out[out.index(after: marker)...].first ?? " " == " "
    {
      out.insert("\\", at: marker)
    }
    return out
  }
}
