/// The part of every state file version that says which version it is.
struct StateFileHeader: Decodable {
    var version: Int
}

/// Version 1 of the state file: resources only.
struct StateFileV1: Decodable {
    var serial: Int
    var lineage: String
    var resources: [String: StateEntry]

    var state: State {
        get throws {
            State(serial: serial, lineage: lineage, resources: try StateFileV2.addresses(resources))
        }
    }
}

/// Version 2 of the state file: resources, declared outputs and deposed objects.
///
/// ```json
/// {"version": 2, "serial": 7, "lineage": "…", "resources": {"solution/top-picks": {"arn": "…", …}},
///  "outputs": {"campaign-arn": {"value": "arn:…", "sensitive": false}}, "deposed": {}}
/// ```
struct StateFileV2: Codable {
    var version: Int
    var serial: Int
    var lineage: String
    var resources: [String: StateEntry]
    var outputs: [String: OutputValue]?
    var deposed: [String: [StateEntry]]?

    init(_ state: State) {
        version = 2
        serial = state.serial
        lineage = state.lineage ?? ""
        resources = Dictionary(uniqueKeysWithValues: state.resources.map { ($0.key.description, $0.value) })
        outputs = state.outputs
        deposed = Dictionary(
            uniqueKeysWithValues: state.deposed.filter { !$0.value.isEmpty }.map { ($0.key.description, $0.value) })
    }

    var state: State {
        get throws {
            State(
                serial: serial, lineage: lineage, resources: try Self.addresses(resources), outputs: outputs ?? [:],
                deposed: try Self.addresses(deposed ?? [:]))
        }
    }

    /// The map re-keyed by parsed addresses.
    static func addresses<Value>(_ map: [String: Value]) throws -> [ResourceAddress: Value] {
        var result: [ResourceAddress: Value] = [:]
        for (key, value) in map {
            guard let address = ResourceAddress(key) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: [], debugDescription: "'\(key)' is not a resource address (kind/name)"))
            }
            result[address] = value
        }
        return result
    }
}
