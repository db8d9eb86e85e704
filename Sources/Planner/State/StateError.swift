/// Why the state file cannot be read, written, locked or edited. Every message names the file or address.
package enum StateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file is not a state file this version can read (bad JSON, missing fields).
    case corrupt(file: String, reason: String)
    /// The file was written by a newer Tailor.
    case unsupportedVersion(file: String, version: Int, highestSupported: Int)
    /// Reading or writing failed.
    case io(file: String, reason: String)
    /// Another process holds the lock (its details, when the lock file is readable).
    case locked(file: String, holder: LockInfo?)
    /// `force-unlock` found no lock file.
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
        case .locked(let file, let holder):
            "the state is locked by another operation; wait for it to finish, or if it died without releasing "
                + "the lock, run `tailor force-unlock \(holder?.id ?? "ID")`\nLock Info (\(file)):\n"
                + (holder?.description ?? "  (the lock file is being written or is unreadable)")
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
        }
    }
}
