/// Why the state file cannot be read or written. Every message names the file.
package enum StateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file is not a state file this version can read (bad JSON, missing fields).
    case corrupt(file: String, reason: String)
    /// The file was written by a newer Tailor.
    case unsupportedVersion(file: String, version: Int, highestSupported: Int)
    /// Reading or writing failed.
    case io(file: String, reason: String)

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
        }
    }
}
