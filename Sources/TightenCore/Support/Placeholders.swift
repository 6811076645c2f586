/// `${NAME}` placeholders, as both IAM policy variables and CloudFormation's
/// `Fn::Sub` write them.
enum Placeholders {
  /// `text` with each `${NAME}` replaced by what `replace` gives for NAME, or
  /// nil as soon as `replace` gives nil. An unclosed `${` is kept as written.
  static func replace(in text: String, _ replace: (String) -> String?) -> String? {
    var out = ""
    var rest = Substring(text)
    while let open = rest.firstRange(of: "${") {
      out += rest[..<open.lowerBound]
      guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
        return out + rest[open.lowerBound...]
      }
      guard let value = replace(String(rest[open.upperBound..<close])) else { return nil }
      out += value
      rest = rest[rest.index(after: close)...]
    }
    return out + rest
  }
}
