import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("Catalog")
struct CatalogTests {
  let catalog = Catalog.shared

  @Test("knows its data version and every service")
  func version() {
    #expect(catalog.version.hasPrefix("0.1."))
    #expect(!catalog.date.isEmpty)
    #expect(catalog.serviceCount > 400)
    #expect(TightenVersion.description.contains(catalog.version))
  }

  @Test("finds actions whatever their case, spelt as the reference spells them")
  func actions() {
    #expect(catalog.action("S3:getobject")?.name == "s3:GetObject")
    #expect(catalog.action("s3:GetBucketCors")?.name == "s3:GetBucketCORS")
    #expect(catalog.action("s3:NoSuchAction") == nil)
    #expect(catalog.action("nosuch:Thing") == nil)
  }

  @Test("knows which actions have resource types and which are required")
  func resourceTypes() throws {
    let createFunction = try #require(catalog.action("lambda:CreateFunction"))
    #expect(createFunction.resourceTypes.map(\.type.name) == ["function"])
    #expect(createFunction.resourceTypes.first?.required == true)
    #expect(catalog.action("kms:CreateKey")?.resourceTypes.isEmpty == true)
    #expect(catalog.action("ec2:DescribeAccountAttributes")?.resourceTypes.isEmpty == true)
  }

  @Test("event sources map to prefixes from the data, falling back to the source's own name")
  func prefixes() {
    #expect(catalog.prefix(forEventSource: "monitoring.amazonaws.com") == "cloudwatch")
    #expect(catalog.prefix(forEventSource: "tagging.amazonaws.com") == "tag")
    #expect(catalog.prefix(forEventSource: "s3.amazonaws.com") == "s3")
    #expect(catalog.prefix(forEventSource: "nosuch.amazonaws.com") == nil)
  }

  @Test("reads each line's kind letter and tab-separated fields, skipping empty lines")
  func lines() {
    let text: StaticString = "V\t0.1\t2026-01-01\n\nA\tGetObject\tR\t\n?\tnew kind\n"
    var seen: [(CatalogLine.Kind?, [String], Int)] = []
    CatalogLine.forEach(
      in: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount), 0..<text.utf8CodeUnitCount
    ) { line in
      seen.append((line.kind, (0..<line.fields.count).map { line[$0] }, line.start))
    }
    #expect(seen.map(\.0) == [.version, .action, nil])
    #expect(seen.map(\.1) == [["V", "0.1", "2026-01-01"], ["A", "GetObject", "R", ""], ["?", "new kind"]])
    #expect(seen.map(\.2) == [0, 18, 33])
  }

  @Test("lines of the kinds left out are stepped over; a last line without a newline is read")
  func keptLines() {
    let text: StaticString = "S\tsqs\nA\tSendMessage\tW\tqueue!\nR\tqueue\tarn\n\tlead tab\nE\tsqs.amazonaws.com\tsqs"
    var seen: [(CatalogLine.Kind?, [String], Int)] = []
    CatalogLine.forEach(
      in: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount), 0..<text.utf8CodeUnitCount,
      skipping: [.action, .resourceType]
    ) { line in
      seen.append((line.kind, (0..<line.fields.count).map { line[$0] }, line.start))
    }
    #expect(seen.map(\.0) == [.service, nil, .eventSource])
    #expect(seen.map(\.1) == [["S", "sqs"], ["", "lead tab"], ["E", "sqs.amazonaws.com", "sqs"]])
    #expect(seen.map(\.2) == [0, 41, 51])
  }

  @Test("parses every line form into its table")
  func lineForms() throws {
    let catalog = Catalog(
      text: """
        V	0.1.1	2026-01-02
        S	sqs
        R	queue	arn:${Partition}:sqs:${Region}:${Account}:${QueueName}
        A	SendMessage	W	queue!
        A	ListQueues	L	
        E	sqs.amazonaws.com	sqs
        N	sqs	SendMessageBatch	sqs:SendMessage
        M	sqs.amazonaws.com	Purge	sqs:SendMessage<hint> sqs:ListQueues
        M	sts.amazonaws.com	GetCallerIdentity	none
        P	sqs.amazonaws.com	CreateQueue	roleArn	sqs.amazonaws.com
        K	QueueName	queueUrl queueName
        D	AccessDenied Forbidden
        Z	sqs.amazonaws.com	SendMessage ReceiveMessage
        G	apigateway.amazonaws.com	GetRestApi	GET	/restapis/{restApiId}
        Q	sqs
        U	sqs	queue	:*	ListQueues
        H	Alias	alias/
        F	QueueName	queue-url		
        O	sqs.amazonaws.com	Purge	arn:{partition}:sqs:{region}:{account}:{queueName}
        T	sqs	queue
        I	sqs	queue	q- r-

        """)
    #expect(catalog.version == "0.1.1" && catalog.date == "2026-01-02")
    #expect(catalog.prefixes == ["sqs"])
    let send = try #require(catalog.action("sqs:sendmessage"))
    #expect(send.name == "sqs:SendMessage" && send.level == .write)
    #expect(send.resourceTypes.map(\.type.name) == ["queue"] && send.resourceTypes.map(\.required) == [true])
    #expect(catalog.action("sqs:ListQueues")?.level == .list)
    #expect(catalog.eventSources == ["sqs.amazonaws.com": "sqs"])
    #expect(catalog.renames == ["sqs:SendMessageBatch": ["sqs:SendMessage"]])
    #expect(
      catalog.curated == [
        "sqs.amazonaws.com Purge": [
          Catalog.Target(action: "sqs:SendMessage", hint: "hint"), Catalog.Target(action: "sqs:ListQueues", hint: nil),
        ],
        "sts.amazonaws.com GetCallerIdentity": [],
      ])
    #expect(catalog.passRoles["sqs.amazonaws.com CreateQueue"]?.map(\.path) == ["roleArn"])
    #expect(catalog.parameterPaths == ["QueueName": ["queueUrl", "queueName"]])
    #expect(catalog.isDeniedCode("Forbidden") && !catalog.isDeniedCode("Throttling"))
    #expect(catalog.isDataEvent(source: "sqs.amazonaws.com", event: "ReceiveMessage"))
    #expect(catalog.apiGatewayRoutes["GetRestApi"]?.map(\.path) == ["/restapis/{restApiId}"])
    #expect(catalog.allRequired == ["sqs"])
    #expect(catalog.arnSuffixes["sqs"]?.map(\.suffix) == [":*"])
    #expect(catalog.arnSuffixes["sqs"]?.first?.except == ["ListQueues"])
    #expect(catalog.variableRules.steps(for: "Alias") == [.strip("alias/")])
    #expect(catalog.variableRules.steps(for: "QueueName") == [.queueURL])
    #expect(catalog.resourcePatterns["sqs.amazonaws.com Purge"] == "arn:{partition}:sqs:{region}:{account}:{queueName}")
    #expect(catalog.preferredTypes == ["sqs": "queue"])
    #expect(catalog.identifierPrefixes["sqs"]?.first?.prefixes == ["q-", "r-"])
  }
}
