/// The control plane of batch inference jobs, batch segment jobs and metric attributions.
package struct BatchControl: EnginePart {
    package let core: EngineCore

    package init(core: EngineCore) { self.core = core }
}
