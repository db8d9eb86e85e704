import EngineAPI
package import Foundation

/// Times given in requests, as the whole Unix seconds the datasets' `TIMESTAMP` fields hold.
package enum EpochSeconds {
    /// The latest time accepted: the end of year 9999.
    static let latest: Double = 253_402_300_799

    /// `date` in whole seconds since 1970 (rounded down).
    ///
    /// - Throws: `InvalidInputException` naming `field` when the time is before 1970, after year 9999, or not a
    ///   number (a conversion that would otherwise trap).
    package static func of(_ date: Date, field: String) throws -> Int64 {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, seconds >= 0, seconds <= latest else {
            throw PersonalizeError.invalidInput(
                "\(field) must be a time between 1970 and the end of 9999, in seconds since 1970.")
        }
        return Int64(seconds.rounded(.down))
    }
}
