/// What dataset import, dataset export and data deletion jobs do once created.
package struct DataJobs: EnginePart {
    package let core: EngineCore

    package init(core: EngineCore) { self.core = core }
}
