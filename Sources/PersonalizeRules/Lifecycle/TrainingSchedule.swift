import EngineAPI
import Foundation

/// `autoTrainingConfig.schedulingExpression`: `rate(N day)` or `rate(N days)` with N in 1...30, as the engine
/// accepts it and the planner checks it.
package enum TrainingSchedule {
    /// The schedule a solution gets when it names none.
    package static let defaultExpression = "rate(7 days)"

    /// The days allowed between two automatic trainings.
    package static let days = 1...30

    /// The interval in days of `expression`, nil when it is not a valid schedule.
    package static func days(in expression: String) -> Int? {
        try? validate(expression)
    }

    /// The interval in days of a valid expression.
    ///
    /// - Throws: `InvalidInputException` for anything else, with the service's wording.
    @discardableResult
    package static func validate(_ expression: String) throws -> Int {
        let pattern = #"^rate\((\d+) days?\)$"#
        guard let match = expression.range(of: pattern, options: .regularExpression) else {
            throw PersonalizeError.invalidInput(
                "Invalid schedulingExpression '\(expression)': use rate(N days) with N from 1 to 30.")
        }
        let digits = expression[match].filter(\.isNumber)
        guard let count = Int(digits), days.contains(count) else {
            throw PersonalizeError.invalidInput(
                "Invalid schedulingExpression '\(expression)': the rate must be from 1 to 30 days.")
        }
        return count
    }
}
