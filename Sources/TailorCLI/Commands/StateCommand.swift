import ArgumentParser

extension TailorCommand {
    struct StateCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "state",
            abstract: "Inspect and edit what Tailor tracks (the engine is never touched).",
            subcommands: [
                StateList.self, StateShow.self, StateMove.self, StateRemove.self, StatePull.self, StatePush.self,
            ]
        )
    }
}
