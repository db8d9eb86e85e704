import EngineAPI
import Foundation
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// CreateFilter / DescribeFilter / ListFilters / DeleteFilter: lifecycle, limits and the checks that
/// need the dataset group's schemas.
@Suite struct FilterControlPlaneTests {
    let harness: EngineHarness
    init() throws { harness = try EngineHarness() }

    private func code(_ error: any Error) -> PersonalizeErrorCode? { (error as? PersonalizeError)?.code }
    private func message(_ error: any Error) -> String { (error as? PersonalizeError)?.message ?? "\(error)" }

    /// A dataset group with an Interactions, an Items and a Users dataset (no data: filters need only schemas).
    private func group(_ name: String = "g") async throws -> String {
        let engine = harness.engine
        let group = try await engine.send(CreateDatasetGroupRequest(name: name)).datasetGroupArn ?? ""
        let schemas = [
            ("INTERACTIONS", SyntheticData.interactionsSchema), ("ITEMS", FilterShop.itemsSchema),
            ("USERS", FilterShop.usersSchema),
        ]
        for (type, schema) in schemas {
            let arn =
                try await engine.send(CreateSchemaRequest(name: "\(name)-\(type)", schema: schema)).schemaArn ?? ""
            _ = try await engine.send(
                CreateDatasetRequest(name: "\(name)-\(type)", schemaArn: arn, datasetGroupArn: group, datasetType: type)
            )
        }
        return group
    }

    private func create(_ name: String, _ group: String, _ expression: String, tags: [EngineAPI.Tag]? = nil)
        async throws -> String
    {
        try await harness.engine.send(
            CreateFilterRequest(name: name, datasetGroupArn: group, filterExpression: expression, tags: tags)
        ).filterArn ?? ""
    }

    @Test(.tags(.small)) func createDescribeListAndDelete() async throws {
        let engine = harness.engine
        let group = try await group()
        let expression = #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")"#
        let arn = try await create(
            "no-purchases", group, expression, tags: [EngineAPI.Tag(tagKey: "team", tagValue: "recs")])
        #expect(arn == "arn:aws:personalize:local:000000000000:filter/no-purchases")
        let first = try await engine.send(DescribeFilterRequest(filterArn: arn)).filter
        #expect([Status.createPending, Status.active].contains(first?.status ?? ""))
        #expect(first?.filterExpression == expression && first?.datasetGroupArn == group)
        let status = try await EngineHarness.settle {
            try await engine.send(DescribeFilterRequest(filterArn: arn)).filter?.status
        }
        #expect(status == "ACTIVE")
        let second = try await create("genre", group, "INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)")

        let page1 = try await engine.send(ListFiltersRequest(datasetGroupArn: group, maxResults: 1))
        let page2 = try await engine.send(
            ListFiltersRequest(datasetGroupArn: group, nextToken: page1.nextToken, maxResults: 1))
        let listed: [String] = ((page1.Filters ?? []) + (page2.Filters ?? [])).compactMap(\.filterArn)
        #expect(listed.sorted() == [second, arn].sorted())
        #expect(page1.nextToken != nil && page2.nextToken == nil)
        #expect(
            try await engine.send(ListTagsForResourceRequest(resourceArn: arn)).tags == [
                EngineAPI.Tag(tagKey: "team", tagValue: "recs")
            ])

