/// The validated resources of a folder of manifests, in dependency order.
package struct ManifestSet: Sendable, Hashable {
    /// The resources, sorted by ``ResourceAddress`` (dependency order).
    package var resources: [ManifestResource]
    /// The manifests' root folder, as an absolute path.
    package var directory: String
    /// Problems that do not stop validation.
    package var warnings: [Diagnostic]

    private var index: [ResourceAddress: Int]

    package init(resources: [ManifestResource], directory: String, warnings: [Diagnostic] = []) {
        self.resources = resources.sorted { $0.address < $1.address }
        self.directory = directory
        self.warnings = warnings
        self.index = Dictionary(self.resources.enumerated().map { ($1.address, $0) }) { first, _ in first }
    }

    /// The resource at `address`, if declared.
    package subscript(address: ResourceAddress) -> ManifestResource? {
        index[address].map { resources[$0] }
    }

    /// The declared addresses.
    package var addresses: [ResourceAddress] { resources.map(\.address) }

    /// The datasets of a dataset group.
    package func datasets(inGroup group: String) -> [(address: ResourceAddress, spec: DatasetSpec)] {
        resources.compactMap { resource in
            guard case .dataset(let spec) = resource.spec, spec.datasetGroup == group else { return nil }
            return (resource.address, spec)
        }
    }
}
