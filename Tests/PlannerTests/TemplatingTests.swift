import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// A project with variables, two environments (values files and overlays) and an output.
enum ProjectFixture {
    static let project = """
        apiVersion: tailor/v1
        kind: Project
        metadata: {name: shop}
        spec:
          resources: [base]
          variables:
            prefix: {type: string, pattern: "[a-z]+"}
            tps: {type: integer, default: 1, minimum: 1, maximum: 10}
            dimension: {type: string, default: "64", allowed: ["32", "64"]}
          environments:
            dev: {values: [values/dev.yaml]}
            prod: {values: [values/prod.yaml], overlays: [overlays/prod]}
          outputs:
            campaign-arn: {value: "${campaign.${var.prefix}-picks.arn}", description: The campaign to call}

        """

    static let base = """
        apiVersion: tailor/v1
        kind: DatasetGroup
        metadata: {name: "${var.prefix}-shop"}
        ---
        apiVersion: tailor/v1
        kind: Schema
        metadata: {name: "${var.prefix}-interactions"}
        spec:
          fields:
            - {name: USER_ID, type: string}
            - {name: ITEM_ID, type: string}
            - {name: TIMESTAMP, type: long}
        ---
        apiVersion: tailor/v1
        kind: Dataset
        metadata: {name: "${var.prefix}-interactions"}
        spec:
          datasetGroup: "${var.prefix}-shop"
          type: INTERACTIONS
          schema: "${var.prefix}-interactions"
          import: {source: ../data/ratings.csv}
        ---
        apiVersion: tailor/v1
        kind: Solution
        metadata: {name: "${var.prefix}-picks"}
        spec:
          datasetGroup: "${var.prefix}-shop"
          recipe: aws-user-personalization
          hyperParameters: {hidden_dimension: "${var.dimension}"}
        ---
        apiVersion: tailor/v1
        kind: Campaign
        metadata: {name: "${var.prefix}-picks"}
        spec:
          solution: "${var.prefix}-picks"
          minProvisionedTPS: ${var.tps}

        """

    static let prodOverlay = """
        apiVersion: tailor/v1
        kind: Solution
        metadata: {name: "${var.prefix}-picks"}
        spec:
          hyperParameters: {epochs: "20"}
        ---
        apiVersion: tailor/v1
        kind: Solution
        metadata: {name: popular}
        spec: {datasetGroup: "${var.prefix}-shop", recipe: aws-popularity-count}

        """

    static func write(to directory: TemporaryDirectory) throws {
        try directory.write("tailor.yaml", project)
        try directory.write("base/resources.yaml", base)
        try directory.write("values/dev.yaml", "prefix: dev\n")
        try directory.write("values/prod.yaml", "prefix: prod\ntps: 5\n")
        try directory.write("overlays/prod/solutions.yaml", prodOverlay)
        try directory.write("data/ratings.csv", Fixtures.ratings)
    }
}

@Suite struct TemplatingTests {
    @Test func environmentsSelectValuesAndOverlays() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try ProjectFixture.write(to: directory)

        let dev = try ManifestLoader.load(directory: directory.url, options: LoadOptions(environment: "dev"))
        let prod = try ManifestLoader.load(directory: directory.url, options: LoadOptions(environment: "prod"))