        _ = try await engine.send(DeleteFilterRequest(filterArn: arn))
        await engine.waitForBackgroundJobs()  // the deletion runs in the background
        await #expect { try await engine.send(DescribeFilterRequest(filterArn: arn)) } throws: {
            code($0) == .resourceNotFoundException
        }
        await #expect { try await engine.send(DeleteFilterRequest(filterArn: arn)) } throws: {
            code($0) == .resourceNotFoundException
        }
        #expect(try await engine.send(ListFiltersRequest(datasetGroupArn: group)).Filters?.map(\.filterArn) == [second])
    }

    @Test(.tags(.small)) func namesAreUniqueAndTenFiltersFitADatasetGroup() async throws {
        let group = try await group()
        for index in 0..<10 {
            _ = try await create("f\(index)", group, #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("e\#(index)")"#)
        }
        await #expect {
            try await create("f0", group, #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("x")"#)
        } throws: {
            code($0) == .resourceAlreadyExistsException || code($0) == .limitExceededException
        }
        await #expect {
            try await create("f10", group, #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("x")"#)
        } throws: {
            code($0) == .limitExceededException && message($0).contains("quota is 10")
        }
        let other = try await self.group("other")
        await #expect {
            try await create("f0", other, #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("x")"#)
        } throws: {
            code($0) == .resourceAlreadyExistsException
        }
    }

    @Test(.tags(.small)) func lengthNameAndFieldLimits() async throws {
        let group = try await group()
        let long =
            #"EXCLUDE ItemID WHERE Items.GENRE IN ("# + Array(repeating: #""x""#, count: 700).joined(separator: ", ")
            + ")"
        #expect(long.count > 2500)
        await #expect { try await create("long", group, long) } throws: {
            code($0) == .invalidInputException && message($0).contains("filterExpression")
        }
        await #expect { try await create("has space", group, #"EXCLUDE ItemID WHERE Items.GENRE IN ("a")"#) } throws: {
            code($0) == .invalidInputException
        }
        // 10 distinct fields across the group's filters are fine; an 11th is not.
        _ = try await create(
            "a", group, #"INCLUDE ItemID WHERE Items.GENRE IN ("a") AND Items.PRICE > 1 AND Items.BRAND IN ("b")"#)
        _ = try await create(
            "b", group, #"INCLUDE ItemID WHERE Items.COLOR IN ("a") AND Items.SIZE IN ("b") AND Items.GENRE IN ("c")"#)
        _ = try await create(
            "c", group,
            #"INCLUDE ItemID WHERE Items.MATERIAL IN ("a") AND Items.STUDIO IN ("b") IF CurrentUser.AGE > 3"#)
        _ = try await create("d", group, #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")"#)
        await #expect {
            try await create(
                "e", group, #"INCLUDE ItemID WHERE Items.CREATION_TIMESTAMP > 3 IF CurrentUser.MEMBERSHIP = "gold""#)
        } throws: {
            code($0) == .limitExceededException && message($0).contains("Items.CREATION_TIMESTAMP")
        }
        _ = try await create("e", group, #"INCLUDE ItemID WHERE Items.GENRE IN ("z") IF CurrentUser.AGE < 90"#)
    }

    @Test(.tags(.small)) func fieldsAreCheckedAgainstTheSchemas() async throws {
        let group = try await group()
        let cases: [(String, String, Int)] = [
            (#"INCLUDE ItemID WHERE Items.IN_STOCK IN ("true")"#, "'Items.IN_STOCK' is a boolean field", 22),
            (#"EXCLUDE ItemID WHERE Items.DESCRIPTION IN ("x")"#, "unstructured text", 22),
            (#"EXCLUDE ItemID WHERE Items.GENRES IN ("x")"#, "no field 'GENRES' (in 'Items.GENRES')", 22),
            (#"INCLUDE ItemID WHERE Items.GENRE > 3"#, "'Items.GENRE' is a string field", 22),
            (#"INCLUDE ItemID WHERE Items.PRICE IN ("cheap")"#, "\"cheap\" is not a number", 22),
            (
                #"INCLUDE ItemID WHERE Items.GENRE IN CurrentItem.PRICE"#,
                "cannot be compared with 'CurrentItem.PRICE'", 37
            ),
            (#"INCLUDE ActionID WHERE Actions.VALUE > 3"#, "'Actions.VALUE' needs a ACTIONS dataset", 24),
        ]
        for (expression, expected, position) in cases {
            await #expect("\(expression)") { try await create("bad", group, expression) } throws: {
                code($0) == .invalidInputException && message($0).contains(expected)
                    && message($0).hasSuffix("(at character \(position))")
            }
        }
        // Field names match the schema case-insensitively.
        _ = try await create("lower", group, #"INCLUDE ItemID WHERE items.genre IN ("comedy")"#)
    }

    @Test(.tags(.small)) func aDatasetGroupWithFiltersCannotBeDeleted() async throws {
        let engine = harness.engine
        let group = try await engine.send(CreateDatasetGroupRequest(name: "lonely")).datasetGroupArn ?? ""
        let schema =
            try await engine.send(CreateSchemaRequest(name: "i", schema: SyntheticData.interactionsSchema)).schemaArn
            ?? ""
        let dataset =
            try await engine.send(
                CreateDatasetRequest(name: "i", schemaArn: schema, datasetGroupArn: group, datasetType: "INTERACTIONS")
            ).datasetArn ?? ""
        let filter = try await create("f", group, #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")"#)
        _ = try await engine.send(DeleteDatasetRequest(datasetArn: dataset))
        await engine.waitForBackgroundJobs()  // the dataset's deletion finishes
        await #expect { try await engine.send(DeleteDatasetGroupRequest(datasetGroupArn: group)) } throws: {
            code($0) == .resourceInUseException && message($0).contains("1 filters")
        }
        _ = try await engine.send(DeleteFilterRequest(filterArn: filter))
        await engine.waitForBackgroundJobs()
        _ = try await engine.send(DeleteDatasetGroupRequest(datasetGroupArn: group))
        await #expect {
            try await create(
                "f", "arn:aws:personalize:local:000000000000:dataset-group/none",
                "EXCLUDE ItemID WHERE Items.A IN (\"a\")")
        } throws: {
            code($0) == .resourceNotFoundException
        }
    }

    @Test(.tags(.small)) func recoveryActivatesAFilterLeftPending() async throws {
        let group = try await group()
        let arn = try await create("f", group, #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")"#)
        await harness.engine.waitForBackgroundJobs()
        let date = Date()
        _ = try await harness.engine.core.write { db in
            try ResourceStore.update(
                db, EngineAPI.Filter.self, arn: arn, kind: .filter, at: date, status: \.status,
                enforcingLifecycle: false
            ) {
                $0.status = Status.createPending
            }
        }
        #expect(try await harness.engine.send(DescribeFilterRequest(filterArn: arn)).filter?.status == "CREATE PENDING")
        let database = harness.engine.core.database
        try Recovery.markInterruptedJobs(in: database, at: date)
        #expect(try await harness.engine.send(DescribeFilterRequest(filterArn: arn)).filter?.status == "ACTIVE")
    }
}
