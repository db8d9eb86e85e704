/// Errors of the engine itself (not of a Personalize operation).
package enum EngineError: Error, CustomStringConvertible {
    case cannotOpenDataDirectory(String, reason: String)
    case dataDirectoryInUse(String, holder: String)
    /// A folder allowed for user data (`--allow-path`) that is not an existing folder.
    case unusableAllowedPath(String)

    package var description: String {
        switch self {
        case .cannotOpenDataDirectory(let path, let reason):
            "cannot open the engine's data folder \(path): \(reason)"
        case .dataDirectoryInUse(let path, let holder):
            "the engine's data folder \(path) is in use by another tailor process (\(holder)); "
                + "stop it, or talk to it with --endpoint if it is `tailor serve`"
        case .unusableAllowedPath(let path):
            "the allowed path \(path) (--allow-path) is not an existing folder"
        }
    }
}
