import Foundation

/// A small trained project in a `tailor serve` data folder, so that fuzzed requests reach the runtime:
/// Interactions, Items and Users datasets imported from `<data-dir>/files/`, three campaigns
/// (user-personalization, personalized-ranking, SIMS), two filters and an event tracker.
struct Fixture: Codable {
    var datasetGroupArn = ""
    var schemaArns: [String] = []
    var datasetArns: [String: String] = [:]
    var solutionArns: [String] = []
    var solutionVersionArns: [String] = []
    var campaignArns: [String: String] = [:]
    var filterArns: [String] = []
    var eventTrackerArn = ""
    var trackingId = ""
    var files: [String] = []
    var users = 0
    var items = 0

    static let interactionsSchema = """
        {"type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema", "fields": [
         {"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
         {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"},
         {"name": "EVENT_VALUE", "type": ["null", "float"]}], "version": "1.0"}
        """
    static let itemsSchema = """
        {"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema", "fields": [
         {"name": "ITEM_ID", "type": "string"}, {"name": "GENRE", "type": "string", "categorical": true},
         {"name": "PRICE", "type": ["null", "double"]}, {"name": "CREATION_TIMESTAMP", "type": "long"}],
         "version": "1.0"}
        """
    static let usersSchema = """
        {"type": "record", "name": "Users", "namespace": "com.amazonaws.personalize.schema", "fields": [
         {"name": "USER_ID", "type": "string"}, {"name": "AGE", "type": ["null", "int"]},
         {"name": "TIER", "type": "string", "categorical": true}], "version": "1.0"}
        """

    /// Writes the CSV files under `<data-dir>/files/` (always an allowed import root).
    static func writeFiles(dataDirectory: String, users: Int, items: Int) throws -> [String] {
        let folder = dataDirectory + "/files"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var random = SplitMix(seed: 7)
        var interactions = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n"
        var stamp = 1_700_000_000
        for user in 0..<users {
            for _ in 0..<20 {
                stamp += 7
                let item = (random.below(items / 5) * 5 + user % 5) % items
                interactions += "u\(user),i\(item),\(stamp),\(random.oneIn(4) ? "purchase" : "click"),1.0\n"
            }
        }
        var catalogue = "ITEM_ID,GENRE,PRICE,CREATION_TIMESTAMP\n"
        for item in 0..<items { catalogue += "i\(item),g\(item % 5)|all,\(item % 40).5,\(1_690_000_000 + item)\n" }
        var people = "USER_ID,AGE,TIER\n"
        for user in 0..<users { people += "u\(user),\(20 + user % 50),\(user % 3 == 0 ? "gold" : "basic")\n" }
        let paths = ["interactions.csv", "items.csv", "users.csv"].map { folder + "/" + $0 }
        for (path, text) in zip(paths, [interactions, catalogue, people]) {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return paths
    }

    /// Creates and trains everything through `server`'s control plane, as a client would.
    static func build(on server: Server, users: Int = 200, items: Int = 300) throws -> Fixture {
        var fixture = Fixture(users: users, items: items)
        fixture.files = try writeFiles(dataDirectory: server.dataDirectory, users: users, items: items)
        let role = "arn:aws:iam::000000000000:role/PersonalizeRole"
        fixture.datasetGroupArn = try server.must("CreateDatasetGroup", ["name": "fuzz"])["datasetGroupArn"] as! String
        let kinds = [("Interactions", interactionsSchema), ("Items", itemsSchema), ("Users", usersSchema)]
        for (index, (type, schema)) in kinds.enumerated() {
            let schemaArn =
                try server.must("CreateSchema", ["name": "fuzz-\(type.lowercased())", "schema": schema])["schemaArn"]
                as! String
            fixture.schemaArns.append(schemaArn)
            let datasetArn =
                try server.must(
                    "CreateDataset",
                    [
                        "name": "fuzz-\(type.lowercased())", "schemaArn": schemaArn,
                        "datasetGroupArn": fixture.datasetGroupArn, "datasetType": type,
                    ])["datasetArn"] as! String
            fixture.datasetArns[type] = datasetArn
            let job =
                try server.must(
                    "CreateDatasetImportJob",
                    [
                        "jobName": "fuzz-\(type.lowercased())", "datasetArn": datasetArn,
                        "dataSource": ["dataLocation": fixture.files[index]], "roleArn": role,
                    ])["datasetImportJobArn"] as! String
            let status = try server.waitUntilTerminal(
                "DescribeDatasetImportJob", key: "datasetImportJobArn", arn: job, member: "datasetImportJob")
            guard status == "ACTIVE" else { throw RawHTTPError("fixture import of \(type) ended \(status)") }
        }
        for recipe in ["aws-user-personalization", "aws-personalized-ranking", "aws-sims"] {
            let solution =
                try server.must(
                    "CreateSolution",
                    [
                        "name": "fuzz-\(recipe)", "datasetGroupArn": fixture.datasetGroupArn,
                        "recipeArn": "arn:aws:personalize:::recipe/\(recipe)",
                    ])["solutionArn"] as! String
            fixture.solutionArns.append(solution)
            let version =
                try server.must("CreateSolutionVersion", ["solutionArn": solution])["solutionVersionArn"]
                as! String
            let status = try server.waitUntilTerminal(
                "DescribeSolutionVersion", key: "solutionVersionArn", arn: version, member: "solutionVersion")
            guard status == "ACTIVE" else { throw RawHTTPError("fixture training of \(recipe) ended \(status)") }
            fixture.solutionVersionArns.append(version)
            let campaign =
                try server.must("CreateCampaign", ["name": "fuzz-\(recipe)", "solutionVersionArn": version])[
                    "campaignArn"] as! String
            let campaignStatus = try server.waitUntilTerminal(
                "DescribeCampaign", key: "campaignArn", arn: campaign, member: "campaign")
            guard campaignStatus == "ACTIVE" else { throw RawHTTPError("fixture campaign \(recipe) ended \(status)") }
            fixture.campaignArns[recipe] = campaign
        }
        let filters = [
            "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($EVENT_TYPE)",
            "INCLUDE ItemID WHERE Items.GENRE IN ($GENRE) AND Items.PRICE < 20 | EXCLUDE ItemID WHERE Items.GENRE IN (\"g1\")",
        ]
        for (index, expression) in filters.enumerated() {
            let filter =
                try server.must(
                    "CreateFilter",
                    [
                        "name": "fuzz-\(index)", "datasetGroupArn": fixture.datasetGroupArn,
                        "filterExpression": expression,
                    ]
                )["filterArn"] as! String
            _ = try server.waitUntilTerminal("DescribeFilter", key: "filterArn", arn: filter, member: "filter")
            fixture.filterArns.append(filter)
        }
        let tracker = try server.must(
            "CreateEventTracker", ["name": "fuzz", "datasetGroupArn": fixture.datasetGroupArn])
        fixture.eventTrackerArn = tracker["eventTrackerArn"] as! String
        fixture.trackingId = tracker["trackingId"] as! String
        _ = try server.waitUntilTerminal(
            "DescribeEventTracker", key: "eventTrackerArn", arn: fixture.eventTrackerArn, member: "eventTracker")
        return fixture
    }

    /// Every ARN of the fixture, for requests that name resources.
    var allArns: [String] {
        [datasetGroupArn, eventTrackerArn] + schemaArns + datasetArns.values.sorted() + solutionArns
            + solutionVersionArns + campaignArns.values.sorted() + filterArns
    }
}
