import Foundation
import TailorTestSupport
import Testing

/// `kind: EventTracker` and `kind: Filter` through the built binary: created, recorded in state (the tracker's
/// trackingId as an attribute), whitespace in an expression is no change, another expression replaces the
/// filter, and destroy removes both.
@Suite struct EventTrackerAndFilterTests {
    static func manifests(expression: String) -> String {
        SmallProject.manifests + """
            ---
            apiVersion: tailor/v1
            kind: EventTracker
            metadata: {name: small-events}
            spec: {datasetGroup: small}
            ---
            apiVersion: tailor/v1
            kind: Filter
            metadata: {name: no-purchases}
            spec:
              datasetGroup: small
              expression: '\(expression)'

            """
    }

    @Test func createKeepReplaceAndDestroy() throws {
        let workspace = try SmallProject.workspace("tailor-e2e-kinds")
        defer { workspace.remove() }
        let original = #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")"#
        try workspace.write("m/resources.yaml", Self.manifests(expression: original))

        let apply = try TailorProcess.run(["apply", "--auto-approve", "m"], in: workspace.url)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        #expect(apply.stdout.contains("Apply complete! Resources: 5 added"), "\(apply.stdout)")
        let show = try TailorProcess.run(["state", "show", "-C", "m", "event-tracker/small-events"], in: workspace.url)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("trackingId"), "\(show.stdout)")
        #expect(try TailorProcess.run(["plan", "m", "--detailed-exitcode"], in: workspace.url).status == 0)

        // Whitespace is not a change.
        try workspace.write(
            "m/resources.yaml",
            Self.manifests(expression: #"EXCLUDE   ItemID  WHERE Interactions.EVENT_TYPE IN ("purchase")  "#))
        let same = try TailorProcess.run(["plan", "m", "--detailed-exitcode"], in: workspace.url)
        #expect(same.status == 0, "\(same.stdout)")

        // Another expression replaces the filter.
        try workspace.write(
            "m/resources.yaml",
            Self.manifests(expression: #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")"#))
        let changed = try TailorProcess.run(["plan", "m", "--detailed-exitcode"], in: workspace.url)
        #expect(changed.status == 2)
        #expect(changed.stdout.contains("+/- filter/no-purchases"), "\(changed.stdout)")  // create before destroy
        let replaced = try TailorProcess.run(["apply", "--auto-approve", "m"], in: workspace.url)
        #expect(replaced.status == 0, "\(replaced.stdout)\n\(replaced.stderr)")
        #expect(try TailorProcess.run(["plan", "m", "--detailed-exitcode"], in: workspace.url).status == 0)

        // A bad expression is the engine's error, naming the token.
        try workspace.write("m/resources.yaml", Self.manifests(expression: "EXCLUDE ItemID WHER x"))
        let bad = try TailorProcess.run(["apply", "--auto-approve", "m"], in: workspace.url)
        #expect(bad.status != 0)
        #expect((bad.stdout + bad.stderr).contains("WHER"), "\(bad.stdout)\n\(bad.stderr)")

        let destroy = try TailorProcess.run(["destroy", "--auto-approve", "m"], in: workspace.url)
        #expect(destroy.status == 0, "\(destroy.stdout)\n\(destroy.stderr)")
    }
}
