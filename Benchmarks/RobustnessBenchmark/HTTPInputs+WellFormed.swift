import Foundation

/// Well-formed bodies for the operations that reach deepest (runtime, events, the fixture's resources), so
/// that a good share of inputs pass validation and reach the engine, some then changed in one place.
extension HTTPInputs {
    static let wellFormedOperations = [
        "GetRecommendations", "GetPersonalizedRanking", "PutEvents", "PutItems", "PutUsers", "DescribeCampaign",
        "DescribeSolutionVersion", "DescribeFilter", "ListCampaigns", "ListDatasetImportJobs", "CreateFilter",
        "CreateDatasetImportJob", "GetSolutionMetrics", "ListRecipes",
    ]

    func wellFormed(_ name: String, _ random: inout SplitMix, sideFile: inout (path: String, bytes: [UInt8])?)
        -> FuzzJSON?
    {
        let user = FuzzJSON.text("u\(random.below(fixture.users + fixture.users / 5 + 1))")
        let campaigns = fixture.campaignArns
        switch name {
        case "GetRecommendations":
            let sims = random.oneIn(4)
            var members: [(key: String, value: FuzzJSON)] = [
                ("campaignArn", .text(campaigns[sims ? "aws-sims" : "aws-user-personalization"] ?? "")),
                sims ? ("itemId", .text("i\(random.below(fixture.items + 10))")) : ("userId", user),
                ("numResults", .number("\(random.below(100) + 1)")),
            ]
            if random.oneIn(3), !sims { members += filter(&random) }
            if random.oneIn(5) { members.append(("context", .object([("DEVICE", .text("phone"))]))) }
            return .object(members)
        case "GetPersonalizedRanking":
            let items = (0..<(random.below(50) + 1)).map { _ in FuzzJSON.text("i\(random.below(fixture.items + 10))") }
            var members: [(key: String, value: FuzzJSON)] = [
                ("campaignArn", .text(campaigns["aws-personalized-ranking"] ?? "")), ("userId", user),
                ("inputList", .array(items)),
            ]
            if random.oneIn(3) { members += filter(&random) }
            return .object(members)
        case "PutEvents":
            let events = (0..<(random.below(10) + 1)).map { index -> FuzzJSON in
                var event: [(key: String, value: FuzzJSON)] = [
                    ("eventType", .text(random.pick(["click", "purchase"]))),
                    ("itemId", .text("i\(random.below(fixture.items + 10))")),
                    ("sentAt", .number("\(1_700_000_000 + random.below(10_000_000))")),
                ]
                if random.oneIn(3) { event.append(("eventValue", .number("\(random.below(10)).5"))) }
                if random.oneIn(4) { event.append(("eventId", .text("e\(random.below(1000))-\(index)"))) }
                if random.oneIn(5) { event.append(("impression", .array([.text("i1"), .text("i2")]))) }
                return .object(event)
            }
            return .object([
                ("trackingId", .text(fixture.trackingId)), ("userId", user),
                ("sessionId", .text("s\(random.below(100))")),
                ("eventList", .array(events)),
            ])
        case "PutItems":
            let items = (0..<(random.below(10) + 1)).map { _ -> FuzzJSON in
                .object([
                    ("itemId", .text("i\(random.below(fixture.items + 50))")),
                    (
                        "properties",
                        .text(
                            "{\"genre\": \"g\(random.below(6))\", \"price\": \(random.below(50)).5, \"creationTimestamp\": 1690000000}"
                        )
                    ),
                ])
            }
            return .object([("datasetArn", .text(fixture.datasetArns["Items"] ?? "")), ("items", .array(items))])
        case "PutUsers":
            let users = (0..<(random.below(10) + 1)).map { _ -> FuzzJSON in
                .object([("userId", user), ("properties", .text("{\"age\": \(random.below(80)), \"tier\": \"gold\"}"))])
            }
            return .object([("datasetArn", .text(fixture.datasetArns["Users"] ?? "")), ("users", .array(users))])
        case "DescribeCampaign": return .object([("campaignArn", .text(random.pick(campaigns.values.sorted())))])
        case "DescribeSolutionVersion", "GetSolutionMetrics":
            return .object([("solutionVersionArn", .text(random.pick(fixture.solutionVersionArns)))])
        case "DescribeFilter": return .object([("filterArn", .text(random.pick(fixture.filterArns)))])
        case "ListCampaigns", "ListDatasetImportJobs", "ListRecipes":
            return .object(random.oneIn(2) ? [] : [("maxResults", .number("\(random.below(100) + 1)"))])
        case "CreateFilter":
            return .object([
                ("name", .text("fz\(random.below(100_000))")), ("datasetGroupArn", .text(fixture.datasetGroupArn)),
                ("filterExpression", .text(FilterInputs.expression(&random))),
            ])
        case "CreateDatasetImportJob":
            let type = random.pick(["Interactions", "Items", "Users"])
            var file = fixture.files[["Interactions": 0, "Items": 1, "Users": 2][type] ?? 0]
            if random.oneIn(20) {
                // Sources that never end or never open: a device, a named pipe no one writes to.
                file = random.pick([
                    "/dev/zero", "/dev/urandom",
                    file.replacingOccurrences(of: ".csv", with: "").replacingOccurrences(
                        of: "interactions", with: "fifo") + ".csv",
                ])
            } else if random.oneIn(2) {
                // A fuzzed file in the live folder's files/, written by the sender just before.
                let columns =
                    [
                        "Interactions": ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE"],
                        "Items": ["ITEM_ID", "GENRE", "PRICE", "CREATION_TIMESTAMP"],
                        "Users": ["USER_ID", "AGE", "TIER"],
                    ][type] ?? []
                file = (file as NSString).deletingLastPathComponent + "/fz-\(random.below(1_000_000)).csv"
                sideFile = (file, CSVTarget.csvFile(columns: columns, &random))
            }
            return .object([
                ("jobName", .text("fz\(random.below(100_000))")),
                ("datasetArn", .text(fixture.datasetArns[type] ?? "")),
                ("dataSource", .object([("dataLocation", .text(file))])),
                ("roleArn", .text("arn:aws:iam::000000000000:role/PersonalizeRole")),
                ("importMode", .text(random.pick(["FULL", "INCREMENTAL"]))),
            ])
        default: return nil
        }
    }

    private func filter(_ random: inout SplitMix) -> [(key: String, value: FuzzJSON)] {
        let index = random.below(fixture.filterArns.count)
        let values: [(key: String, value: FuzzJSON)] =
            index == 0
            ? [("EVENT_TYPE", .text(random.pick(["\\\"click\\\"", "\\\"click\\\", \\\"purchase\\\""])))]
            : [("GENRE", .text(random.pick(["\\\"g1\\\"", "\\\"g2\\\", \\\"g3\\\""])))]
        return [("filterArn", .text(fixture.filterArns[index])), ("filterValues", .object(values))]
    }
}
