import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// Numbers from manifests, project and values files never trap: out-of-range integers, infinities and NaNs are
/// positioned errors.
@Suite struct NumberRangeTests {
    @Test func outOfRangeAndNonFiniteNumbersAreErrorsNotTraps() throws {
        let project = ManifestFixtures.project(
            """
            variables:
              huge: {type: number, minimum: 1e300, default: 1}
              endless: {type: number, maximum: .inf}
            outputs:
              nan: {value: .nan}

            """)

        let problems = try ManifestLimitsTests.load(["tailor.yaml": project])

        #expect(
            problems.contains(
                "tailor.yaml:6:51: the default of variable 'huge' needs a value of at least 1e+300, found 1"),
            "\(problems)")
        #expect(
            problems.contains("tailor.yaml:7:38: 'spec.variables.endless.maximum' must be a finite number, found .inf"),
            "\(problems)")
        #expect(
            problems.contains("tailor.yaml:9:18: 'spec.outputs.nan.value' must be a finite number, found .nan"),
            "\(problems)")
    }

    @Test func integersTooLargeForTheEngineAreOutOfRange() throws {
        let problems = try ManifestLimitsTests.load([
            "campaign.yaml": """
            apiVersion: tailor/v1
            kind: Campaign
            metadata: {name: c}
            spec:
              solution: s
              minProvisionedTPS: 99999999999999999999

            """
        ])

        #expect(
            problems.contains(
                "campaign.yaml:6:22: 'spec.minProvisionedTPS' is out of range, found 99999999999999999999 (it must be "
                    + "between 1 and 1000000)"), "\(problems)")
    }
}
