/// The control plane of datasets: dataset groups, schemas, datasets, event trackers, filters, and the creation of import, export and data deletion jobs.
package struct DatasetControl: EnginePart {
    package let core: EngineCore

    package init(core: EngineCore) { self.core = core }
}
