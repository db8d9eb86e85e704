/// An error from the `Recipes` target: today, only a model's serialized bytes that cannot be read.
///
/// A struct around a private enum, so that cases can be added without breaking callers.
package struct RecipesError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case truncated(what: String, needed: Int, available: Int)
        case badMagic(what: String, found: [UInt8])
        case unsupportedVersion(what: String, version: UInt32, highestSupported: UInt32)
        case invalidHeader(what: String, reason: String)
        case trailingBytes(what: String, count: Int)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// The data ended before everything its header announced could be read.
    static func truncated(_ what: String, needed: Int, available: Int) -> Self {
        Self(.truncated(what: what, needed: needed, available: available))
    }

    /// The data does not start with the expected magic bytes.
    static func badMagic(_ what: String, found: [UInt8]) -> Self { Self(.badMagic(what: what, found: found)) }

    /// The data was written by a newer (or unknown) format version.
    static func unsupportedVersion(_ what: String, version: UInt32, highestSupported: UInt32) -> Self {
        Self(.unsupportedVersion(what: what, version: version, highestSupported: highestSupported))
    }

    /// A header field holds an impossible value.
    static func invalidHeader(_ what: String, _ reason: String) -> Self {
        Self(.invalidHeader(what: what, reason: reason))
    }

    /// Bytes are left over after the announced content.
    static func trailingBytes(_ what: String, count: Int) -> Self { Self(.trailingBytes(what: what, count: count)) }

    package var description: String {
        switch kind {
        case let .truncated(what, needed, available):
            "\(what) data is truncated: it needs \(needed) bytes but only \(available) are left; "
                + "the file is damaged or was cut short, so retrain the model"
        case let .badMagic(what, found):
            "\(what) data does not start with the expected magic bytes (found \(found)); "
                + "it is not a serialized \(what)"
        case let .unsupportedVersion(what, version, highestSupported):
            "\(what) data has format version \(version), but this build reads versions up to \(highestSupported); "
                + "upgrade tailor or retrain the model"
        case let .invalidHeader(what, reason):
            "\(what) data has an invalid header: \(reason); the file is damaged, so retrain the model"
        case let .trailingBytes(what, count):
            "\(what) data has \(count) unexpected bytes after its content; the file is damaged, so retrain the model"
        }
    }
}
