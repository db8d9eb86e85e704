import EngineAPI
import Foundation
package import PersonalizeRules

/// A metric attribution's `expression`: `SAMPLECOUNT()` or `SUM(DatasetType.COLUMN)` over a numeric column
/// of the Items or Interactions dataset.
package enum MetricExpression: Sendable, Hashable {
    case sampleCount
    case sum(DatasetType, column: String)

    /// The lower-case function name the S3 reports print in their `MATH_FUNCTION` column.
    package var mathFunction: String {
        switch self {
        case .sampleCount: "samplecount"
        case .sum: "sum"
        }
    }

    /// Parses `text` (function and dataset type case-insensitive, spaces allowed around the parts).
    ///
    /// - Throws: `InvalidInputException` naming the metric and what is wrong.
    package static func parse(_ text: String, metric: String) throws -> MetricExpression {
        let compact = text.filter { !$0.isWhitespace }
        let upper = compact.uppercased()
        if upper == "SAMPLECOUNT()" { return .sampleCount }
        guard upper.hasPrefix("SUM("), upper.hasSuffix(")") else {
            throw PersonalizeError.invalidInput(
                "Invalid expression '\(text)' for metric \(metric): use SUM(DatasetType.COLUMN_NAME) or "
                    + "SAMPLECOUNT().")
        }
        let argument = compact.dropFirst(4).dropLast()
        let parts = argument.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty else {
            throw PersonalizeError.invalidInput(
                "Invalid expression '\(text)' for metric \(metric): SUM takes one DatasetType.COLUMN_NAME, "
                    + "for example SUM(Items.PRICE).")
        }
        let type: DatasetType
        switch parts[0].uppercased() {
        case "ITEMS": type = .items
        case "INTERACTIONS": type = .interactions
        default:
            throw PersonalizeError.invalidInput(
                "Invalid expression '\(text)' for metric \(metric): SUM applies to columns of the Items or "
                    + "Interactions dataset, not \(parts[0]).")
        }
        return .sum(type, column: String(parts[1]))
    }
}
