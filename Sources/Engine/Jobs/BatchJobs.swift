/// What batch inference and batch segment jobs do once created.
package struct BatchJobs: EnginePart {
    package let core: EngineCore

    package init(core: EngineCore) { self.core = core }
}
