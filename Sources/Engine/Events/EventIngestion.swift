/// Streaming ingestion: PutEvents, PutUsers, PutItems, PutActions and PutActionInteractions.
package struct EventIngestion: EnginePart {
    package let core: EngineCore

    package init(core: EngineCore) { self.core = core }
}
