/// Batch jobs run on their solution's trained version: a new job runs when the version changes.
extension Differ {
    /// A batch job with its `solutionVersion` set to the version its solution has in state, when this plan
    /// neither creates, replaces nor retrains the solution.
    ///
    /// - Parameter resource: Any resource (others are returned unchanged).
    /// - Returns: The resource, and whether its solution's version is only known after apply.
    func pinningVersion(_ resource: ManifestResource) -> (resource: ManifestResource, versionUnknown: Bool) {
        guard var job = resource.spec.batchJob else { return (resource, false) }
        let reference = AttributeReference(
            target: ResourceAddress(.solution, job.solution), attribute: StateEntry.Key.solutionVersionArn,
            location: resource.location)
        guard let version = knownValue(reference)?.stringValue else { return (resource, true) }
        job.solutionVersion = version
        var pinned = resource
        pinned.spec.batchJob = job
        return (pinned, false)
    }

    /// The change of a batch job whose solution trains a new version in this plan: `solutionVersion` is known
    /// after apply, and (for a job that ran before) forces a new job.
    func withVersionKnownAfterApply(_ change: ResourceChange, prior: StateEntry?) -> ResourceChange {
        guard let job = change.desired?.spec.batchJob else { return change }
        var change = change
        let before = prior?.spec["solutionVersion"].map(PlanValue.known) ?? .absent
        change.fields.append(
            FieldChange(path: "solutionVersion", before: before, after: .unknown, forcesReplacement: prior != nil))
        change.fields.sort { $0.path < $1.path }
        change.notes.append("runs on the version \(ResourceAddress(.solution, job.solution)) trains in this apply")
        return change
    }
}
