import EngineAPI
import Foundation

/// What the fake's Describe operations report of each kind, and its List operations as the summaries of the same
/// descriptions, so the two never disagree.
extension FakePersonalize {
    /// One kind of resource the fake keeps, and how its Describe, List and Delete operations (`Describe<name>`,
    /// `List<plural>`, `Delete<name>`) read and answer.
    struct Kind: Sendable {
        /// The kind in operation names (`DatasetGroup`).
        let name: String
        /// The List response's member holding the summaries (`datasetGroups`); capitalised, the kind in the List
        /// operation's name (`ListDatasetGroups`).
        let listMember: String
        /// ``Resource/type`` of the kind's resources.
        let type: String
        /// The List request's member naming the parent the listed resources belong to; nil lists every one.
        let parent: String?
        /// Whether List answers newest first.
        let newestFirst: Bool
        /// The kind's description of a resource, as Describe reports it.
        let describe: @Sendable (String, Resource) -> any Encodable & Sendable

        init(
            _ name: String, list listMember: String, type: String, parent: String?, newestFirst: Bool = false,
            describe: @escaping @Sendable (String, Resource) -> any Encodable & Sendable
        ) {
            self.name = name
            self.listMember = listMember
            self.type = type
            self.parent = parent
            self.newestFirst = newestFirst
            self.describe = describe
        }

        /// The kind's member in Describe responses (`datasetGroup`); `<member>Arn` names a resource in requests.
        var member: String { name.prefix(1).lowercased() + name.dropFirst() }

        /// The kind in the List operation's name (`DatasetGroups`).
        var plural: String { listMember.prefix(1).uppercased() + listMember.dropFirst() }
    }

    static let kinds: [Kind] = [
        Kind("DatasetGroup", list: "datasetGroups", type: "dataset-group", parent: nil) { arn, g in
            DatasetGroup(name: g.name, datasetGroupArn: arn, status: g.status)
        },
        Kind("Schema", list: "schemas", type: "schema", parent: nil) { arn, s in
            DatasetSchema(name: s.name, schemaArn: arn, schema: s.fields["schema"])
        },
        Kind("Dataset", list: "datasets", type: "dataset", parent: "datasetGroupArn") { arn, d in
            Dataset(name: d.name, datasetArn: arn, datasetType: d.fields["type"], status: d.status)
        },
        Kind("DatasetImportJob", list: "datasetImportJobs", type: "import", parent: "datasetArn") { arn, j in
            DatasetImportJob(
                jobName: j.name, datasetImportJobArn: arn, dataSource: DataSource(dataLocation: j.fields["location"]),
                status: j.status)
        },
        Kind("Solution", list: "solutions", type: "solution", parent: "datasetGroupArn") { arn, s in
            Solution(name: s.name, solutionArn: arn, performAutoTraining: s.fields["auto"] == "true", status: s.status)
        },
        Kind(
            "SolutionVersion", list: "solutionVersions", type: "solution-version", parent: "solutionArn",
            newestFirst: true
        ) { arn, v in
            SolutionVersion(
                name: v.name, solutionVersionArn: arn,
                trainingMode: v.fields["mode"].flatMap(TrainingMode.init(rawValue:)), status: v.status,
                failureReason: v.fields["failureReason"])
        },
        Kind("Campaign", list: "campaigns", type: "campaign", parent: "solutionArn") { arn, c in
            Campaign(
                name: c.name, campaignArn: arn, solutionVersionArn: c.fields["solutionVersionArn"],
                minProvisionedTPS: c.fields["minProvisionedTPS"].flatMap { Int($0) },
                campaignConfig: CampaignConfig(syncWithLatestSolutionVersion: c.fields["sync"] == "true"),
                status: c.status, latestCampaignUpdate: c.update.map { CampaignUpdateSummary(status: $0.status) })
        },
        Kind("EventTracker", list: "eventTrackers", type: "event-tracker", parent: "datasetGroupArn") { arn, t in
            EventTracker(
                name: t.name, eventTrackerArn: arn, trackingId: t.fields["trackingId"],
                datasetGroupArn: t.parents.first, status: t.status)
        },
        Kind("Filter", list: "Filters", type: "filter", parent: "datasetGroupArn") { arn, f in
            Filter(
                name: f.name, filterArn: arn, datasetGroupArn: f.parents.first,
                filterExpression: f.fields["expression"], status: f.status)
        },
        Kind("DatasetExportJob", list: "datasetExportJobs", type: "export", parent: "datasetArn") { arn, j in
            DatasetExportJob(
                jobName: j.name, datasetExportJobArn: arn, status: j.status,
                jobOutput: DatasetExportJobOutput(s3DataDestination: S3DataConfig(path: j.fields["path"] ?? "")))
        },
        // A deletion job reports COMPLETED (with two users' records deleted) where other jobs report ACTIVE.
        Kind("DataDeletionJob", list: "dataDeletionJobs", type: "deletion", parent: "datasetGroupArn") { arn, j in
            let status = j.status == "ACTIVE" ? "COMPLETED" : j.status
            return DataDeletionJob(
                jobName: j.name, dataDeletionJobArn: arn, status: status, numDeleted: status == "COMPLETED" ? 2 : nil)
        },
    ]

    /// Answers `request` when it is the Describe, List or Delete operation of one of ``kinds``: Describe moves the
    /// resource one status on (``advance(_:)``) and reports it; List reports the summaries of the descriptions;
    /// Delete deletes (``delete(_:)``). Nil for any other operation.
    func handleKinds<Operation: PersonalizeOperation>(_ request: Operation) throws -> (value: Any, label: String)? {
        let name = Operation.operation.name
        guard let verb = ["Describe", "List", "Delete"].first(where: name.hasPrefix) else { return nil }
        let noun = name.dropFirst(verb.count)
        guard let kind = Self.kinds.first(where: { (verb == "List" ? $0.plural : $0.name) == noun }) else {
            return nil
        }
        let members = try Self.json(request) as? [String: Any] ?? [:]
        let arn = members["\(kind.member)Arn"] as? String ?? ""
        switch verb {
        case "Describe":
            let description = try Self.json(kind.describe(arn, try advance(arn)))
            return (try Self.response(to: request, [kind.member: description]), "")
        case "List":
            let parent = kind.parent.map { members[$0] as? String ?? "" }
            let listed = try children(of: parent, type: kind.type).map {
                try Self.json(kind.describe($0.arn, $0.resource))
            }
            return (
                try Self.response(to: request, [kind.listMember: kind.newestFirst ? listed.reversed() : listed]), ""
            )
        default:
            try delete(arn)
            return (EmptyResponse(), arn)
        }
    }

    /// `value` as a JSON object, encoded as on the wire.
    static func json(_ value: some Encodable) throws -> Any {
        try JSONSerialization.jsonObject(with: PersonalizeJSON.encoder().encode(value))
    }

    /// The response to `request` whose members are `members` (JSON objects), decoded as from the wire.
    static func response<Operation: PersonalizeOperation>(to request: Operation, _ members: [String: Any]) throws
        -> Operation.Response
    {
        try PersonalizeJSON.decoder().decode(
            Operation.Response.self, from: JSONSerialization.data(withJSONObject: members))
    }
}
