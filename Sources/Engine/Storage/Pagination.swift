import EngineAPI
import Foundation

/// `nextToken` / `maxResults` paging as the service does it: an opaque token bound to the listing it
/// came from; a token from another listing, or a mangled one, is `InvalidNextTokenException`.
package enum Pagination {
    package static let defaultMaxResults = 100
    /// The service's bounds of `maxResults` on every listing.
    package static let maxResultsRange = 1...100

    package static func page<Element>(
        _ elements: [Element], listing: String, nextToken: String?, maxResults: Int?
    ) throws -> (page: [Element], nextToken: String?) {
        let limit = maxResults ?? defaultMaxResults
        guard maxResultsRange.contains(limit) else {
            throw PersonalizeError.invalidInput(
                "1 validation error detected: Value '\(limit)' at 'maxResults' failed to satisfy constraint: Member "
                    + "must have value \(limit < 1 ? "greater than or equal to 1" : "less than or equal to 100")")
        }
        let offset = try nextToken.map { try decode($0, listing: listing) } ?? 0
        guard offset <= elements.count else {
            throw PersonalizeError(.invalidNextTokenException, "The next token is out of range for this listing.")
        }
        let end = min(elements.count, offset + limit)
        let token = end < elements.count ? encode(offset: end, listing: listing) : nil
        return (Array(elements[offset..<end]), token)
    }

    private static func encode(offset: Int, listing: String) -> String {
        Data("v1|\(offset)|\(listing)".utf8).base64EncodedString()
    }

    private static func decode(_ token: String, listing: String) throws -> Int {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8) else {
            throw PersonalizeError(.invalidNextTokenException, "The next token is not valid.")
        }
        let parts = text.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let offset = Int(parts[1]), offset >= 0 else {
            throw PersonalizeError(.invalidNextTokenException, "The next token is not valid.")
        }
        guard parts[2] == listing else {
            throw PersonalizeError(
                .invalidNextTokenException, "The next token was issued for a different listing request.")
        }
        return offset
    }
}
