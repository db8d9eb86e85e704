import ArgumentParser
import Foundation
import Planner

extension TailorCommand {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the manifests: every problem as file:line:col, then exit 1 if there were any.")

        @OptionGroup var manifests: ManifestOptions

        @Flag(help: "Print the result as JSON, in the shape of `terraform validate -json`.")
        var json = false

        func run() throws {
            guard json else {
                let set = try manifests.load()
                print("Success! \(set.resources.count) resources are valid.")
                return
            }
            let diagnostics: [Diagnostic]
            do {
                diagnostics = try ManifestLoader.load(
                    directory: URL(fileURLWithPath: manifests.directory), options: manifests.loadOptions
                ).warnings
            } catch {
                diagnostics = error.diagnostics
            }
            print(ValidationJSON.string(diagnostics), terminator: "")
            if diagnostics.containsErrors { throw ExitCode.failure }
        }
    }
}
