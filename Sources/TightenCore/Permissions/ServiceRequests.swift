/// Requests that name their resources in a service's own way: DynamoDB's
/// PartiQL statements, SQS queue URLs, S3 copy sources and API Gateway's
/// management paths.
enum ServiceRequests {
  // MARK: - DynamoDB PartiQL

  /// The verb and table of a PartiQL statement: `SELECT * FROM "Orders"."ByDate" WHERE …` → (SELECT, Orders).
  static func partiQL(_ statement: String) -> (verb: String, table: String)? {
    let words = statement.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
    guard let first = words.first else { return nil }
    let verb = first.uppercased()
    let marker: String
    switch verb {
    case "SELECT", "DELETE": marker = "FROM"
    case "INSERT": marker = "INTO"
    case "UPDATE": marker = "UPDATE"
    default: return nil
    }
    guard let at = words.firstIndex(where: { $0.uppercased() == marker }), at + 1 < words.count else { return nil }
    var name = Substring(words[at + 1])
    if name.hasPrefix("\"") {
      name = name.dropFirst()
      name = name.prefix { $0 != "\"" }
    } else {
      name = name.prefix { $0 != "." && $0 != ";" }
    }
    return name.isEmpty ? nil : (verb, String(name))
  }

  /// The tables of the statements whose verb is the action's
  /// (`dynamodb:PartiQLSelect` for `SELECT … FROM "Orders"`); none when no statement has it.
  static func partiQLTables(for action: ActionName, _ r: ResourceRequest) -> [String] {
    let verb = action.name.dropFirst("PartiQL".count).uppercased()
    var tables: [String] = []
    for path in ResourceRequest.statementPaths {
      for statement in r.values(path) {
        guard let parsed = partiQL(statement), parsed.verb == verb else { continue }
        let arn = ARN(
          partition: r.partition, service: "dynamodb", region: r.region, account: r.account,
          resource: "table/\(LiteralText.escaped(parsed.table))"
        ).description
        if !tables.contains(arn) { tables.append(arn) }
      }
    }
    return tables
  }

  // MARK: - SQS

  /// `https://sqs.us-east-1.amazonaws.com/111122223333/jobs` → region, account and name.
  static func queueURL(_ url: String) -> (region: String, account: String, name: String)? {
    let parts = url.dropFirst("https://".count).split(separator: "/")
    guard parts.count >= 3 else { return nil }
    let host = parts[0].split(separator: ".")
    var region = ""
    if host.count >= 4, host[0] == "sqs" { region = String(host[1]) }
    if host.count >= 4, host[1] == "queue" { region = String(host[0]) }
    return (region, String(parts[1]), String(parts[2]))
  }

  // MARK: - S3

  /// The source object of an S3 copy: `bucket/key[?versionId=…]`, URL-encoded.
  static func copySourceARN(_ source: String, partition: String) -> String {
    var s = Substring(source)
    if s.hasPrefix("/") { s = s.dropFirst() }
    if let q = s.firstIndex(of: "?") { s = s[..<q] }
    return ARN(
      partition: partition, service: "s3", region: "", account: "",
      resource: LiteralText.escaped(percentDecoded(String(s)))
    )
    .description
  }

  // MARK: - API Gateway

  /// API Gateway management is authorised by HTTP verb on the API's path: the
  /// route whose path the request fills best.
  static func apiGatewayPermission(_ routes: [Catalog.ApiGatewayRoute], _ r: ResourceRequest) -> MappedPermission {
    var best: (route: Catalog.ApiGatewayRoute, path: String, missing: Int)? = nil
    for route in routes {
      var missing = 0
      let path =
        Placeholders.replace(in: route.path, opening: "{") { name in
          if let value = r.values(JSONLookup.Path(name)).first, !value.isEmpty { return LiteralText.escaped(value) }
          missing += 1
          return "*"
        } ?? route.path
      if best == nil || missing < best!.missing { best = (route, path, missing) }
    }
    guard let best else { return MappedPermission(action: "apigateway:GET", resource: "*") }
    let arn = ARN(
      partition: r.partition, service: "apigateway", region: r.region.isEmpty ? "*" : r.region, account: "",
      resource: best.path)
    return MappedPermission(
      action: ActionName(service: "apigateway", name: best.route.verb).description, resource: arn.description)
  }
}
