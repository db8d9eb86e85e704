import EngineAPI
import GRDB

/// TagResource, UntagResource and ListTagsForResource.
package struct TagControl: EnginePart {
    package let core: EngineCore

    package init(core: EngineCore) { self.core = core }
}

extension TagControl {
    static let maximumTagsPerResource = 50

    func tagResource(_ request: TagResourceRequest) async throws -> TagResourceResponse {
        let arn = request.resourceArn
        try await write { db in
            guard try ResourceStore.row(db, arn: arn) != nil else {
                throw PersonalizeError.notFound("Could not find resource with ARN \(arn).")
            }
            try TagControl.storeTags(db, arn: arn, request.tags)
        }
        return TagResourceResponse()
    }

    func untagResource(_ request: UntagResourceRequest) async throws -> UntagResourceResponse {
        let arn = request.resourceArn
        try await write { db in
            guard try ResourceStore.row(db, arn: arn) != nil else {
                throw PersonalizeError.notFound("Could not find resource with ARN \(arn).")
            }
            for key in request.tagKeys {
                try TagTable.remove(db, arn: arn, key: key)
            }
        }
        return UntagResourceResponse()
    }

    func listTagsForResource(_ request: ListTagsForResourceRequest) async throws -> ListTagsForResourceResponse {
        let arn = request.resourceArn
        let tags = try await read { db in
            guard try ResourceStore.row(db, arn: arn) != nil else {
                throw PersonalizeError.notFound("Could not find resource with ARN \(arn).")
            }
            return try TagTable.tags(db, arn: arn).map { Tag(tagKey: $0.key, tagValue: $0.value) }
        }
        return ListTagsForResourceResponse(tags: tags)
    }

    /// Adds (or overwrites) `tags` on `arn`, enforcing the guide's rules: at most 50 per resource, no
    /// `aws:` prefix.
    ///
    /// - Throws: `TooManyTagsException`, or `InvalidInputException` for a reserved prefix.
    static func storeTags(_ db: Database, arn: String, _ tags: [Tag]?) throws {
        guard let tags, !tags.isEmpty else { return }
        for tag in tags where tag.tagKey.lowercased().hasPrefix("aws:") || tag.tagValue.lowercased().hasPrefix("aws:") {
            throw PersonalizeError.invalidInput("Tag keys and values cannot start with 'aws:' (\(tag.tagKey)).")
        }
        let existing = try TagTable.keys(db, arn: arn)
        let total = existing.union(tags.map(\.tagKey)).count
        guard total <= maximumTagsPerResource else {
            throw PersonalizeError(
                .tooManyTagsException,
                "The resource \(arn) would have \(total) tags; at most \(maximumTagsPerResource) are allowed.")
        }
        for tag in tags {
            try TagTable.put(db, arn: arn, key: tag.tagKey, value: tag.tagValue)
        }
    }
}
