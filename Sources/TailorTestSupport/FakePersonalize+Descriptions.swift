import EngineAPI
import Foundation

/// What the fake's Describe operations report of each kind, and its List operations as the summaries of the same
/// descriptions (the generated `XSummary(x)`), so the two never disagree.
extension FakePersonalize {
    func datasetGroup(_ arn: String, _ g: Resource) -> DatasetGroup {
        DatasetGroup(name: g.name, datasetGroupArn: arn, status: g.status)
    }

    func schema(_ arn: String, _ s: Resource) -> DatasetSchema {
        DatasetSchema(name: s.name, schemaArn: arn, schema: s.fields["schema"])
    }

    func dataset(_ arn: String, _ d: Resource) -> Dataset {
        Dataset(name: d.name, datasetArn: arn, datasetType: d.fields["type"], status: d.status)
    }

    func importJob(_ arn: String, _ j: Resource) -> DatasetImportJob {
        DatasetImportJob(
            jobName: j.name, datasetImportJobArn: arn, dataSource: DataSource(dataLocation: j.fields["location"]),
            status: j.status)
    }

    func solution(_ arn: String, _ s: Resource) -> Solution {
        Solution(name: s.name, solutionArn: arn, performAutoTraining: s.fields["auto"] == "true", status: s.status)
    }

    func solutionVersion(_ arn: String, _ v: Resource) -> SolutionVersion {
        SolutionVersion(
            name: v.name, solutionVersionArn: arn, trainingMode: v.fields["mode"].flatMap(TrainingMode.init(rawValue:)),
            status: v.status, failureReason: v.fields["failureReason"])
    }

    func campaign(_ arn: String, _ c: Resource) -> Campaign {
        Campaign(
            name: c.name, campaignArn: arn, solutionVersionArn: c.fields["solutionVersionArn"],
            minProvisionedTPS: c.fields["minProvisionedTPS"].flatMap { Int($0) },
            campaignConfig: CampaignConfig(syncWithLatestSolutionVersion: c.fields["sync"] == "true"), status: c.status,
            latestCampaignUpdate: c.update.map { CampaignUpdateSummary(status: $0.status) })
    }

    func eventTracker(_ arn: String, _ t: Resource) -> EventTracker {
        EventTracker(
            name: t.name, eventTrackerArn: arn, trackingId: t.fields["trackingId"], datasetGroupArn: t.parents.first,
            status: t.status)
    }

    func filter(_ arn: String, _ f: Resource) -> Filter {
        Filter(
            name: f.name, filterArn: arn, datasetGroupArn: f.parents.first, filterExpression: f.fields["expression"],
            status: f.status)
    }

    func exportJob(_ arn: String, _ j: Resource) -> DatasetExportJob {
        DatasetExportJob(
            jobName: j.name, datasetExportJobArn: arn, status: j.status,
            jobOutput: DatasetExportJobOutput(s3DataDestination: S3DataConfig(path: j.fields["path"] ?? "")))
    }

    /// A deletion job reports COMPLETED (with two users' records deleted) where other jobs report ACTIVE.
    func deletionJob(_ arn: String, _ j: Resource) -> DataDeletionJob {
        let status = j.status == "ACTIVE" ? "COMPLETED" : j.status
        return DataDeletionJob(
            jobName: j.name, dataDeletionJobArn: arn, status: status, numDeleted: status == "COMPLETED" ? 2 : nil)
    }

    /// The description of `arn` after one step of its status (``advance(_:)``).
    func described<Description>(_ arn: String, _ describe: (String, Resource) -> Description) throws -> Description {
        describe(arn, try advance(arn))
    }

    /// The resources of `type` under `parent` (every one when nil), oldest first, each as `describe` reports it.
    func listed<Description>(_ parent: String?, _ type: String, _ describe: (String, Resource) -> Description)
        -> [Description]
    {
        children(of: parent, type: type).map { describe($0.arn, $0.resource) }
    }

    /// Deletes `arn` (``delete(_:)``); the response and call label of a Delete operation.
    func deleted(_ arn: String) throws -> (value: Any, label: String) {
        try delete(arn)
        return (EmptyResponse(), arn)
    }
}
