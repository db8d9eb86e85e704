import ArgumentParser
import Planner

extension TailorCommand {
    struct StateShow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show what the state records for one address.")

        @OptionGroup var workspace: WorkspaceOptions

        @Argument(help: "The address, e.g. solution/top-picks.")
        var address: AddressArgument

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let state = try await workspace.loadState()
            guard let entry = state[address.value] else {
                printError("error: \(StateError.noSuchAddress(address.value, known: state.addresses))")
                throw ExitCode.failure
            }
            let text =
                json ? StateRenderer.json(entry, at: address.value) : StateRenderer.show(entry, at: address.value)
            print(text, terminator: "")
        }
    }
}

/// A `kind/name` address on the command line.
struct AddressArgument: ExpressibleByArgument {
    let value: ResourceAddress

    init?(argument: String) {
        guard let address = ResourceAddress(argument) else { return nil }
        value = address
    }

    static var defaultValueDescription: String { "kind/name" }
}
