import Foundation
import TailorTestSupport
import Testing

/// Every example validates (each environment of a project), and the GitOps example runs its workflow: plan
/// each environment to a file, apply the file, converge, record outputs, keep secrets out of state.
@Suite(.serialized) struct ExamplesTests {
    static var repository: URL { Repository.root() }

    static let secrets = ["SHOP_KMS_KEY_ARN": "arn:aws:kms:local:000000000000:key/example-secret-key"]

    /// Each example folder, with the environments its project declares (none without a project).
    static func examples() throws -> [(name: String, environments: [String])] {
        let folder = repository.appendingPathComponent("examples")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().compactMap { name in
            let project = folder.appendingPathComponent("\(name)/tailor.yaml")
            guard let text = try? String(contentsOf: project, encoding: .utf8) else {
                let isFolder = (try? folder.appendingPathComponent(name).resourceValues(forKeys: [.isDirectoryKey]))?
                    .isDirectory
                return isFolder == true ? (name, []) : nil
            }
            let lines = text.split(separator: "\n").map(String.init)
            guard let start = lines.firstIndex(of: "  environments:") else { return (name, []) }
            let environments = lines[(start + 1)...].prefix { $0.hasPrefix("    ") }
                .filter { $0.hasPrefix("    ") && !$0.hasPrefix("     ") && $0.hasSuffix(":") }
                .map { String($0.dropFirst(4).dropLast()) }
            return (name, environments)
        }
    }

    @Test func everyExampleValidates() throws {
        let examples = try Self.examples()
        #expect(examples.map(\.name).contains("gitops"))
        #expect(examples.map(\.name).contains("movielens"))
        for example in examples {
            for environment in example.environments.isEmpty ? [nil] : example.environments.map(Optional.some) {
                let arguments = ["validate", "examples/\(example.name)"] + (environment.map { ["--env", $0] } ?? [])
                let result = try TailorProcess.run(arguments, in: Self.repository, environment: Self.secrets)
                #expect(result.status == 0, "\(arguments.joined(separator: " ")):\n\(result.stdout)\(result.stderr)")
                #expect(result.stdout.hasPrefix("Success!"))
            }
        }
    }

    @Test func theGitOpsWorkflowPlansAppliesAndConvergesPerEnvironment() throws {
        let workspace = try TemporaryDirectory("tailor-e2e")
        defer { workspace.remove() }
        try TailorProcess.copyExample("gitops", to: workspace.url.appendingPathComponent("gitops"))

        for environment in ["dev", "prod"] {
            let plan = try TailorProcess.run(
                ["plan", "--env", environment, "-out", "\(environment).json", "gitops"], in: workspace.url,
                environment: Self.secrets)
            #expect(plan.status == 0, "\(plan.stdout)\n\(plan.stderr)")
            #expect(plan.stdout.contains("+ campaign/\(environment)-storefront"))
            #expect(plan.stdout.contains("Changes to Outputs:"))
            let apply = try TailorProcess.run(
                ["apply", "\(environment).json"], in: workspace.url, environment: Self.secrets)
            #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
            let again = try TailorProcess.run(
                ["plan", "--env", environment, "--detailed-exitcode", "gitops"], in: workspace.url,
                environment: Self.secrets)
            #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
            let output = try TailorProcess.run(
                ["output", "storefront-campaign-arn", "--env", environment, "-C", "gitops"], in: workspace.url)
            #expect(
                output.stdout.hasSuffix(":campaign/\(environment)-storefront\n"), "\(output.stdout)\(output.stderr)")
        }
        let prodState = try String(
            contentsOf: workspace.url.appendingPathComponent("gitops/.tailor/env/prod/state.json"), encoding: .utf8)
        #expect(!prodState.contains("example-secret-key"), "secrets never reach state")
        #expect(prodState.contains("\"minProvisionedTPS\" : 5"))
        let devState = try String(
            contentsOf: workspace.url.appendingPathComponent("gitops/.tailor/env/dev/state.json"), encoding: .utf8)
        #expect(devState.contains("solution/dev-most-popular"), "the dev overlay adds a baseline")
        #expect(!devState.contains("prod-"))

        let rotated = try TailorProcess.run(
            ["plan", "--env", "prod", "gitops"], in: workspace.url,
            environment: ["SHOP_KMS_KEY_ARN": "arn:aws:kms:local:000000000000:key/rotated"])
        #expect(rotated.status == 1, "the dataset group cannot be replaced: it is protected")
        #expect(rotated.stderr.contains("dataset-group/prod-shop: it must be replaced"), "\(rotated.stderr)")
        #expect(!rotated.stderr.contains("rotated") && !rotated.stdout.contains("rotated"))
    }
}
