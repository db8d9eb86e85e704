import Foundation

/// A campaign's pending promotion as planning found it: the version it deploys, the newest ACTIVE version of
/// its solution, and both versions' value of the policy's metric (GetSolutionMetrics).
package struct Promotion: Hashable, Sendable, Codable {
    /// The version the campaign serves.
    package var deployed: String
    /// The newest ACTIVE version of the solution (trained by apply or by automatic training).
    package var candidate: String
    /// The policy.
    package var policy: PromotionPolicy
    /// The deployed version's metric, when the engine reports it.
    package var deployedValue: Double?
    /// The candidate's metric, when the engine reports it.
    package var candidateValue: Double?

    /// Whether the candidate passes the gate (unknown metrics fail it: a version is never promoted blind).
    package var passes: Bool {
        guard let candidateValue, let deployedValue else { return false }
        return policy.passes(candidate: candidateValue, deployed: deployedValue)
    }

    /// One line for plans and apply: both metrics side by side and the verdict.
    package var summary: String {
        "\(policy.metric): candidate \(Self.format(candidateValue)) (\(Self.short(candidate))) vs deployed "
            + "\(Self.format(deployedValue)) (\(Self.short(deployed))), minDelta \(policy.minDeltaText): "
            + (passes ? "promote" : "held back")
    }

    /// A metric value with four decimals, or "unknown".
    static func format(_ value: Double?) -> String {
        value.map { String(format: "%.4f", $0) } ?? "unknown"
    }

    /// The part of a version ARN after the solution's name (`top-picks/00000003`).
    static func short(_ arn: String) -> String {
        guard let range = arn.range(of: ":solution/") else { return arn }
        return String(arn[range.upperBound...])
    }
}