        #expect(
            dev.addresses.map(\.description) == [
                "dataset-group/dev-shop", "schema/dev-interactions", "dataset/dev-interactions", "solution/dev-picks",
                "campaign/dev-picks",
            ])
        #expect(dev[ResourceAddress(.campaign, "dev-picks")]?.fields["minProvisionedTPS"] == .int(1))
        #expect(prod[ResourceAddress(.campaign, "prod-picks")]?.fields["minProvisionedTPS"] == .int(5))
        #expect(
            prod[ResourceAddress(.solution, "prod-picks")]?.fields["hyperParameters"]
                == .map(["hidden_dimension": .string("64"), "epochs": .string("20")]))
        #expect(prod[ResourceAddress(.solution, "popular")] != nil, "an overlay can add a resource")
        #expect(prod.environment == "prod")
        #expect(prod.variables["tps"]?.value == .int(5))
        #expect(prod.sourceDigests.keys.contains("overlays/prod/solutions.yaml"))
        #expect(prod.sourceDigests.keys.contains("values/prod.yaml"))
        #expect(!dev.sourceDigests.keys.contains("values/prod.yaml"))
        let overridden = try ManifestLoader.load(
            directory: directory.url,
            options: LoadOptions(
                environment: "dev", variables: [VariableOverride(name: "tps", value: "7")],
                processEnvironment: ["TAILOR_VAR_tps": "3"]))
        #expect(overridden[ResourceAddress(.campaign, "dev-picks")]?.fields["minProvisionedTPS"] == .int(7))
        let fromEnvironment = try ManifestLoader.load(
            directory: directory.url,
            options: LoadOptions(environment: "dev", processEnvironment: ["TAILOR_VAR_tps": "3"]))
        #expect(fromEnvironment[ResourceAddress(.campaign, "dev-picks")]?.fields["minProvisionedTPS"] == .int(3))
        let workspace = Workspace(directory: directory.url, environment: "prod")
        #expect(workspace.stateURL.path.hasSuffix(".tailor/env/prod/state.json"))
        #expect(workspace.engineDirectory.path.hasSuffix(".tailor/env/prod/engine"))
    }

    @Test func variablesAreValidatedWhereTheirValuesAreWritten() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try ProjectFixture.write(to: directory)
        try directory.write("values/dev.yaml", "prefix: Dev1\ntps: 50\ndimensions: \"32\"\n")
        let prefix = directory.url.relativePath

        let error = #expect(throws: DiagnosticsError.self) {
            try ManifestLoader.load(directory: directory.url, options: LoadOptions(environment: "dev"))
        }
        let lines = try #require(error).diagnostics.map { String($0.description.dropFirst(prefix.count + 1)) }

        #expect(
            lines
                == [
                    "values/dev.yaml:1:9: error: variable 'prefix' must match [a-z]+, found 'Dev1'",
                    "values/dev.yaml:2:6: error: variable 'tps' needs a value of at most 10, found 50",
                    "values/dev.yaml:3:1: error: \(prefix)/values/dev.yaml sets 'dimensions', which is not a declared "
                        + "variable; did you mean 'dimension'?",
                    "tailor.yaml:7:5: error: variable 'prefix' has no value: set it in the environment's values file, "
                        + "with --var prefix=VALUE or TAILOR_VAR_prefix, or give it a default",
                ].sorted())
        let unknown = #expect(throws: DiagnosticsError.self) {
            try ManifestLoader.load(directory: directory.url, options: LoadOptions(environment: "prd"))
        }
        #expect(
            unknown?.diagnostics.contains { $0.message.hasPrefix("unknown environment 'prd'; did you mean 'prod'?") }
                == true)
    }

    @Test func templatesParseEscapesAndReportBadReferences() throws {
        #expect(Template.parse("a-${var.x}-$${y}") == [.text("a-"), .expression("var.x"), .text("-${y}")])
        #expect(Template.parse("${var.x") == nil)
        #expect(Template.mayContainExpression("a-${var.x}") && Template.mayContainExpression("$${"))
        #expect(
            !Template.mayContainExpression("a$ {b}") && !Template.mayContainExpression("{$")
                && !Template.mayContainExpression(""))
        #expect(Template.mayContainExpression("é€${x}") && !Template.mayContainExpression("é$"))
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "a.yaml",
            """
            apiVersion: tailor/v1
            kind: DatasetGroup
            metadata: {name: g, tags: {a: "${var.nope}", b: "${foo}", c: "${env.TAILOR_TEST_UNSET}"}}
            """)

        let error = #expect(throws: DiagnosticsError.self) { try ManifestLoader.load(directory: directory.url) }
        let messages = try #require(error).diagnostics.map(\.message)

        #expect(
            messages == [
                "unknown variable 'nope' (declare variables in a tailor.yaml beside the manifests)",
                "unknown reference '${foo}'; expected ${var.NAME}, ${env.NAME} or ${KIND.NAME.ATTRIBUTE} "
                    + "(e.g. ${campaign.top-picks.arn})",
                "environment variable TAILOR_TEST_UNSET is not set",
            ])
        #expect(throws: DiagnosticsError.self) {
            try ManifestLoader.load(directory: directory.url, options: LoadOptions(environment: "prod"))
        }
    }

    @Test func secretsNeverReachPlansOrState() async throws {
        var harness = try Harness.movielens()
        defer { harness.directory.remove() }
        try harness.directory.write(
            "group.yaml",
            Fixtures.group.replacingOccurrences(
                of: "  name: movielens\n", with: "  name: movielens\n  tags: {owner: \"${env.OWNER_TOKEN}\"}\n"))
        harness.loadOptions = LoadOptions(processEnvironment: ["OWNER_TOKEN": "s3cr3t-value"])

        let plan = try await harness.plan()
        let text = PlanRenderer.text(plan)
        let json = PlanJSON.string(plan)
        #expect(try await harness.apply(plan).succeeded)
        let state = try harness.directory.read(".tailor/state.json")

        #expect(text.contains("tags.owner: (sensitive value)"))
        #expect(!text.contains("s3cr3t") && !json.contains("s3cr3t") && !state.contains("s3cr3t"))
        #expect(json.contains(#""after_sensitive" : {"#) || json.contains(#""after_sensitive": {"#))
        #expect(try await !harness.plan().hasChanges)
        harness.loadOptions = LoadOptions(processEnvironment: ["OWNER_TOKEN": "rotated"])
        let rotated = try await harness.plan()
        #expect(rotated.actionableChanges.map(\.address.description) == ["dataset-group/movielens"])
        #expect(PlanRenderer.text(rotated).contains("~ tags.owner: (sensitive value) → (sensitive value)"))
    }

    @Test func attributeReferencesResolveOnceKnownAndOutputsAreRecorded() async throws {
        var harness = try Harness()
        defer { harness.directory.remove() }
        try ProjectFixture.write(to: harness.directory)
        try harness.directory.write(
            "base/extra.yaml",
            """
            apiVersion: tailor/v1
            kind: Campaign
            metadata: {name: mirror, tags: {source: "${solution.${var.prefix}-picks.arn}"}}
            spec: {solution: "${var.prefix}-picks"}
            """)
        harness.loadOptions = LoadOptions(environment: "dev")
        let mirror = ResourceAddress(.campaign, "mirror")

        let first = try await harness.plan()
        #expect(first[mirror]?.fields.first { $0.path == "tags" }?.after == .unknown)
        #expect(PlanRenderer.text(first).contains("+ tags: (known after apply)"))
        #expect(first.outputChanges.map(\.actions) == [["create"]])
        #expect(first.outputChanges.first?.after == .unknown)
        #expect(try await harness.apply(first).succeeded)

        let state = try harness.state()
        let solutionArn = try #require(state[ResourceAddress(.solution, "dev-picks")]?.arn)
        #expect(state[mirror]?.spec["tags"] == .map(["source": .string(solutionArn)]))
        #expect(state[mirror]?.dependencies.contains(ResourceAddress(.solution, "dev-picks")) == true)
        #expect(
            state.outputs["campaign-arn"]
                == OutputValue(value: .string(try #require(state[ResourceAddress(.campaign, "dev-picks")]?.arn))))
        #expect(try await !harness.plan().hasChanges)
        #expect(!harness.directory.exists(".tailor/state.json"), "dev has its own state")
    }

    @Test func referencesMayOnlyPointDownTheDependencyOrder() throws {
        let diagnostics = try Fixtures.diagnostics(
            loading: """
                apiVersion: tailor/v1
                kind: DatasetGroup
                metadata: {name: g, tags: {x: "${campaign.c.arn}"}}
                ---
                apiVersion: tailor/v1
                kind: Solution
                metadata: {name: s, tags: {x: "${dataset-group.g.ar}"}}
                spec: {datasetGroup: g, recipe: aws-popularity-count}
                """)
        let messages = diagnostics.map(\.message)

        #expect(messages.contains("a DatasetGroup cannot refer to a Campaign's attributes: it depends on nothing"))
        #expect(messages.contains("dataset groups have no attribute 'ar'; did you mean 'arn'? (attributes: arn, name)"))
    }
}
