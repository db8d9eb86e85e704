import EngineAPI
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// The count quotas are rules (``Quota``): the engine's defaults are the rules' defaults, and a create past a
/// limit fails with exactly the rule's error.
@Suite struct QuotaRuleTests {
    @Test(arguments: Quota.allCases) func aQuotaRefusesAtItsLimitAndNotBelow(_ quota: Quota) throws {
        try quota.check(count: quota.defaultLimit - 1, limit: quota.defaultLimit, datasetGroupArn: "group")
        #expect(throws: PersonalizeError.self) {
            try quota.check(count: quota.defaultLimit, limit: quota.defaultLimit, datasetGroupArn: "group")
        }
        #expect(EngineLimits().limit(of: quota) == quota.defaultLimit)
    }

    @Test func theEngineRefusesADatasetGroupPastTheLimitWithTheRulesError() async throws {
        var limits = EngineLimits()
        limits.maximumDatasetGroups = 2
        let harness = try EngineHarness(limits: limits)
        for name in ["one", "two"] {
            _ = try await harness.engine.send(CreateDatasetGroupRequest(name: name))
        }
        var engineError: PersonalizeError?
        do {
            _ = try await harness.engine.send(CreateDatasetGroupRequest(name: "three"))
        } catch let error as PersonalizeError {
            engineError = error
        }
        var ruleError: PersonalizeError?
        do {
            try Quota.datasetGroups.check(count: 2, limit: 2)
        } catch let error as PersonalizeError {
            ruleError = error
        }
        #expect(engineError?.code == .limitExceededException)
        #expect(engineError?.message == ruleError?.message)
        #expect(engineError?.message.contains("There are already 2 dataset groups and the quota is 2") == true)
    }
}
