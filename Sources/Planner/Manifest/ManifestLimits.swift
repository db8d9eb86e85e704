/// The limits every manifest, project and values file must keep. Manifests come from pull requests and CI
/// plans every pull request, so a hostile file must not be able to exhaust the runner: each limit is refused
/// with a diagnostic at the place that exceeds it.
package enum ManifestLimits {
    /// The largest file read: 4 MiB.
    package static let fileBytes = 4 << 20
    /// The most bytes read from all the files of one load: 64 MiB.
    package static let totalBytes = 64 << 20
    /// The deepest nesting of mappings and sequences in a document.
    package static let depth = 64
    /// The most nodes YAML aliases (`*name`) may add to a file, counting every node of each aliased value
    /// (a "billion laughs" file of a few hundred bytes would otherwise expand to gigabytes).
    package static let aliasNodes = 100_000
    /// The deepest nesting of `${...}` inside `${...}`.
    package static let templateDepth = 4
    /// The longest string `${...}` interpolation may produce.
    package static let interpolatedStringBytes = 1 << 20
    /// The most nodes `${var.X}` values (lists and mappings) may add to one load.
    package static let interpolatedNodes = 1_000_000

    /// `4 MiB`, `64 MiB`, ... for messages.
    static func describe(bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }
}
