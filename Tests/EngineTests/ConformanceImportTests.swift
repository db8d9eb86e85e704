import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

/// Bulk import cell rules (part 1 §7, §9) and import modes (part 2 §6.1–6.2).
@Suite struct ConformanceImportTests {
    static let itemsSchema = avroSchema(
        "Items",
        [
            ("ITEM_ID", #""string""#, nil), ("GENRES", #"["null", "string"]"#, #""categorical": true"#),
            ("DESCRIPTION", #"["null", "string"]"#, #""textual": true"#),
        ])

    static let interactionsSchema = avroSchema(
        "Interactions",
        interactionFields + [
            ("IMPRESSION", #"["null", "string"]"#, nil)
        ])

    /// `count` interactions, the first with `impression`.
    private func interactions(_ count: Int, impression: String = "") -> String {
        "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,IMPRESSION\n"
            + (0..<count).map { "u\($0 % 10),i\($0 % 7),\(1_600_000_000 + $0),click,\($0 == 0 ? impression : "")" }
            .joined(separator: "\n") + "\n"
    }

    // MARK: Cells (part 1 §7.2–7.4, §8.6, §9; part 3 §8.6 E5)

    @Test func idsAreAtMost256Characters() async throws {
        let shop = try await ConformanceShop.open()
        let items = try await shop.dataset("Items", Self.itemsSchema)
        let longest = String(repeating: "x", count: 256)
        let fits = try await shop.importCSV(items, "fits", "ITEM_ID,GENRES\n\(longest),drama\n")
        #expect(fits?.status == "ACTIVE")
        let tooLong = try await shop.importCSV(items, "too-long", "ITEM_ID,GENRES\n\(longest)y,drama\n")
        #expect(tooLong?.status == "CREATE FAILED")
        #expect(tooLong?.failureReason == "too-long.csv row 2, column ITEM_ID: the ID is longer than 256 characters")
    }

    @Test func idsCannotContainAQuoteOrABackslash() async throws {
        let shop = try await ConformanceShop.open()
        let items = try await shop.dataset("Items", Self.itemsSchema)
        for (name, id) in [("quote", #""i\"1""#), ("backslash", #""i\\1""#)] {
            let job = try await shop.importCSV(items, name, "ITEM_ID,GENRES\ni0,drama\n\(id),drama\n")
            #expect(job?.status == "CREATE FAILED", "\(name)")
            #expect(job?.failureReason == "\(name).csv row 3, column ITEM_ID: IDs cannot contain \" or \\ characters")
        }
        #expect(try await shop.rows(items).isEmpty)
    }

    @Test func categoricalValuesOver1000CharactersFailTheImportWithE5() async throws {
        let shop = try await ConformanceShop.open()
        let items = try await shop.dataset("Items", Self.itemsSchema)
        let longest = String(repeating: "g", count: 1000)
        let fits = try await shop.importCSV(items, "fits", "ITEM_ID,GENRES\ni1,\(longest)|drama\n")
        #expect(fits?.status == "ACTIVE", "each value of a multi-value cell may have 1,000 characters")
        let job = try await shop.importCSV(items, "too-long", "ITEM_ID,GENRES\ni1,drama|\(longest)g\n")
        #expect(job?.status == "CREATE FAILED")
        #expect(
            job?.failureReason
                == "too-long.csv row 2, column GENRES: Length for GENRES cannot exceed 1000 characters. If no value "
                + "exceeds the character limit, make sure your data follows the formatting guidelines at "
                + "https://docs.aws.amazon.com/personalize/latest/dg/data-prep-formatting.html")
    }

    @Test func impressionsAreAtMost1000CharactersIncludingSeparators() async throws {
        let shop = try await ConformanceShop.open()
        let dataset = try await shop.dataset("Interactions", Self.interactionsSchema)
        // 200 ids of 4 characters and 199 separators: 999 characters.
        let impression = (0..<200).map { String(format: "i%03d", $0) }.joined(separator: "|")
        #expect(impression.count == 999)
        let fits = try await shop.importCSV(dataset, "fits", interactions(120, impression: impression + "x"))
        #expect(fits?.status == "ACTIVE", "\(fits?.failureReason ?? "")")
        let job = try await shop.importCSV(dataset, "too-long", interactions(120, impression: impression + "|x"))
        #expect(job?.status == "CREATE FAILED")
        #expect(job?.failureReason?.hasPrefix("too-long.csv row 2, column IMPRESSION: Length for IMPRESSION") == true)
    }

    @Test func textLongerThan20000CharactersIsTruncatedNotRefused() async throws {
        let shop = try await ConformanceShop.open()
        let items = try await shop.dataset("Items", Self.itemsSchema)
        let text = String(repeating: "word ", count: 4_100)  // 20,500 characters
        let job = try await shop.importCSV(items, "long-text", "ITEM_ID,DESCRIPTION\ni1,\"\(text)\"\n")
        #expect(job?.status == "ACTIVE")
        let stored = try await shop.rows(items).first ?? ""
        #expect(stored == "i1,," + String(text.prefix(20_000)))
    }

    @Test func chineseAndJapaneseTextIsTruncatedAt7000Characters() async throws {
        let shop = try await ConformanceShop.open()
        let items = try await shop.dataset("Items", Self.itemsSchema)
        let chinese = String(repeating: "推荐系统", count: 2_000)  // 8,000 characters
        let japanese = String(repeating: "おすすめ", count: 2_000)
        let english = String(repeating: "abcd", count: 2_000)
        let csv = "ITEM_ID,DESCRIPTION\nzh,\(chinese)\nja,\(japanese)\nen,\(english)\n"
        let job = try await shop.importCSV(items, "languages", csv)
        #expect(job?.status == "ACTIVE")
        let stored = try await shop.rows(items, orderBy: "ITEM_ID")
        #expect(stored == ["en,," + english, "ja,," + japanese.prefix(7_000), "zh,," + chinese.prefix(7_000)])
    }

    @Test func textThatIsNotUTF8FailsTheImport() async throws {
        let shop = try await ConformanceShop.open()
        let items = try await shop.dataset("Items", Self.itemsSchema)
        let file = shop.harness.directory.url.appendingPathComponent("latin1.csv")
        var bytes = Array("ITEM_ID,GENRES\ni1,caf".utf8)
        bytes.append(0xE9)  // é in Latin-1
        bytes += Array("\n".utf8)
        try Data(bytes).write(to: file)
        let job = try await shop.importLocation(items, "latin1", file.path)
        #expect(job?.status == "CREATE FAILED")
        #expect(job?.failureReason == "latin1.csv row 2, column GENRES: the value is not valid UTF-8")
    }

    // MARK: Import modes (part 2 §6.1–6.2)

    @Test func importModeDefaultsToFull() async throws {
        let shop = try await ConformanceShop.open()
        let items = try await shop.dramaAndComedyItems(job: "first")
        let second = try await shop.importCSV(items, "second", "ITEM_ID,GENRES\ni3,horror\n")
        #expect(second?.importMode == .full)
        #expect(try await shop.rows(items) == ["i3,horror,"], "a FULL import replaces the earlier bulk data")
    }

    @Test func fullImportsKeepIndividuallyImportedRecords() async throws {
        let shop = try await ConformanceShop.open()
        let engine = shop.engine
        let items = try await shop.dramaAndComedyItems(job: "first")
        try await shop.putItem(items, "i9", genres: "news")
        let again = try await shop.importCSV(items, "again", "ITEM_ID,GENRES\ni3,horror\n", mode: .full)
        #expect(again?.status == "ACTIVE")
        #expect(try await shop.rows(items, orderBy: "ITEM_ID") == ["i3,horror,", "i9,news,"])

        let events = try await shop.dataset("Interactions", Self.interactionsSchema)
        _ = try await shop.importCSV(events, "events", interactions(120))
        let tracker = try await engine.send(CreateEventTrackerRequest(name: "web", datasetGroupArn: shop.group))
        _ = try await engine.send(
            PutEventsRequest(
                trackingId: tracker.trackingId ?? "", userId: "u1", sessionId: "s1",
                eventList: [Event(eventType: "click", itemId: "i5", sentAt: Date(timeIntervalSince1970: 1_700_000_000))]
            ))
        let replaced = try await shop.importCSV(events, "events-again", interactions(110))
        #expect(replaced?.status == "ACTIVE")
        let rows = try await shop.rows(events)
        #expect(rows.count == 111)
        #expect(rows.contains("u1,i5,1700000000,click,"), "the PutEvents event survives the FULL import")
    }

    @Test func incrementalImportsReplaceRecordsWithTheSameID() async throws {
        let shop = try await ConformanceShop.open()
        let schemas = [
            ("Items", "ITEM_ID", Self.itemsSchema),
            (
                "Users", "USER_ID",
                avroSchema("Users", [("USER_ID", #""string""#, nil), ("TIER", #""string""#, #""categorical": true"#)])
            ),
            (
                "Actions", "ACTION_ID",
                avroSchema(
                    "Actions", [("ACTION_ID", #""string""#, nil), ("TIER", #""string""#, #""categorical": true"#)])
            ),
        ]
        for (type, key, schema) in schemas {
            let dataset = try await shop.dataset(type, schema)
            let column = type == "Items" ? "GENRES" : "TIER"
            _ = try await shop.importCSV(dataset, "\(type)-full", "\(key),\(column)\nx1,old\nx2,old\n")
            let job = try await shop.importCSV(
                dataset, "\(type)-more", "\(key),\(column)\nx1,new\nx3,new\n", mode: .incremental)
            #expect(job?.status == "ACTIVE", "\(type)")
            let suffix = type == "Items" ? "," : ""
            #expect(
                try await shop.rows(dataset, orderBy: key) == [
                    "x1,new\(suffix)", "x2,old\(suffix)", "x3,new\(suffix)",
                ],
                "\(type)")
        }
    }

    @Test func aFolderLocationReadsItsFirstLevelCSVFilesOnly() async throws {
        let shop = try await ConformanceShop.open()
        let items = try await shop.dataset("Items", Self.itemsSchema)
        let directory = shop.harness.directory
        _ = try directory.write("bulk/a.csv", "ITEM_ID,GENRES\ni1,drama\n")
        _ = try directory.write("bulk/b.csv", "ITEM_ID,GENRES\ni2,comedy\n")
        _ = try directory.write("bulk/notes.txt", "not a CSV file")
        _ = try directory.write("bulk/older/c.csv", "ITEM_ID,GENRES\ni3,horror\n")
        let folder = directory.url.appendingPathComponent("bulk").path + "/"
        let job = try await shop.importLocation(items, "folder", folder)
        #expect(job?.status == "ACTIVE", "\(job?.failureReason ?? "")")
        #expect(try await shop.rows(items, orderBy: "ITEM_ID") == ["i1,drama,", "i2,comedy,"])
    }

    @Test func aDataLocationThatCannotBeReadIsE1() async throws {
        let shop = try await ConformanceShop.open()
        let items = try await shop.dataset("Items", Self.itemsSchema)
        let missing = shop.harness.directory.url.appendingPathComponent("missing.csv").path
        for location in [missing, "s3://bucket/items.csv", ""] {
            let error = await ConformanceShop.error {
                _ = try await shop.engine.send(
                    CreateDatasetImportJobRequest(
                        jobName: "job", datasetArn: items, dataSource: DataSource(dataLocation: location)))
            }
            #expect(error?.code == .invalidInputException, "\(location)")
            #expect(error?.message.hasPrefix("Invalid Data location.") == true, "\(String(describing: error))")
        }
    }

    @Test func columnsAreMatchedByHeaderNameInAnyOrder() async throws {
        let shop = try await ConformanceShop.open()
        let items = try await shop.dataset("Items", Self.itemsSchema)
        let job = try await shop.importCSV(items, "reordered", "DESCRIPTION,GENRES,ITEM_ID\nsunny,drama,i1\n")
        #expect(job?.status == "ACTIVE")
        #expect(try await shop.rows(items) == ["i1,drama,sunny"])
    }
}
