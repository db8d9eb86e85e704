import Foundation

/// Matches variables' `pattern`s within a time limit. A pattern with nested repetition (`(a+)+`) takes
/// exponential time on some values, and both come from files a pull request can change: each match may take
/// ``matchLimit``, and all the matches of one load ``loadBudget`` together (``withBudget(_:)``).
enum PatternMatcher {
    /// The longest one match may take.
    static let matchLimit: Duration = .milliseconds(250)
    /// The longest all the matches of one load may take together.
    static let loadBudget: Duration = .seconds(1)

    /// When the current load's matching must end, if a load set it.
    @TaskLocal private static var deadline: ContinuousClock.Instant?

    /// Runs `body` (a load) with one ``loadBudget`` for all its matches.
    static func withBudget<T, Failure: Error>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        let result: Result<T, Failure> = $deadline.withValue(ContinuousClock.now.advanced(by: loadBudget)) {
            do throws(Failure) {
                return .success(try body())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Whether `text` matches `regex` (anchored by the caller), or nil when it took too long to tell.
    static func matches(_ regex: NSRegularExpression, _ text: String) -> Bool? {
        let clock = ContinuousClock()
        var end = clock.now.advanced(by: matchLimit)
        if let deadline, deadline < end { end = deadline }
        guard clock.now < end else { return nil }
        var matched = false
        var timedOut = false
        // With `.reportProgress` the engine calls back periodically while it searches, so it can be stopped.
        regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(text.startIndex..., in: text)) {
            result, _, stop in
            if result != nil {
                matched = true
                stop.pointee = true
            } else if clock.now >= end {
                timedOut = true
                stop.pointee = true
            }
        }
        return timedOut && !matched ? nil : matched
    }
}
