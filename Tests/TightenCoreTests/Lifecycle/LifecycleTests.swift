import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("LifecycleCatalog: CloudFormation's handler permissions")
struct LifecycleCatalogTests {
  let lifecycle = LifecycleCatalog.shared

  @Test("a type's handlers by phase, and the call that creates it")
  func table() throws {
    let table = try #require(lifecycle.handlers("AWS::DynamoDB::Table"))
    #expect(table.creator == "dynamodb:CreateTable")
    #expect(table.permissions(.delete) == ["dynamodb:DeleteTable", "dynamodb:DescribeTable"])
    #expect(table.permissions(.create).contains("kms:CreateGrant"))
    #expect(lifecycle.types(createdBy: "lambda:CreateFunction") == ["AWS::Lambda::Function"])
    #expect(lifecycle.types(createdBy: "LOGS:createloggroup") == ["AWS::Logs::LogGroup"])
    #expect(lifecycle.types(createdBy: "iam:PutRolePolicy") == ["AWS::IAM::RolePolicy"])
    #expect(lifecycle.typeCount > 1500)
  }

  @Test("every handler permission is an action of the IAM catalogue (the others were dropped and counted)")
  func actionsInCatalogue() {
    var missing: [String] = []
    for type in [
      "AWS::DynamoDB::Table", "AWS::Lambda::Function", "AWS::S3::Bucket", "AWS::IAM::Role", "AWS::EC2::Instance",
    ] {
      for phase in LifecycleCatalog.Phase.allCases {
        for action in lifecycle.handlers(type)?.permissions(phase) ?? [] where Catalog.shared.action(action) == nil {
          missing.append(action)
        }
      }
    }
    #expect(missing.isEmpty)
    #expect(LifecycleData.droppedActions > 0)
    #expect(TightenVersion.description.contains("CloudFormation handlers: cfn-lint "))
  }
}

@Suite("StackTemplate and StackModel: which resources a stack has")
struct StackModelTests {
  static let templates = Fixtures.path("templates")

  @Test("a CDK template with its nested stack beside it; the stack's name from the file name")
  func cdk() throws {
    let loaded = try StackTemplate.load([Self.templates + "/cdk.out/shop-dev.template.json"])
    #expect(loaded.map(\.stackName) == ["shop-dev", "shop-dev"])
    #expect(
      loaded.flatMap { $0.resources.map { "\($0.logicalId) \($0.type)" } } == [
        "OrdersTable AWS::DynamoDB::Table", "JobsQueue AWS::SQS::Queue", "JobsKey AWS::KMS::Key",
        "Reports AWS::CloudFormation::Stack", "CDKMetadata AWS::CDK::Metadata", "ReportsBucket AWS::S3::Bucket",
      ])
    let stack = StackModel.build(templates: loaded, analysis: nil)
    // Only types CloudFormation has handlers for: not CDK's metadata.
    #expect(stack.members.map(\.type).contains("AWS::CDK::Metadata") == false)
    #expect(stack.members.count == 5)
  }

  @Test("a YAML template with short-form tags")
  func yaml() throws {
    let loaded = try StackTemplate.load([Self.templates + "/api.yaml"])
    #expect(loaded.first?.stackName == "api")
    #expect(loaded.first?.resources.map(\.type) == ["AWS::Lambda::Function", "AWS::IAM::Role"])
    #expect(loaded.first?.resources.first?.properties?["VpcConfig"] != nil)
  }

  @Test("a file that is not a template is an error naming it")
  func notTemplate() throws {
    let path = Fixtures.sampleTrails.appendingPathComponent("policies/broad.json").path
    #expect(throws: PolicyError(path: path, place: "", reason: "not a CloudFormation template (no Resources)")) {
      try StackTemplate.load([path])
    }
  }

  @Test("from the trail: each create call CloudFormation made is a resource of the type it creates")
  func inferred() throws {
    let input = TrailInput(
      paths: [Fixtures.sampleTrails.appendingPathComponent("trails/deploy-1").path],
      filter: TrailFilter(principals: ["cdk-hnb659fds-cfn-exec-role-111122223333-us-east-1"]), workers: 1)
    let analysis = try input.analyze(mapper: PermissionMapper(), observer: .init())
    let stack = StackModel.build(templates: [], analysis: analysis)
    #expect(stack.stackNames == ["shop-dev"])
    #expect(stack.members.count == 19)
    let tables = stack.members.filter { $0.type == "AWS::DynamoDB::Table" }.compactMap(\.arn)
    #expect(
      tables == [
        "arn:aws:dynamodb:us-east-1:111122223333:table/shop-dev-OrdersTable",
        "arn:aws:dynamodb:us-east-1:111122223333:table/shop-dev-UsersTable",
      ])
    // The refused event source mapping has no ARN in the trail: its type still counts.
    #expect(stack.members.contains { $0.type == "AWS::Lambda::EventSourceMapping" && $0.arn == nil })
  }

  @Test("the stack's name: the dash-separated prefix most resource names share")
  func namePrefix() {
    #expect(
      StackModel.commonNamePrefix([
        "arn:aws:dynamodb:us-east-1:1:table/shop-dev-Orders", "arn:aws:lambda:us-east-1:1:function:shop-dev-Api",
        "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/shop-dev-Api:*", "arn:aws:ssm:us-east-1:1:parameter/x/api-url",
      ]) == "shop-dev")
    #expect(StackModel.commonNamePrefix(["arn:aws:s3:::a-b", "arn:aws:s3:::c-d"]) == nil)
    #expect(StackModel.commonNamePrefix(["arn:aws:s3:::only-one"]) == nil)
  }
}

