/// Placeholders in text: `${NAME}`, as IAM policy variables and
/// CloudFormation's `Fn::Sub` write them, or `{NAME}`, as the catalogue's
/// resource patterns and API Gateway's routes write them.
///
///     Placeholders.replace(in: "table/${Name}") { $0 == "Name" ? "Orders" : nil }   // "table/Orders"
///     Placeholders.replace(in: "/restapis/{id}", opening: "{") { _ in "*" }         // "/restapis/*"
enum Placeholders {
  /// `text` with each placeholder replaced by what `replace` gives for its
  /// name, or nil as soon as `replace` gives nil. An unclosed placeholder is
  /// kept as written.
  static func replace(in text: String, opening: String = "${", _ replace: (String) -> String?) -> String? {
    var out = ""
    var rest = Substring(text)
    while let open = rest.firstRange(of: opening) {
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
