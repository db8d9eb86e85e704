/// The real-time operations: GetRecommendations, GetPersonalizedRanking and GetActionRecommendations, with the filters applied at request time.
package struct RealTimeServing: EnginePart {
    package let core: EngineCore

    package init(core: EngineCore) { self.core = core }
}
