import ArgumentParser
import Planner

extension TailorCommand {
    struct Output: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the outputs the last apply recorded, or one resource attribute.",
            discussion: "NAME is a declared output, or ADDRESS.ATTRIBUTE (campaign/top-picks.arn). "
                + "One value prints raw (strings without quotes), for scripts.")

        @OptionGroup var workspace: WorkspaceOptions

        @Argument(help: "An output's name, or ADDRESS.ATTRIBUTE.")
        var name: String?

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let state = try await workspace.loadState()
            guard let name else {
                print(
                    json ? StateRenderer.outputsJSON(state.outputs) : StateRenderer.outputs(state.outputs),
                    terminator: "")
                return
            }
            let value = try PlannerErrors.reporting { try OutputLookup.value(name, in: state) }
            print(json ? value.canonicalJSON : StateRenderer.raw(value))
        }
    }
}
