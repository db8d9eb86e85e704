/// Moves a state from one backend to another: `tailor state pull` prints the configured backend's state, and
/// `tailor state push FILE` writes a state file into it. Together they migrate a project from the state file to
/// PostgreSQL (set `spec.state` in `tailor.yaml`, then push `.tailor/state.json`) or back.
package enum StateTransfer {
    /// Writes `source` into `destination` as its next serial, keeping `source`'s lineage.
    ///
    /// Refused when the destination holds a different state (another lineage) or a newer serial of the same
    /// one, unless `force`: then `source`'s content replaces the destination's, which keeps its own lineage (and,
    /// in PostgreSQL, its history).
    ///
    /// - Parameters:
    ///   - source: The state to push, as read from its file.
    ///   - destination: The backend to write it into; the caller holds its lock.
    ///   - force: Replace a different or newer state.
    /// - Returns: The state as written.
    /// - Throws: ``StateError/pushRefused(location:reason:)``, or what the backend throws.
    @discardableResult
    package static func push(_ source: State, into destination: any StateBackend, force: Bool)
        async throws(StateError) -> State
    {
        let current = try await destination.load()
        var pushed = source
        pushed.serial = current.serial
        guard current.serial > 0 else { return try await destination.write(pushed) }
        if let lineage = current.lineage, lineage != source.lineage {
            guard force else {
                throw .pushRefused(
                    location: destination.location,
                    reason: "it holds another state (lineage \(lineage), the pushed one \(source.lineage ?? "none")); "
                        + "push --force replaces it")
            }
            pushed.lineage = lineage
        } else if current.serial > source.serial, !force {
            throw .pushRefused(
                location: destination.location,
                reason: "it is at serial \(current.serial), newer than the pushed serial \(source.serial); pull it "
                    + "instead, or push --force to replace it")
        }
        return try await destination.write(pushed)
    }
}
