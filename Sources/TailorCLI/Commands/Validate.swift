import ArgumentParser
import Planner

extension TailorCommand {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the manifests: every problem as file:line:col, then exit 1 if there were any.")

        @OptionGroup var manifests: ManifestOptions

        func run() throws {
            let set = try manifests.load()
            print("Success! \(set.resources.count) resources are valid.")
        }
    }
}
