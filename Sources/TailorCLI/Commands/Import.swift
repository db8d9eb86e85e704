import ArgumentParser
import Planner

extension TailorCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Adopt an object the engine already has into state.",
            discussion: "The address must be declared in the manifests and not yet in state. The object is "
                + "described and what the engine reports is recorded, so the next plan shows only real "
                + "differences; fields the engine does not report are recorded as the manifest declares them.")

        @Argument(help: "The address to track it under (kind/name, declared in the manifests).")
        var address: AddressArgument

        @Argument(help: "The object's ARN in the engine.")
        var arn: String

        @OptionGroup var manifests: ManifestOptions
        @OptionGroup var engineOptions: EngineOptions
        @OptionGroup var lockOptions: LockOptions

        func run() async throws {
            let set = try manifests.load()
            let store = try manifests.stateBackend()
            try await lockOptions.withLock(store, operation: "import") {
                let engine = try engineOptions.openEngine(for: manifests.workspace)
                let state = try await PlannerErrors.reporting { try await store.load() }
                let result = try await PlannerErrors.reporting {
                    try await Importer(service: engine).importing(address.value, arn: arn, manifests: set, state: state)
                }
                let written = try await PlannerErrors.reporting { try await store.write(result.state) }
                print("Imported \(arn) as \(address.value) (state serial \(written.serial)).")
                if !result.assumed.isEmpty {
                    print(
                        "Recorded as the manifest declares them (the engine does not report them): "
                            + result.assumed.joined(separator: ", "))
                }
                for note in result.notes { print("Note: \(note)") }
                print("Run `tailor plan` to see what differs.")
            }
        }
    }
}