@Suite("LifecyclePredictor: what the stack will need, scoped")
struct LifecyclePredictorTests {
  func predictor() -> LifecyclePredictor {
    var p = LifecyclePredictor()
    p.region = "us-east-1"
    p.account = "111122223333"
    return p
  }

  static let table = "arn:aws:dynamodb:us-east-1:111122223333:table/shop-dev-Orders"

  @Test("a created resource: its own actions on its ARN; a replacement's creation on the stack's name pattern")
  func created() {
    let stack = StackModel(
      members: [
        .init(type: "AWS::DynamoDB::Table", logicalId: nil, arn: Self.table, properties: nil, fromTemplate: false)
      ],
      stackNames: ["shop-dev"])
    var p = predictor()
    p.servicesSeen = ["dynamodb"]
    let predicted = p.predict(stack)
    let byPermission = Dictionary(uniqueKeysWithValues: predicted.map { ("\($0.permission)", $0) })
    let delete = byPermission["dynamodb:DeleteTable on \(Self.table)"]
    #expect(delete?.neededBy == [.init(resourceType: "AWS::DynamoDB::Table", resource: Self.table, phase: .delete)])
    #expect(delete?.conditional == false)
    #expect(byPermission["dynamodb:CreateTable on arn:aws:dynamodb:us-east-1:111122223333:table/*shop-dev*"] != nil)
    // No KMS call in the trail: the table has no customer key, and its later phases need none.
    #expect(!predicted.contains { $0.permission.action.hasPrefix("kms:") })
  }

  @Test("a template's properties decide what another service's permissions are needed for; those kept are conditional")
  func properties() throws {
    let api = try StackTemplate.load([StackModelTests.templates + "/api.yaml"])
    let function = predictor().predict(StackModel.build(templates: api, analysis: nil))
    let actions = Set(
      function.filter { $0.neededBy.contains { $0.resourceType == "AWS::Lambda::Function" } }.map(\.permission.action))
    // The function has a VPC configuration and no KMS key.
    #expect(actions.contains("ec2:DescribeSubnets"))
    #expect(!actions.contains { $0.hasPrefix("kms:") })
    #expect(function.first { $0.permission.action == "ec2:DescribeSubnets" }?.conditional == true)
    #expect(function.first { $0.permission.action == "lambda:DeleteFunction" }?.conditional == false)
    let templates = try StackTemplate.load([StackModelTests.templates + "/cdk.out/shop-dev.template.json"])
    let predicted = predictor().predict(StackModel.build(templates: templates, analysis: nil))
    // A resource not created yet: the stack's name pattern.
    #expect(
      predicted.contains {
        $0.permission
          == Permission(action: "sqs:DeleteQueue", resource: "arn:aws:sqs:us-east-1:111122223333:*shop-dev*")
      })
  }

  @Test("an id AWS picks is not matched by the stack's name: the type's every-name pattern")
  func unnamed() {
    let stack = StackModel(
      members: [
        .init(type: "AWS::Lambda::EventSourceMapping", logicalId: nil, arn: nil, properties: nil, fromTemplate: false)
      ],
      stackNames: ["shop-dev"])
    let predicted = predictor().predict(stack)
    #expect(
      predicted.contains {
        $0.permission
          == Permission(
            action: "lambda:DeleteEventSourceMapping",
            resource: "arn:aws:lambda:us-east-1:111122223333:event-source-mapping:*")
      })
  }

  @Test("an action without resource types is predicted on *")
  func noResourceType() {
    let stack = StackModel(
      members: [
        .init(type: "AWS::Lambda::EventSourceMapping", logicalId: nil, arn: nil, properties: nil, fromTemplate: false)
      ],
      stackNames: [])
    #expect(
      predictor().predict(stack).contains {
        $0.permission == Permission(action: "lambda:CreateEventSourceMapping", resource: "*")
      })
  }
}

@Suite("LifecyclePredictor: names from templates")
struct LifecycleNameTests {
  @Test("a name the template writes out is used as it is; each template's members get their own stack's pattern")
  func names() throws {
    let orders = StackTemplate(
      path: "a.json", stackName: "orders-prod",
      resources: [
        .init(logicalId: "T", type: "AWS::DynamoDB::Table", properties: .object([("TableName", .string("orders"))]))
      ])
    let worker = StackTemplate(
      path: "b.json", stackName: "worker-prod",
      resources: [.init(logicalId: "Q", type: "AWS::SQS::Queue", properties: .object([("DelaySeconds", .string("0"))]))]
    )
    var p = LifecyclePredictor()
    p.region = "us-east-1"
    p.account = "111122223333"
    let predicted = p.predict(StackModel.build(templates: [orders, worker], analysis: nil)).map(\.permission)
    #expect(
      predicted.contains(
        Permission(action: "dynamodb:DeleteTable", resource: "arn:aws:dynamodb:us-east-1:111122223333:table/orders")))
    #expect(
      predicted.contains(
        Permission(action: "sqs:DeleteQueue", resource: "arn:aws:sqs:us-east-1:111122223333:*worker-prod*")))
    #expect(!predicted.contains { $0.resource.contains("*orders-prod*") && $0.action.hasPrefix("sqs:") })
  }
}
