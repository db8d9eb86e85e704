import EngineAPI
import PersonalizeRules

extension SchemaSpec {
    /// What CreateSchema would refuse in this schema, in the engine's words (``SchemaRules``); nil when it
    /// passes. A friendly schema without `datasetType` is checked for its structure only: its dataset type (and
    /// so its domain's rules) is known once a dataset uses it.
    var engineProblem: String? {
        let domain = typedDomain
        let checkedDomain: Domain? =
            switch definition {
            case .fields: datasetType == nil ? nil : domain
            case .avro: domain
            }
        do {
            _ = try SchemaRules.checkCreateSchema(json: avroJSON, domain: checkedDomain)
            return nil
        } catch let error as PersonalizeError {
            return error.message
        } catch {
            return String(describing: error)
        }
    }

    private var typedDomain: Domain? { domain.map(Domain.init(rawValue:)) }
}
