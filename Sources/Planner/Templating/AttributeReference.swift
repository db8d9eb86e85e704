import Foundation

/// `${KIND.NAME.ATTRIBUTE}`: a value of another resource, known once it exists (`${campaign.top-picks.arn}`,
/// `${solution.top-picks.solutionVersionArn}`). The referring resource depends on it.
package struct AttributeReference: Hashable, Sendable, Codable {
    /// The resource referred to.
    package var target: ResourceAddress
    /// The attribute: `arn`, `name`, or one apply records (``attributes(of:)``).
    package var attribute: String
    /// Where it is written.
    package var location: SourceLocation

    /// A reference to `attribute` of `target`, written at `location`.
    init(target: ResourceAddress, attribute: String, location: SourceLocation) {
        self.target = target
        self.attribute = attribute
        self.location = location
    }

    /// Parses `campaign.top-picks.arn`; nil when the first part is not a kind's address prefix.
    init?(expression: String, location: SourceLocation) {
        let parts = expression.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let kind = ResourceKind(referencePrefix: parts[0]), !parts[1].isEmpty, !parts[2].isEmpty
        else { return nil }
        target = ResourceAddress(kind, parts[1])
        attribute = parts[2]
        self.location = location
    }

    /// The text standing for the value until it is known.
    package var placeholder: String { "${\(target.kind.addressPrefix).\(target.name).\(attribute)}" }

    /// The attributes a reference may read from a resource of `kind`.
    static func attributes(of kind: ResourceKind) -> [String] {
        switch kind {
        case .datasetGroup, .schema: ["arn", "name"]
        case .dataset: ["arn", "name", StateEntry.Key.importJobArn]
        case .solution, .campaign: ["arn", "name", StateEntry.Key.solutionVersionArn]
        case .eventTracker: ["arn", "name", StateEntry.Key.trackingId]
        case .filter, .metricAttribution: ["arn", "name"]
        case .datasetExport: ["arn", "name", StateEntry.Key.exportPath]
        case .dataDeletion: ["arn", "name", StateEntry.Key.numDeleted]
        case .recommender: ["arn", "name", StateEntry.Key.recommenderArn]
        case .batchInferenceJob, .batchSegmentJob:
            ["arn", "name", StateEntry.Key.outputPath, StateEntry.Key.solutionVersionArn]
        }
    }
}

extension ManifestResource {
    /// The resource with every ``AttributeReference`` replaced by its value, parsed again; nil when a value is
    /// not known yet (its resource is still to be created or changed).
    ///
    /// - Parameter value: The value of a reference, or nil when unknown.
    func resolving(_ value: (AttributeReference) -> SpecValue?) -> ManifestResource? {
        guard !attributeReferences.isEmpty, let template else { return self }
        var values: [String: SpecValue] = [:]
        for reference in attributeReferences {
            guard let known = value(reference) else { return nil }
            values[reference.placeholder] = known
        }
        let node = Self.substitute(template, values)
        let directory = folders[location.file] ?? ""
        guard var resolved = ManifestDocument.parse(node, directory: directory, folders: folders).resource else {
            return nil
        }
        resolved.references = references
        resolved.sensitivePaths = sensitivePaths
        resolved.attributeReferences = attributeReferences
        resolved.template = template
        resolved.folders = folders
        return resolved
    }

    /// Whether `path`'s desired value still holds a reference placeholder.
    func holdsReference(at path: String) -> Bool {
        guard !attributeReferences.isEmpty else { return false }
        let steps = path.split(separator: ".").map(String.init)
        var value: SpecValue? = .map(fields)
        for step in steps { value = value?.mapValue?[step] }
        return value.map { Template.mayContainExpression($0.canonicalJSON) } ?? false
    }

    private static func substitute(_ node: YAMLNode, _ values: [String: SpecValue]) -> YAMLNode {
        switch node.content {
        case .mapping(let entries):
            return YAMLNode(
                content: .mapping(
                    entries.map { .init(key: $0.key, keyLocation: $0.keyLocation, value: substitute($0.value, values)) }
                ),
                location: node.location)
        case .sequence(let items):
            return YAMLNode(content: .sequence(items.map { substitute($0, values) }), location: node.location)
        case .scalar(.string, let text) where Template.mayContainExpression(text):
            if let whole = values[text] { return YAMLNode(whole, at: node.location) }
            var result = text
            for (placeholder, value) in values {
                result = result.replacingOccurrences(
                    of: placeholder, with: Interpolator.text(of: value) ?? value.canonicalJSON)
            }
            return YAMLNode(.string(result), at: node.location)
        case .scalar:
            return node
        }
    }
}
