/// Training solution versions and recommenders, their offline metrics, and incremental training.
package struct TrainingJobs: EnginePart {
    package let core: EngineCore

    package init(core: EngineCore) { self.core = core }
}
