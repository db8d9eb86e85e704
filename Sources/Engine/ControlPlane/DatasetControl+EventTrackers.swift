import EngineAPI
import Foundation
import GRDB
import PersonalizeRules

extension DatasetControl {
    func createEventTracker(_ request: CreateEventTrackerRequest) async throws -> CreateEventTrackerResponse {
        try validateName(request.name)
        let arn = arn(.eventTracker, request.name)
        let trackingID = UUID().uuidString.lowercased()
        let date = now
        let account = configuration.account
        try await write { db in
            _ = try self.requireExists(db, request.datasetGroupArn, .datasetGroup)
            let trackers = try ResourceStore.rows(db, kind: .eventTracker, parent: request.datasetGroupArn)
            if let existing = trackers.first(where: { !Self.isActionInteractionsTracker($0.arn) }) {
                throw PersonalizeError.alreadyExists(
                    "Dataset group \(request.datasetGroupArn) already has an event tracker (\(existing.arn)); "
                        + "you can create only one item interaction event tracker per dataset group.")
            }
            let tracker = EventTracker(
                name: request.name, eventTrackerArn: arn, accountId: account, trackingId: trackingID,
                datasetGroupArn: request.datasetGroupArn, status: Status.active, creationDateTime: date,
                lastUpdatedDateTime: date)
            try Self.insertResource(
                db, arn: arn, kind: .eventTracker, name: request.name, parent: request.datasetGroupArn,
                status: Status.active, at: date, body: tracker, tags: request.tags)
        }
        return CreateEventTrackerResponse(eventTrackerArn: arn, trackingId: trackingID)
    }

    func deleteEventTracker(_ request: DeleteEventTrackerRequest) async throws -> EmptyResponse {
        let arn = request.eventTrackerArn
        return try await deleteResource(arn, kind: .eventTracker) { db, row in
            guard !Self.isActionInteractionsTracker(arn) else {
                throw PersonalizeError.inUse(
                    "Event tracker \(arn) is the action interaction event tracker of the dataset group's Action "
                        + "interactions dataset; it is deleted with that dataset.")
            }
        }
    }

    /// Creates the event tracker that comes with an Action interactions dataset (the guide: Personalize creates
    /// it automatically; `DescribeDataset` shows its `trackingId`, which `PutActionInteractions` takes).
    func createActionInteractionsTracker(
        _ db: Database, group: DatasetGroup, trackingID: String, at date: Date
    ) throws {
        let groupArn = group.datasetGroupArn ?? ""
        let arn = try Self.actionInteractionsTrackerArn(group: groupArn)
        let name = "\(group.name ?? "")-action-interactions"
        let tracker = EventTracker(
            name: name, eventTrackerArn: arn, accountId: configuration.account, trackingId: trackingID,
            datasetGroupArn: groupArn, status: Status.active, creationDateTime: date, lastUpdatedDateTime: date)
        try ResourceStore.insert(
            db, arn: arn, kind: .eventTracker, name: name, parent: groupArn, status: Status.active, at: date,
            body: tracker)
    }

    /// The ARN of the action interaction event tracker of dataset group `group`: `event-tracker/GROUP/ACTION_INTERACTIONS`
    /// (no tracker a user creates can have it: names have no `/`).
    static func actionInteractionsTrackerArn(group: String) throws -> String {
        guard let parsed = ARN(group), parsed.resourceType == ResourceType.datasetGroup.rawValue else {
            throw PersonalizeError.invalidInput("\(group) is not a dataset group ARN.")
        }
        return ARN(
            region: parsed.region, account: parsed.account, resourceType: ResourceType.eventTracker.rawValue,
            resource: "\(parsed.resource)/\(DatasetType.actionInteractions.rawValue)"
        ).description
    }

    /// Whether `arn` names an action interaction event tracker.
    static func isActionInteractionsTracker(_ arn: String) -> Bool {
        ARN(arn)?.resource.hasSuffix("/\(DatasetType.actionInteractions.rawValue)") == true
    }

    /// The dataset group of the event tracker with `trackingID`, and its dataset of `type`.
    func trackedDataset(_ db: Database, trackingID: String, type: DatasetType) throws -> (
        group: String, table: DatasetTable
    ) {
        let trackers = try ResourceStore.rows(db, kind: .eventTracker).map {
            try ResourceStore.decode(EventTracker.self, $0)
        }
        guard let tracker = trackers.first(where: { $0.trackingId == trackingID }), let group = tracker.datasetGroupArn
        else {
            throw PersonalizeError.notFound("Could not find an event tracker with trackingId \(trackingID).")
        }
        let isActionTracker = Self.isActionInteractionsTracker(tracker.eventTrackerArn ?? "")
        switch (type, isActionTracker) {
        case (.actionInteractions, false):
            throw PersonalizeError.invalidInput(
                "trackingId \(trackingID) belongs to an item interaction event tracker; PutActionInteractions takes "
                    + "the trackingId of the Action interactions dataset (DescribeDataset shows it).")
        case (.interactions, true):
            throw PersonalizeError.invalidInput(
                "trackingId \(trackingID) belongs to the action interaction event tracker; record action "
                    + "interactions with PutActionInteractions, and item interactions with an event tracker of "
                    + "your own (CreateEventTracker).")
        default:
            return (group, try DatasetTable.find(db, group: group, type: type))
        }
    }
}
