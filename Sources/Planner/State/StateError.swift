/// Why the state cannot be read, written, locked or edited. Every message names the state (a file's path, or
/// for the PostgreSQL backend its key and URL with the password masked) or the address.
package enum StateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file is not a state file this version can read (bad JSON, missing fields).
    case corrupt(file: String, reason: String)
    /// The file was written by a newer Tailor.
    case unsupportedVersion(file: String, version: Int, highestSupported: Int)
    /// Reading or writing failed.
    case io(file: String, reason: String)
    /// Another process holds the lock (its details, when the lock file is readable).
    case locked(file: String, holder: LockInfo?)
    /// `force-unlock` found no lock (no lock file; for a database, no lock record and no holder).
    case notLocked(file: String)
    /// `force-unlock` was given an ID that is not the current lock's.
    case lockIDMismatch(file: String, given: String, holder: LockInfo?)
    /// `state show/mv/rm` named an address the state does not have.
    case noSuchAddress(ResourceAddress, known: [ResourceAddress])
    /// `state mv` to an address the state already has.
    case addressInUse(ResourceAddress)
    /// `state mv` between kinds.
    case kindMismatch(from: ResourceAddress, to: ResourceAddress)
    /// `output NAME` for an output the state does not have.
    case noSuchOutput(String, known: [String])
    /// `output ADDRESS.ATTRIBUTE` for an attribute the entry does not have.
    case noSuchAttribute(ResourceAddress, String, known: [String])
    /// `output NAME` for a sensitive output, which is never stored in clear.
    case sensitiveOutput(String)
    /// The database that keeps the state cannot be reached, refused a query, or holds a state this version
    /// cannot read.
    case database(location: String, reason: String)
    /// A compare-and-swap write found that someone else wrote the state since it was read at serial `expected`
    /// (`found` is the serial stored now, nil when the state has gone).
    case conflict(location: String, expected: Int, found: Int?)
    /// `state push` would replace a different state (another lineage) or a newer serial of the same one.
    case pushRefused(location: String, reason: String)

    package var description: String {
        switch self {
        case .corrupt(let file, let reason):
            "state file \(file) is corrupt: \(reason); restore it from \(file).backup or version control "
                + "(it is never replaced automatically)"
        case .unsupportedVersion(let file, let version, let highest):
            "state file \(file) has version \(version), but this Tailor reads versions up to \(highest); "
                + "upgrade Tailor"
        case .io(let file, let reason):
            "cannot access state file \(file): \(reason)"
        case .locked(let file, let holder?):
            "the state is locked by another operation; wait for it to finish, or if it died without releasing "
                + "the lock, run `tailor force-unlock \(holder.id)`\nLock Info (\(file)):\n\(holder.description)"
        case .locked(let file, nil):
            "the state is locked by another operation, whose details (and the lock's ID) are not readable yet; "
                + "wait for it to finish, or run the command again to see who holds the lock and its ID (it is "
                + "recorded in \(file)); if the holder died without releasing it, run `tailor force-unlock` with that ID"
        case .notLocked(let file):
            "the state is not locked (no \(file))"
        case .lockIDMismatch(let file, let given, let holder):
            "the lock on \(file) has ID \(holder?.id ?? "(unreadable)"), not \(given); "
                + "check the ID and try again\nLock Info:\n" + (holder?.description ?? "  (unreadable)")
        case .noSuchAddress(let address, let known):
            "\(address) is not in the state"
                + (Suggestion.closest(to: address.description, in: known.map(\.description)).map {
                    "; did you mean '\($0)'?"
                } ?? "")
        case .addressInUse(let address):
            "\(address) is already in the state; remove or move it first"
        case .kindMismatch(let from, let to):
            "cannot move \(from) to \(to): an object keeps its kind (\(from.kind.rawValue))"
        case .noSuchOutput(let name, let known):
            "no output named '\(name)'" + Suggestion.didYouMean(name, in: known)
                + (known.isEmpty
                    ? "; the state records no outputs (declare them in tailor.yaml and apply)"
                    : " (outputs: \(known.joined(separator: ", ")))")
        case .noSuchAttribute(let address, let attribute, let known):
            "\(address) has no attribute '\(attribute)'" + Suggestion.didYouMean(attribute, in: known)
                + " (attributes: \(known.joined(separator: ", ")))"
        case .sensitiveOutput(let name):
            "output '\(name)' is sensitive: its value comes from a secret and is never stored in clear"
        case .database(let location, let reason):
            "state \(location): \(reason)"
        case .conflict(let location, let expected, let found?):
            "state \(location): someone else wrote serial \(found) since this operation read serial \(expected); "
                + "nothing was written; run plan again (and check who else applies: each apply should hold the lock)"
        case .pushRefused(let location, let reason):
            "state \(location) was not replaced: \(reason)"
        case .conflict(let location, let expected, nil):
            "state \(location): it was removed since this operation read serial \(expected); nothing was written"
        }
    }
}
