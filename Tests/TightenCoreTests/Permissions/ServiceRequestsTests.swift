import Testing

@testable import TightenCore

@Suite("ServiceRequests")
struct ServiceRequestsTests {
  @Test(
    "reads PartiQL statements' verb and table",
    arguments: [
      ("SELECT * FROM \"Orders\" WHERE pk = ?", "SELECT", "Orders"),
      ("select a from Orders.ByDate", "SELECT", "Orders"),
      ("INSERT INTO \"Users\" VALUE {'pk': ?}", "INSERT", "Users"),
      ("UPDATE \"Orders\" SET s = ? WHERE pk = ?", "UPDATE", "Orders"),
      ("DELETE FROM Orders WHERE pk = ?", "DELETE", "Orders"),
    ])
  func partiQL(_ statement: String, _ verb: String, _ table: String) throws {
    let parsed = try #require(ServiceRequests.partiQL(statement))
    #expect(parsed.verb == verb)
    #expect(parsed.table == table)
  }

  @Test("SQS queue URLs give region, account and name")
  func queueURLs() throws {
    let q = try #require(ServiceRequests.queueURL("https://sqs.eu-west-1.amazonaws.com/444455556666/jobs.fifo"))
    #expect(q.region == "eu-west-1" && q.account == "444455556666" && q.name == "jobs.fifo")
  }
}

extension ServiceRequestsTests {
  @Test("PartiQL tables are those of the statements with the action's verb")
  func partiQLTables() {
    let tables = ResourceRequest.with(
      #"{"statements":[{"statement":"SELECT * FROM \"Orders\""},{"statement":"UPDATE Users SET a = 1"},{"statement":"select b from Orders"}]}"#
    ) { r in
      (
        ServiceRequests.partiQLTables(for: ActionName(service: "dynamodb", name: "PartiQLSelect"), r),
        ServiceRequests.partiQLTables(for: ActionName(service: "dynamodb", name: "PartiQLDelete"), r)
      )
    }
    #expect(tables.0 == ["arn:aws:dynamodb:us-east-1:111122223333:table/Orders"])
    #expect(tables.1 == [])
  }

  @Test("an S3 copy source is the object, decoded, without its version")
  func copySources() {
    #expect(
      ServiceRequests.copySourceARN("/src-bucket/dir%2Fa%20b.txt?versionId=3", partition: "aws")
        == "arn:aws:s3:::src-bucket/dir/a b.txt")
    #expect(ServiceRequests.copySourceARN("b/k", partition: "aws-cn") == "arn:aws-cn:s3:::b/k")
  }

  @Test("an API Gateway call is its verb on the path the request fills best")
  func apiGatewayRoutes() {
    let routes = [
      Catalog.ApiGatewayRoute(verb: "PATCH", path: "/restapis/{restApiId}/stages/{stageName}"),
      Catalog.ApiGatewayRoute(verb: "PATCH", path: "/restapis/{restApiId}"),
    ]
    let permission = ResourceRequest.with(#"{"restApiId":"a1"}"#, region: "eu-west-1") { r in
      ServiceRequests.apiGatewayPermission(routes, r)
    }
    #expect(
      permission == MappedPermission(action: "apigateway:PATCH", resource: "arn:aws:apigateway:eu-west-1::/restapis/a1")
    )
    let none = ResourceRequest.with("{}") { ServiceRequests.apiGatewayPermission([], $0) }
    #expect(none == MappedPermission(action: "apigateway:GET", resource: "*"))
  }
}
