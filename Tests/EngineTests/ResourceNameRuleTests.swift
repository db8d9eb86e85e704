import EngineAPI
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// The resource-name rule is written once (``ResourceName``): `tailor validate` and the engine accept the same
/// names.
@Suite(.tags(.small)) struct ResourceNameRuleTests {
    static let names = [
        "a", "shop-2024_v1", "9lives", String(repeating: "n", count: 63), String(repeating: "n", count: 64), "-shop",
        "_shop", "shop.v1", "shop v1", "café", "",
    ]

    @Test(arguments: names) func theEngineRefusesExactlyTheNamesTheRuleRefuses(_ name: String) async throws {
        let harness = try EngineHarness()
        let schema =
            #"{"type":"record","name":"Interactions","namespace":"com.amazonaws.personalize.schema","fields":[{"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},{"name":"TIMESTAMP","type":"long"}],"version":"1.0"}"#
        let accepted: Bool
        do {
            _ = try await harness.engine.send(CreateSchemaRequest(name: name, schema: schema))
            accepted = true
        } catch let error as PersonalizeError {
            #expect(error.code == .invalidInputException)
            accepted = false
        }
        #expect(accepted == (ResourceName.problem(name) == nil))
        #expect(accepted == ResourceName.isValid(name))
    }

    @Test func theEngineNamesTheFieldAndThePattern() async throws {
        let harness = try EngineHarness()
        let request = CreateDatasetImportJobRequest(
            jobName: "bad name", datasetArn: "arn:aws:personalize:local:0:dataset/x",
            dataSource: DataSource(dataLocation: "x.csv"))
        await #expect(
            throws: PersonalizeError.invalidInput(ResourceName.validationMessage("bad name", field: "jobName"))
        ) {
            _ = try await harness.engine.createDatasetImportJob(request)
        }
    }
}
