/// Writes policy documents as IAM policy JSON, and measures them as IAM does.
///
/// The layout is JSON indented by two spaces throughout, members in the
/// order IAM documents them; a one-element list is written as its element:
///
///     {
///       "Version": "2012-10-17",
///       "Statement": [
///         {
///           "Sid": "S3Object",
///           "Effect": "Allow",
///           "Action": "s3:GetObject",
///           "Resource": "arn:aws:s3:::bucket/key"
///         }
///       ]
///     }
public enum PolicyWriter {
  /// A document with no statement, as `generate` prints when the trails show nothing.
  public static let empty = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n"

  public static func json(_ document: PolicyDocument) -> String {
    value(document).indented() + "\n"
  }

  /// Characters of the document's JSON, white space not counted (IAM's measure for the size quota).
  public static func size(_ document: PolicyDocument) -> Int {
    nonWhitespaceCount(json(document))
  }

  /// A statement's share of a document's size: its characters, white space
  /// not counted. A document's size is its frame's (`size` of no statements)
  /// plus each statement's, plus a comma between two.
  ///
  /// Worked out without writing the lists' strings: the statement written
  /// with its lists empty (`[]`), then each list's share of its strings.
  static func size(_ statement: PolicyStatement) -> Int {
    var frame = statement
    var lists = 0
    for keyPath in [\PolicyStatement.actions, \.notActions, \.resources, \.notResources] {
      guard let values = statement[keyPath: keyPath] else { continue }
      frame[keyPath: keyPath] = []
      lists += listSize(values) - 2
    }
    return nonWhitespaceCount(value(frame).indented()) + lists
  }

  /// A list's characters as `list` writes it, white space not counted.
  static func listSize(_ values: [String]) -> Int {
    if values.count == 1 { return quotedSize(values[0]) }
    return values.reduce(2 + max(0, values.count - 1)) { $0 + quotedSize($1) }
  }

  /// `nonWhitespaceCount(JSONWriter.quote(text))`, without the quoted copy
  /// for text of printable ASCII with nothing to escape.
  static func quotedSize(_ text: String) -> Int {
    let plain = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
      var spaces = 0
      for b in bytes {
        if b < 0x20 || b >= 0x80 || b == 0x22 || b == 0x5C { return nil }
        if b == 0x20 { spaces += 1 }
      }
      return bytes.count + 2 - spaces
    }
    if let n = plain ?? nil { return n }
    return nonWhitespaceCount(JSONWriter.quote(text))
  }

  /// Unicode scalars that are not white space; ASCII text byte by byte.
  static func nonWhitespaceCount(_ text: String) -> Int {
    let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
      var n = 0
      for b in bytes {
        if b >= 0x80 { return nil }
        if !(b == 0x20 || (b >= 0x09 && b <= 0x0D)) { n += 1 }
      }
      return n
    }
    if let n = ascii ?? nil { return n }
    return text.unicodeScalars.filter { !$0.properties.isWhitespace }.count
  }

  static func value(_ document: PolicyDocument) -> JSONValue {
    .object([("Version", .string("2012-10-17")), ("Statement", .array(document.statements.map(value)))])
  }

  static func value(_ s: PolicyStatement) -> JSONValue {
    var members: [(String, JSONValue)] = []
    if !s.label.hasPrefix("#") { members.append(("Sid", .string(s.label))) }
    members.append(("Effect", .string(s.effect.rawValue)))
    if let actions = s.actions { members.append(("Action", list(actions))) }
    if let notActions = s.notActions { members.append(("NotAction", list(notActions))) }
    if let resources = s.resources { members.append(("Resource", list(resources))) }
    if let notResources = s.notResources { members.append(("NotResource", list(notResources))) }
    if !s.conditions.isEmpty { members.append(("Condition", conditions(s.conditions))) }
    return .object(members)
  }

  /// Clauses grouped under their operator, operators in order of first appearance.
  static func conditions(_ clauses: [ConditionClause]) -> JSONValue {
    var byOperator: [(String, [(String, JSONValue)])] = []
    for clause in clauses {
      let member = (clause.key, list(clause.values))
      if let i = byOperator.firstIndex(where: { $0.0 == clause.op }) {
        byOperator[i].1.append(member)
      } else {
        byOperator.append((clause.op, [member]))
      }
    }
    return .object(byOperator.map { ($0.0, .object($0.1)) })
  }

  static func list(_ values: [String]) -> JSONValue {
    values.count == 1 ? .string(values[0]) : .array(values.map(JSONValue.string))
  }
}
