import EngineAPI
import Foundation
import GRDB
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// Actions and Action interactions datasets: schemas, bulk imports, the automatic event tracker and
/// PutActionInteractions.
@Suite struct ActionDatasetTests {
    let harness: EngineHarness
    var engine: LocalEngine { harness.engine }

    init() throws { harness = try EngineHarness() }

    private static func schema(_ name: String, _ fields: String) throws -> AvroSchema {
        try AvroSchema(json: SchemaValidationTests.schema(fields, name: name))
    }

    @Test(arguments: [
        (
            DatasetType.actionInteractions, "ActionInteractions",
            #"{"name": "USER_ID", "type": "string"}, {"name": "ACTION_ID", "type": "string"}, {"name": "TIMESTAMP", "type": "long"}"#,
            "missing the required field EVENT_TYPE"
        ),
        (
            DatasetType.actionInteractions, "ActionInteractions",
            #"{"name": "USER_ID", "type": "string"}, {"name": "ACTION_ID", "type": "string"}, {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string", "categorical": true}"#,
            "EVENT_TYPE cannot be categorical"
        ),
        (
            DatasetType.actionInteractions, "ActionInteractions",
            #"{"name": "USER_ID", "type": "string"}, {"name": "ACTION_ID", "type": "string"}, {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"}, {"name": "IMPRESSION", "type": "long"}"#,
            "Reserved field IMPRESSION must be of type string"
        ),
        (
            DatasetType.actions, "Actions",
            #"{"name": "ACTION_ID", "type": "string"}, {"name": "VALUE", "type": "string"}, {"name": "C", "type": "string", "categorical": true}"#,
            "Reserved field VALUE must be of type long"
        ),
        (
            DatasetType.actions, "Actions",
            #"{"name": "ACTION_ID", "type": "string"}, {"name": "REPEAT_FREQUENCY", "type": ["null", "long"]}"#,
            "An ACTIONS schema needs at least one metadata field besides ACTION_ID"
        ),
        (
            DatasetType.actions, "Actions",
            #"{"name": "ACTION_ID", "type": "string"}, {"name": "EXPIRATION_TIMESTAMP", "type": "long"}, {"name": "ACTION_EXPIRATION_TIMESTAMP", "type": "long"}, {"name": "C", "type": "int"}"#,
            "not both"
        ),
        (
            DatasetType.actions, "Actions",
            #"{"name": "ACTION_ID", "type": "string"}, {"name": "BLURB", "type": "string", "textual": true}"#,
            "textual fields are allowed only in an Items schema"
        ),
        (
            DatasetType.actions, "Interactions",
            #"{"name": "ACTION_ID", "type": "string"}, {"name": "C", "type": "int"}"#,
            "needs a schema named Actions"
        ),
    ])
    func actionSchemasFollowTheGuide(type: DatasetType, record: String, fields: String, message: String) throws {
        let schema = try Self.schema(record, fields)
        #expect {
            try type.validate(schema)
        } throws: { error in
            (error as? PersonalizeError)?.message.contains(message) == true
        }
    }

    @Test func theGuidesActionSchemasAreAccepted() throws {
        try DatasetType.actions.validate(try AvroSchema(json: SyntheticActions.actionsSchema))
        try DatasetType.actionInteractions.validate(try AvroSchema(json: SyntheticActions.actionInteractionsSchema))
    }

    /// A group with an Action interactions dataset; returns the group and dataset ARNs.
    private func actionInteractionsDataset() async throws -> (group: String, dataset: String) {
        let group = try await engine.send(CreateDatasetGroupRequest(name: "bank")).datasetGroupArn ?? ""
        let dataset = try await harness.createDataset(
            group: group, name: "bank-action-interactions", type: "Action_Interactions",
            schema: SyntheticActions.actionInteractionsSchema)
        return (group, dataset)
    }

    @Test func anActionInteractionsDatasetComesWithItsEventTracker() async throws {
        let (group, dataset) = try await actionInteractionsDataset()
        let described = try await engine.send(DescribeDatasetRequest(datasetArn: dataset)).dataset
        let trackingID = try #require(described?.trackingId)
        let trackers = try await engine.send(ListEventTrackersRequest(datasetGroupArn: group)).eventTrackers ?? []
        #expect(trackers.count == 1)
        let arn = try #require(trackers.first?.eventTrackerArn)
        #expect(arn == "arn:aws:personalize:local:000000000000:event-tracker/bank/ACTION_INTERACTIONS")
        let tracker = try await engine.send(DescribeEventTrackerRequest(eventTrackerArn: arn)).eventTracker
        #expect(tracker?.trackingId == trackingID)
        #expect(tracker?.name == "bank-action-interactions")
        #expect(tracker?.status == "ACTIVE")
        // It is not the group's item interaction event tracker: that one can still be created, once.
        _ = try await engine.send(CreateEventTrackerRequest(name: "clicks", datasetGroupArn: group))
        await #expect {
            try await engine.send(CreateEventTrackerRequest(name: "more", datasetGroupArn: group))
        } throws: { ($0 as? PersonalizeError)?.code == .resourceAlreadyExistsException }
        // It goes with its dataset, not on its own.
        await #expect {
            try await engine.send(DeleteEventTrackerRequest(eventTrackerArn: arn))
        } throws: { ($0 as? PersonalizeError)?.code == .resourceInUseException }
        _ = try await engine.send(DeleteDatasetRequest(datasetArn: dataset))
        await engine.waitForBackgroundJobs()  // the dataset's deletion finishes
        let left = try await engine.send(ListEventTrackersRequest(datasetGroupArn: group)).eventTrackers ?? []
        #expect(left.map(\.name) == ["clicks"])
        await #expect {
            try await engine.send(DescribeEventTrackerRequest(eventTrackerArn: arn))
        } throws: { ($0 as? PersonalizeError)?.code == .resourceNotFoundException }
    }

    @Test func bulkImportsCheckActionValuesRowByRow() async throws {
        let group = try await engine.send(CreateDatasetGroupRequest(name: "bank")).datasetGroupArn ?? ""
        let actions = try await harness.createDataset(
            group: group, name: "actions", type: "ACTIONS", schema: SyntheticActions.actionsSchema)
        let header = "ACTION_ID,VALUE,CATEGORY,REPEAT_FREQUENCY,ACTION_EXPIRATION_TIMESTAMP\n"
        let badValue = try await harness.importCSVJob(header + "a1,5,c1,,\na2,11,c2,,\n", into: actions, job: "value")
        #expect(badValue?.status == "CREATE FAILED")
        #expect(badValue?.failureReason == "value.csv row 3, column VALUE: '11' is not an action value from 1 to 10")
        let badRepeat = try await harness.importCSVJob(header + "a1,5,c1,45,\n", into: actions, job: "repeat")
        #expect(badRepeat?.failureReason?.contains("'45' is not a repeat frequency of 0 to 30 days") == true)
        let good = try await harness.importCSVJob(header + "a1,5,c1,7,\na2,,c2,,1900000000\n", into: actions, job: "ok")
        #expect(good?.status == "ACTIVE")

        let (_, interactions) = try await actionInteractionsDatasetIn(group)
        let events = "USER_ID,ACTION_ID,TIMESTAMP,EVENT_TYPE\nu1,a1,1700000000,Viewed\nu1,a1,1700000001,Clicked\n"
        let badType = try await harness.importCSVJob(events, into: interactions, job: "types")
        #expect(
            badType?.failureReason
                == "types.csv row 3, column EVENT_TYPE: 'Clicked' is not an action interaction event type "
                + "(Taken, Not Taken or Viewed)")
        // The guide's spellings all mean the same three types, stored in one spelling; there is no minimum.
        let spellings =
            "USER_ID,ACTION_ID,TIMESTAMP,EVENT_TYPE\nu1,a1,1,TAKEN\nu1,a2,2,Not taken\nu2,a1,3,not_taken\nu2,a2,4,viewed\n"
        #expect(try await harness.importCSV(spellings, into: interactions, job: "spellings") == "ACTIVE")
        let stored = try await engine.core.database.pool.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT EVENT_TYPE FROM \(try DatasetTable.find(db, datasetArn: interactions).name) "
                    + "ORDER BY TIMESTAMP")
        }
        #expect(stored == ["Taken", "Not Taken", "Not Taken", "Viewed"])
        // Adding to Action interactions with an import job needs 1,000 new records (100 in tests).
        let few = try await harness.importCSVJob(spellings, into: interactions, job: "more", mode: .incremental)
        #expect(few?.failureReason?.contains("needs at least 100 new records") == true)
    }

    private func actionInteractionsDatasetIn(_ group: String) async throws -> (String, String) {
        let dataset = try await harness.createDataset(
            group: group, name: "action-interactions", type: "ACTION_INTERACTIONS",
            schema: SyntheticActions.actionInteractionsSchema)
        return (group, dataset)
    }

    private func interaction(
        _ action: String, _ type: String, user: String? = "u1", session: String = "s1", at time: Double = 1_700_000_000
    ) -> ActionInteraction {
        ActionInteraction(
            actionId: action, userId: user, sessionId: session, timestamp: Date(timeIntervalSince1970: time),
            eventType: type)
    }

    private func storedRows(_ dataset: String) async throws -> [[String]] {
        let engine = self.engine
        return try await engine.core.database.pool.read { db in
            let table = try DatasetTable.find(db, datasetArn: dataset)
            return try Row.fetchAll(
                db,
                sql: "SELECT USER_ID, ACTION_ID, CAST(TIMESTAMP AS TEXT), EVENT_TYPE, coalesce(IMPRESSION, ''), "
                    + "coalesce(RECOMMENDATION_ID, '') FROM \(table.name) ORDER BY rowid"
            ).map { row in (0..<6).map { index -> String in row[index] } }
        }
    }

    @Test func putActionInteractionsStoresCheckedInteractionsAtOnce() async throws {
        let (_, dataset) = try await actionInteractionsDataset()
        let tracking = try await engine.send(DescribeDatasetRequest(datasetArn: dataset)).dataset?.trackingId ?? ""
        var first = interaction("a1", "Viewed")
        first.impression = ["a1", "a2"]
        first.recommendationId = "RID-1"
        first.eventId = "e1"
        _ = try await engine.send(
            PutActionInteractionsRequest(
                trackingId: tracking, actionInteractions: [first, interaction("a1", "NOT_TAKEN", at: 1_700_000_060)]))
        // The same eventId, or the same user, action, time and type, is kept once.
        var again = interaction("a2", "Taken", at: 1_700_000_100)
        again.eventId = "e1"
        _ = try await engine.send(
            PutActionInteractionsRequest(
                trackingId: tracking, actionInteractions: [again, interaction("a1", "Not Taken", at: 1_700_000_060)]))
        #expect(
            try await storedRows(dataset) == [
                ["u1", "a1", "1700000000", "Viewed", "a1|a2", "RID-1"],
                ["u1", "a1", "1700000060", "Not Taken", "", ""],
            ])
    }

    @Test func anonymousActionInteractionsJoinTheUserWhoSignsIn() async throws {
        let (_, dataset) = try await actionInteractionsDataset()
        let tracking = try await engine.send(DescribeDatasetRequest(datasetArn: dataset)).dataset?.trackingId ?? ""
        _ = try await engine.send(
            PutActionInteractionsRequest(
                trackingId: tracking, actionInteractions: [interaction("a1", "Viewed", user: nil, session: "anon")]))
        #expect(try await storedRows(dataset).map { $0[0] } == ["anon"])
        _ = try await engine.send(
            PutActionInteractionsRequest(
                trackingId: tracking,
                actionInteractions: [interaction("a1", "Taken", user: "alice", session: "anon", at: 1_700_000_300)]))
        #expect(try await storedRows(dataset).map { $0[0] } == ["alice", "alice"])
    }

    @Test func putActionInteractionsRefusesWhatTheGuideRefuses() async throws {
        let (group, dataset) = try await actionInteractionsDataset()
        let tracking = try await engine.send(DescribeDatasetRequest(datasetArn: dataset)).dataset?.trackingId ?? ""
        await #expect(throws: PersonalizeError.notFound("Could not find an event tracker with trackingId nope.")) {
            try await engine.send(
                PutActionInteractionsRequest(trackingId: "nope", actionInteractions: [interaction("a1", "Taken")]))
        }
        await #expect {
            try await engine.send(
                PutActionInteractionsRequest(
                    trackingId: tracking, actionInteractions: [interaction("a1", "Taken"), interaction("a1", "Liked")]))
        } throws: { error in
            (error as? PersonalizeError)?.message
                == "actionInteractions[1].eventType: 'Liked' is not an action interaction event type; use Taken, "
                + "Not Taken or Viewed."
        }
        await #expect {
            try await engine.send(
                PutActionInteractionsRequest(
                    trackingId: tracking, actionInteractions: Array(repeating: interaction("a1", "Taken"), count: 11)))
        } throws: { ($0 as? PersonalizeError)?.code == .invalidInputException }
        var reserved = interaction("a1", "Taken")
        reserved.properties = #"{"userId": "mallory"}"#
        await #expect {
            try await engine.send(PutActionInteractionsRequest(trackingId: tracking, actionInteractions: [reserved]))
        } throws: { ($0 as? PersonalizeError)?.message.contains("cannot contain 'userId'") == true }
        var unknown = interaction("a1", "Taken")
        unknown.properties = #"{"colour": "red"}"#
        await #expect {
            try await engine.send(PutActionInteractionsRequest(trackingId: tracking, actionInteractions: [unknown]))
        } throws: { ($0 as? PersonalizeError)?.message.contains("unknown property 'colour'") == true }
        // Each tracker records its own kind of interaction.
        let clicks = try await engine.send(CreateEventTrackerRequest(name: "clicks", datasetGroupArn: group)).trackingId
        await #expect {
            try await engine.send(
                PutActionInteractionsRequest(trackingId: clicks ?? "", actionInteractions: [interaction("a1", "Taken")])
            )
        } throws: { ($0 as? PersonalizeError)?.message.contains("item interaction event tracker") == true }
        await #expect {
            try await engine.send(
                PutEventsRequest(
                    trackingId: tracking, sessionId: "s",
                    eventList: [Event(eventType: "click", itemId: "i1", sentAt: Date())]))
        } throws: { ($0 as? PersonalizeError)?.message.contains("PutActionInteractions") == true }
        #expect(try await storedRows(dataset).isEmpty, "a refused request writes nothing")
    }

    @Test func actionDatasetsCannotBeExported() async throws {
        let (_, dataset) = try await actionInteractionsDataset()
        await #expect {
            try await engine.send(
                CreateDatasetExportJobRequest(
                    jobName: "out", datasetArn: dataset, roleArn: "r",
                    jobOutput: DatasetExportJobOutput(
                        s3DataDestination: S3DataConfig(path: harness.directory.url.appendingPathComponent("x").path))))
        } throws: { ($0 as? PersonalizeError)?.message.contains("cannot be exported") == true }
    }
}
