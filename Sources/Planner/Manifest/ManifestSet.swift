/// The validated resources of a folder of manifests, in dependency order.
package struct ManifestSet: Sendable, Hashable {
    /// The resources, sorted by ``ResourceAddress`` (dependency order).
    package var resources: [ManifestResource]
    /// The manifests' root folder, as an absolute path.
    package var directory: String
    /// Problems that do not stop validation.
    package var warnings: [Diagnostic]
    /// `sha256:` of every file read (manifests, project and values files), keyed by path relative to
    /// ``directory``.
    package var sourceDigests: [String: String]
    /// The environment selected with `--env`.
    package var environment: String?
    /// The project's variables with their values.
    package var variables: [String: ResolvedVariable] = [:]
    /// The project's outputs.
    package var outputs: [String: OutputTemplate] = [:]
    /// Whether the project lets apply run the datasets' fetch commands (`spec.allowFetch: true`).
    package var allowFetch = false
    /// The project's `spec.roleArn`: the role of the jobs that name none.
    package var roleArn: String?
    /// The project's `spec.storage.bucket`: where local import files go for a remote engine.
    package var storage: String?

    private var index: [ResourceAddress: Int]

    package init(
        resources: [ManifestResource], directory: String, warnings: [Diagnostic] = [],
        sourceDigests: [String: String] = [:]
    ) {
        // Sorting the indices moves each (large) resource once instead of at every step of the sort.
        let order = resources.indices.sorted { resources[$0].address < resources[$1].address }
        self.resources = order.map { resources[$0] }
        self.directory = directory
        self.warnings = warnings
        self.sourceDigests = sourceDigests
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

    /// The data deletions of a dataset group.
    package func dataDeletions(inGroup group: String) -> [ResourceAddress] {
        resources.compactMap { resource in
            guard case .dataDeletion(let spec) = resource.spec, spec.datasetGroup == group else { return nil }
            return resource.address
        }
    }

    /// `path` relative to `directory` when it is inside it, else `path` unchanged.
    package static func relativePath(_ path: String, to directory: String) -> String {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// The set with each data deletion's and batch job's `contentHash` taken from `hashes` (the planner hashes
    /// the files).
    func withContentHashes(_ hashes: [ResourceAddress: String]) -> ManifestSet {
        var copy = self
        for index in copy.resources.indices {
            let hash = hashes[copy.resources[index].address]
            if case .dataDeletion(var spec) = copy.resources[index].spec {
                spec.contentHash = hash
                copy.resources[index].spec = .dataDeletion(spec)
            } else if var job = copy.resources[index].spec.batchJob {
                job.contentHash = hash
                copy.resources[index].spec.batchJob = job
            }
        }
        return copy
    }
}
