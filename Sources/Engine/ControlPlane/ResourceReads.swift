package import EngineAPI
package import PersonalizeRules

/// The Describe and List operations that answer with a stored resource as it is (`DescribeDataset`,
/// `ListDatasetImportJobs`, ...): `scripts/generate-engine-front` wires every such Describe to the parts' generic
/// `load` and every such List to ``list(_:_:under:_:as:)``. Those that compute part of their answer (`DescribeSolution`'s latest version, the recipes, the
/// metric attribution's metrics) stay with their resource's part.
package struct ResourceReads: EnginePart {
    package let core: EngineCore

    package init(core: EngineCore) { self.core = core }

    /// One page of the resources of `kind` under `parent` (all of them when nil), each as `summary` of it.
    package func list<Resource: Codable & Sendable, Summary: Sendable>(
        _ type: Resource.Type, _ kind: ResourceType, under parent: String?, _ request: some PagedRequest,
        as summary: @Sendable @escaping (Resource) -> Summary
    ) async throws -> (items: [Summary], nextToken: String?) {
        let rows = try await read { db in try ResourceStore.rows(db, kind: kind, parent: parent) }
        let page = try Pagination.page(
            rows, listing: "\(kind.rawValue)|\(parent ?? "")", nextToken: request.nextToken,
            maxResults: request.maxResults)
        return (try page.page.map { summary(try ResourceStore.decode(Resource.self, $0)) }, page.nextToken)
    }
}
