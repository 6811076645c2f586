import CYAML

/// Writes a refined CloudFormation template back: the template's own text,
/// with only the policy documents tighten refined replaced, so the change
/// reads as a diff of those documents. Other resources, comments, layout and
/// intrinsic functions stay as they were.
///
/// The documents' places (`Resources.Deploy.Properties.PolicyDocument`) are
/// found in the text from libyaml's events (JSON is YAML too), which give
/// each node's start and end; a new document is written there as one line of
/// JSON (a flow mapping in YAML), its ARNs with the partition, account and
/// region as `Fn::Sub` pseudo parameters.
public enum TemplateRewriter {
  /// The template text with the documents at the given places replaced, and the places left as they
  /// were: a document written with intrinsic functions or parameters (`!GetAtt`, `!Ref`, `${Prefix}`) is
  /// not replaced by its resolved form, which could name other resources or `*`.
  public static func rewrite(_ text: String, path: String, documents: [String: PolicyDocument], binding: PolicyBinding)
    throws(PolicyError) -> (text: String, kept: [String])
  {
    let ranges = try placeRanges(text, path: path, wanted: Set(documents.keys))
    var scalars = Array(text.unicodeScalars)
    // libyaml counts positions after a byte order mark.
    let shift = scalars.first == "\u{FEFF}" ? 1 : 0
    var kept = documents.keys.filter { ranges[$0] == nil }
    for (place, range) in ranges.sorted(by: { $0.value.lowerBound > $1.value.lowerBound }) {
      guard let document = documents[place] else { continue }
      let shifted = (range.lowerBound + shift)..<(range.upperBound + shift)
      guard shifted.upperBound <= scalars.count else {
        kept.append(place)
        continue
      }
      var original = String.UnicodeScalarView()
      original.append(contentsOf: scalars[shifted])
      if Self.hasIntrinsics(String(original)) {
        kept.append(place)
        continue
      }
      scalars.replaceSubrange(shifted, with: Array(flow(document, binding).unicodeScalars))
    }
    var out = String.UnicodeScalarView()
    out.append(contentsOf: scalars)
    return (String(out), kept.sorted())
  }

  /// Whether a document's text uses an intrinsic function, a reference or a substitution.
  static func hasIntrinsics(_ text: String) -> Bool {
    text.contains("!") || text.contains("Fn::") || text.contains("\"Ref\"") || text.contains("Ref:")
      || text.contains("${")
  }

  /// One line of JSON for a document, ARNs as `{"Fn::Sub": …}` with the stack's pseudo parameters.
  static func flow(_ document: PolicyDocument, _ binding: PolicyBinding) -> String {
    func arn(_ text: String) -> JSONValue {
      IaCWriter.cloudFormationSub(text, binding).map { .object([("Fn::Sub", .string($0))]) } ?? .string(text)
    }
    func resources(_ list: [String]) -> JSONValue { list.count == 1 ? arn(list[0]) : .array(list.map(arn)) }
    let statements = document.statements.map { s -> JSONValue in
      guard case .object(var members) = PolicyWriter.value(s) else { return .null }
      for (i, member) in members.enumerated() where member.0 == "Resource" || member.0 == "NotResource" {
        members[i].1 = resources(member.0 == "Resource" ? s.resources ?? [] : s.notResources ?? [])
      }
      return .object(members)
    }
    return JSONValue.object([("Version", .string("2012-10-17")), ("Statement", .array(statements))]).compact
  }

  /// The text range (in Unicode scalars, as libyaml counts) of each wanted place's value.
  static func placeRanges(_ text: String, path: String, wanted: Set<String>) throws(PolicyError) -> [String: Range<Int>]
  {
    var bytes = Array(text.utf8)
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else {
      throw PolicyError(path: path, place: "", reason: "cannot start the YAML parser (out of memory)")
    }
    defer { yaml_parser_delete(&parser) }
    var found: [String: Range<Int>] = [:]
    // Each open collection: its place, whether it is a mapping, the key waiting for its value, the next index.
    struct Frame {
      var place: String
      var isMapping: Bool
      var key: String?
      var index = 0
      var start: Int
    }
    var stack: [Frame] = []
    var lastEnd = 0
    func childPlace() -> String? {
      guard let top = stack.last else { return "" }
      if top.isMapping { return top.key.map { top.place.isEmpty ? $0 : "\(top.place).\($0)" } }
      return "\(top.place)[\(top.index)]"
    }
    func finishChild() {
      guard !stack.isEmpty else { return }
      if stack[stack.count - 1].isMapping {
        stack[stack.count - 1].key = nil
      } else {
        stack[stack.count - 1].index += 1
      }
    }
    let failure: PolicyError? = bytes.withUnsafeMutableBufferPointer { buffer in
      yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
      var event = yaml_event_t()
      while true {
        guard yaml_parser_parse(&parser, &event) == 1 else {
          return PolicyError(path: path, place: "line \(parser.problem_mark.line + 1)", reason: "invalid YAML")
        }
        defer { yaml_event_delete(&event) }
        let start = Int(event.start_mark.index)
        let end = Int(event.end_mark.index)
        switch event.type {
        case YAML_STREAM_END_EVENT:
          return nil
        case YAML_SCALAR_EVENT:
          if let top = stack.last, top.isMapping, top.key == nil {
            let s = event.data.scalar
            stack[stack.count - 1].key = String(
              decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
          } else {
            finishChild()
          }
          lastEnd = end
        case YAML_ALIAS_EVENT:
          finishChild()
          lastEnd = end
        case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
          let place = childPlace() ?? ""
          stack.append(Frame(place: place, isMapping: event.type == YAML_MAPPING_START_EVENT, key: nil, start: start))
        case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
          let frame = stack.removeLast()
          // A flow collection ends at its bracket; a block one at the end of its last value (not the next line).
          let close = end > start ? end : lastEnd
          if wanted.contains(frame.place) { found[frame.place] = frame.start..<close }
          finishChild()
          lastEnd = close
        default:
          continue
        }
      }
    }
    if let failure { throw failure }
    return found
  }
}
