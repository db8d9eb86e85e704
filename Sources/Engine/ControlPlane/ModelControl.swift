/// The control plane of models: recipes, solutions, solution versions and campaigns.
package struct ModelControl: EnginePart {
    package let core: EngineCore

    package init(core: EngineCore) { self.core = core }
}
