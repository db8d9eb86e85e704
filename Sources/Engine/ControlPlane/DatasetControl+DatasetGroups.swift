import EngineAPI
import Foundation
import PersonalizeRules

extension DatasetControl {
    func createDatasetGroup(_ request: CreateDatasetGroupRequest) async throws -> CreateDatasetGroupResponse {
        try validateName(request.name)
        if let domain = request.domain, !Domain.allKnown.contains(domain) {
            throw PersonalizeError.invalidInput(
                "Unknown domain \(domain); use \(Domain.allKnown.map(\.rawValue).joined(separator: " or ")).")
        }
        let arn = arn(.datasetGroup, request.name)
        let date = now
        let group = DatasetGroup(
            name: request.name, datasetGroupArn: arn, status: Status.active, roleArn: request.roleArn,
            kmsKeyArn: request.kmsKeyArn, creationDateTime: date, lastUpdatedDateTime: date, domain: request.domain)
        try await write { db in
            try self.checkQuota(.datasetGroups, db)
            try Self.insertResource(
                db, arn: arn, kind: .datasetGroup, name: request.name, parent: nil, status: Status.active,
                at: date, body: group, tags: request.tags)
        }
        return CreateDatasetGroupResponse(datasetGroupArn: arn, domain: request.domain)
    }

    func deleteDatasetGroup(_ request: DeleteDatasetGroupRequest) async throws -> EmptyResponse {
        let arn = request.datasetGroupArn
        return try await deleteResource(arn, kind: .datasetGroup) { db, row in
            let children =
                try ResourceStore.count(db, kind: .dataset, parent: arn)
                + ResourceStore.count(db, kind: .solution, parent: arn)
                + ResourceStore.count(db, kind: .recommender, parent: arn)
            guard children == 0 else {
                throw PersonalizeError.inUse(
                    "Cannot delete dataset group \(arn): it still has \(children) datasets, solutions or recommenders. "
                        + "Delete them first.")
            }
            let filters = try ResourceStore.count(db, kind: .filter, parent: arn)
            guard filters == 0 else {
                throw PersonalizeError.inUse(
                    "Cannot delete dataset group \(arn): it still has \(filters) filters. Delete them first.")
            }
            if let attribution = try ResourceStore.rows(db, kind: .metricAttribution, parent: arn).first {
                throw PersonalizeError.inUse(
                    "Cannot delete dataset group \(arn): it still has metric attribution \(attribution.arn). "
                        + "Delete it first.")
            }
        }
    }
}
