import Foundation
package import Recipes

/// The three event types of action interactions, spelled as botocore documents them.
///
/// The guide writes them `Taken`, `Not Taken`, `Not taken`, `TAKEN`, `NOT_TAKEN`; they are read ignoring case,
/// with `_` for a space, and stored in this canonical spelling, so filters and training see one value each.
package enum ActionEventType: String, Sendable, CaseIterable {
    case taken = "Taken"
    case notTaken = "Not Taken"
    case viewed = "Viewed"

    /// The event type `text` names, if any.
    package init?(parsing text: String) {
        let key = Self.key(text)
        guard let match = Self.allCases.first(where: { Self.key($0.rawValue) == key }) else { return nil }
        self = match
    }

    /// The spellings accepted, for messages.
    package static let accepted = "Taken, Not Taken or Viewed"

    /// `text` in upper case with spaces for underscores and single spaces, for comparisons.
    package static func key(_ text: String) -> String {
        text.uppercased().replacingOccurrences(of: "_", with: " ").split(separator: " ").joined(separator: " ")
    }

    /// The recipe's name for it.
    package var outcome: ActionOutcome {
        switch self {
        case .taken: .taken
        case .notTaken: .notTaken
        case .viewed: .viewed
        }
    }
}
