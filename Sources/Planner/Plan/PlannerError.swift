/// Why planning or applying stopped. Every message names the resource or file and what to do.
package enum PlannerError: Error, Sendable, CustomStringConvertible {
    /// A dataset's import source does not exist and there is no fetch command.
    case missingImportSource(path: String, location: SourceLocation)
    /// A fetch command failed, or did not produce the source.
    case fetchFailed(command: [String], location: SourceLocation, reason: String)
    /// Apply would have to run manifests' fetch commands, and nothing allowed it (nothing ran).
    case fetchNotAllowed([PendingFetch])
    /// Once fetched, the data called for changes the approved plan did not show (nothing was changed).
    case fetchChangedPlan([String])
    /// A file cannot be read for hashing.
    case unreadableImportSource(path: String, location: SourceLocation, reason: String)
    /// The state changed after the plan was made.
    case stalePlan(reason: String)
    /// The engine failed a request or a resource.
    case engine(address: ResourceAddress, operation: String, reason: String)
    /// A resource did not reach the awaited status in time.
    case timedOut(address: ResourceAddress, waitingFor: String, after: Duration, lastStatus: String)
    /// Something apply needs is not in state (a dependency failed or was skipped).
    case missingDependency(address: ResourceAddress, dependency: ResourceAddress, what: String)
    /// The import file changed between plan and apply.
    case importChangedSincePlan(address: ResourceAddress, path: String)
    /// A `--target`, `--exclude` or `--allow-destroy` pattern matches no address.
    case unknownTarget(String, known: [String])
    /// `--refresh-only` with `--refresh=false`.
    case refreshOnlyNeedsRefresh
    /// The plan would destroy resources whose lifecycle protects them.
    case preventDestroy([ProtectedDestroy])
    /// `tailor import` refused to adopt an engine object.
    case importRefused(address: ResourceAddress, arn: String, reason: String)
    /// Resources whose jobs would reach Amazon Personalize without an IAM role.
    case missingRoles([(address: ResourceAddress, location: SourceLocation)])
    /// Resources naming local files or folders for Amazon Personalize, with no storage bucket to exchange them
    /// through.
    case missingStorage([(address: ResourceAddress, location: SourceLocation)])
    /// Jobs whose outputs would be downloaded outside the manifests' folder.
    case downloadOutside([(address: ResourceAddress, location: SourceLocation)])
    /// Metric attributions for Amazon Personalize whose reports go to a local folder.
    case localLocations([(address: ResourceAddress, location: SourceLocation)])

    package var description: String {
        switch self {
        case .importRefused(let address, let arn, let reason):
            "error: cannot import \(arn) as \(address): \(reason)"
        case .missingRoles(let resources):
            Self.lines(resources) {
                "\($0) runs a job on Amazon Personalize, which assumes an IAM role to read and write S3: set "
                    + "'spec.roleArn' in the project's tailor.yaml, or the resource's own roleArn"
            }
        case .downloadOutside(let resources):
            Self.lines(resources) {
                "\($0) would download its output outside the manifests' folder; apply writes downloads only inside it "
                    + "(links resolved): give a folder within it"
            }
        case .localLocations(let resources):
            Self.lines(resources) {
                "\($0) names a local folder for the reports Amazon Personalize writes on its own schedule: give an "
                    + "s3:// location"
            }
        case .missingStorage(let resources):
            Self.lines(resources) {
                "\($0) names a local file or folder, which Amazon Personalize cannot read or write: set "
                    + "'spec.storage.bucket: s3://BUCKET/PREFIX' in the project's tailor.yaml (apply uploads inputs "
                    + "there and downloads outputs from there), or give s3:// locations"
            }
        case .missingImportSource(let path, let location):
            "\(location): error: import source \(path) does not exist; create it or add 'fetch: {command: [...]}'"
        case .fetchFailed(let command, let location, let reason):
            "\(location): error: fetch command '\(command.joined(separator: " "))' failed: \(reason)"
        case .fetchNotAllowed(let fetches):
            fetches.map { fetch in
                "\(fetch.location): error: \(fetch.address): its import source \(fetch.dataImport.source) is missing, "
                    + "and apply would run the manifest's fetch command to obtain it: "
                    + PendingFetch.display(fetch.command)
            }.joined(separator: "\n")
                + "\nNothing was run or changed. Commands in manifests run only with consent: review "
                + (fetches.count == 1 ? "it" : "them")
                + ", then pass --allow-fetch to apply, or set 'spec.allowFetch: true' in the project's tailor.yaml "
                + "(kind: Project) to allow them on every apply; or create the missing "
                + (fetches.count == 1 ? "file" : "files") + " yourself"
        case .fetchChangedPlan(let lines):
            "the fetched data calls for changes the approved plan did not show; nothing was changed; "
                + "run plan (or apply) again to review them:\n" + lines.map { "  \($0)" }.joined(separator: "\n")
        case .unreadableImportSource(let path, let location, let reason):
            "\(location): error: cannot read import source \(path): \(reason)"
        case .stalePlan(let reason):
            "the plan is stale: \(reason); run plan again"
        case .engine(let address, let operation, let reason):
            "\(address): \(operation) failed: \(reason)"
        case .timedOut(let address, let waitingFor, let after, let lastStatus):
            "\(address): timed out after \(after) waiting for \(waitingFor) (last status: \(lastStatus)); "
                + "the engine keeps working: run apply again to resume waiting"
        case .missingDependency(let address, let dependency, let what):
            "\(address): \(dependency) has no \(what) in state; apply it first"
        case .importChangedSincePlan(let address, let path):
            "\(address): \(path) changed after the plan was made; run plan again"
        case .unknownTarget(let pattern, let known):
            "'\(pattern)' matches no address in the manifests or the state"
                + Suggestion.didYouMean(pattern, in: known)
        case .refreshOnlyNeedsRefresh:
            "--refresh-only needs a refresh; drop --refresh=false"
        case .preventDestroy(let protected):
            "the plan would destroy protected resources:\n"
                + protected.map { "  \($0)" }.joined(separator: "\n")
                + "\nKeep them, set lifecycle.preventDestroy: false in their manifests, or pass "
                + "--allow-destroy ADDRESS for each"
        }
    }
}

extension PlannerError {
    /// One `LOCATION: error: MESSAGE` line per resource, the message saying what is wrong with its address.
    private static func lines(
        _ resources: [(address: ResourceAddress, location: SourceLocation)], _ message: (ResourceAddress) -> String
    ) -> String {
        resources.map { "\($0.location): error: \(message($0.address))" }.joined(separator: "\n")
    }
}

/// A resource the plan would destroy although its lifecycle protects it.
package struct ProtectedDestroy: Sendable, Hashable, CustomStringConvertible {
    /// The resource.
    package var address: ResourceAddress
    /// Why the plan destroys it ("it is replaced: recipe changed", "it is no longer in the manifests").
    package var why: String
    /// Whether the protection is the kind's default (dataset groups) rather than the manifest's.
    package var byDefault: Bool

    package var description: String {
        "\(address): \(why) (\(byDefault ? "dataset groups are protected by default" : "lifecycle.preventDestroy"))"
    }
}
