import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// Templating that a hostile manifest, project or values file controls stays bounded: `${...}` nesting, the
/// size interpolation produces, variables' patterns (ReDoS), and "did you mean" suggestions.
@Suite struct TemplatingLimitsTests {
    @Test func templatesCannotNestDeeplyOrGrowWithoutBound() throws {
        let project = ManifestFixtures.project(
            """
            variables:
              word: {type: string, default: "\(String(repeating: "w", count: 1_000))"}
              items: {type: list, default: [\(Array(repeating: "1", count: 1_000).joined(separator: ", "))]}

            """)
        let nested =
            "a: \"" + String(repeating: "${", count: 100_000) + "var.word" + String(repeating: "}", count: 100_000)
            + "\"\n"
        let long = "b: \"" + String(repeating: "${var.word}", count: 2_000) + "\"\n"
        let many = "c:\n" + String(repeating: "  - ${var.items}\n", count: 1_100)

        let problems = try ManifestLimitsTests.load([
            "tailor.yaml": project, "a.yaml": nested, "b.yaml": long, "c.yaml": many,
        ])

        #expect(
            problems.contains { $0.hasPrefix("a.yaml:1:4: '${' is nested more than 4 levels deep") },
            "\(problems.prefix(3))")
        #expect(
            problems.contains("b.yaml:1:4: interpolating makes this string longer than 1 MiB"), "\(problems.prefix(3))")
        #expect(
            problems.contains { $0.hasPrefix("c.yaml:") && $0.contains("add more than 1000000 list items") },
            "\(problems.prefix(3))")
    }

    @Test func variablePatternsThatBacktrackForeverAreStopped() throws {
        let variables = (0..<20).map {
            #"  v\#($0): {type: string, pattern: "(a+)+b", default: "\#(String(repeating: "a", count: 40))!"}"#
        }
        let project = ManifestFixtures.project("variables:\n" + variables.joined(separator: "\n") + "\n")
        let clock = ContinuousClock()
        let started = clock.now

        let problems = try ManifestLimitsTests.load(["tailor.yaml": project])

        #expect(clock.now - started < .seconds(5))
        #expect(problems.count == 20, "\(problems)")
        #expect(
            problems.first?.hasPrefix(
                "tailor.yaml:6:52: the default of variable 'v0' takes too long to match its pattern '(a+)+b'") == true,
            "\(problems)")
    }

    @Test func aHugeMisspeltWordIsNotComparedWithEveryCandidate() {
        let clock = ContinuousClock()
        let started = clock.now
        let word = String(repeating: "k", count: 1 << 20)

        let suggestion = Suggestion.closest(to: word, in: Array(repeating: word + "x", count: 100))

        #expect(suggestion == nil)
        #expect(clock.now - started < .seconds(1))
    }
}
