import Foundation

/// The JSON shape of a `Decodable` request type, found by decoding it from a decoder that answers every
/// question ("is member X there? yes, of this type") and writes down what it was asked: each member name
/// with a sample value of its JSON type. This gives a body template for every operation of the service
/// model without a line per operation.
enum ShapeProbe {
    /// The template of `type`: an object with every member the decoder asked for.
    static func template(of type: any Decodable.Type) -> FuzzJSON {
        let root = ProbeNode()
        _ = try? type.init(from: ProbeDecoder(node: root, depth: 0))
        return root.json
    }
}

/// What one value of the shape turned out to be.
private final class ProbeNode {
    enum Kind {
        case unknown
        case scalar(FuzzJSON)
        case object([(String, ProbeNode)])
        case array(ProbeNode)
    }

    var kind = Kind.unknown

    var json: FuzzJSON {
        switch kind {
        case .unknown: .text("x")
        case .scalar(let value): value
        case .object(let members): .object(members.map { (key: $0.0, value: $0.1.json) })
        case .array(let element): .array([element.json])
        }
    }

    func addMember(_ key: String) -> ProbeNode {
        let child = ProbeNode()
        if case .object(var members) = kind {
            members.append((key, child))
            kind = .object(members)
        } else {
            kind = .object([(key, child)])
        }
        return child
    }
}

private struct ProbeError: Error {}

private struct ProbeDecoder: Decoder {
    let node: ProbeNode
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard depth < 6 else { throw ProbeError() }
        if case .object = node.kind {} else { node.kind = .object([]) }
        return KeyedDecodingContainer(ProbeKeyed<Key>(node: node, depth: depth))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard depth < 6 else { throw ProbeError() }
        let element = ProbeNode()
        node.kind = .array(element)
        return ProbeUnkeyed(element: element, depth: depth)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        ProbeSingle(node: node)
    }
}

/// Samples of each scalar type, recorded as the JSON they stand for.
private enum Sample {
    static func value<T>(_ type: T.Type, into node: ProbeNode) throws -> T {
        let (json, sample): (FuzzJSON, Any)
        if type is String.Type {
            (json, sample) = (.text("x"), "x")
        } else if type is Bool.Type {
            (json, sample) = (.bool(true), true)
        } else if let float = type as? any BinaryFloatingPoint.Type {
            (json, sample) = (.number("1.5"), float.init(1.5))
        } else if let integer = type as? any BinaryInteger.Type {
            (json, sample) = (.number("1"), integer.init(1))
        } else {
            throw ProbeError()
        }
        node.kind = .scalar(json)
        guard let value = sample as? T else { throw ProbeError() }
        return value
    }
}

private struct ProbeKeyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let node: ProbeNode
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    /// Dictionaries ask for their keys: one sample key.
    var allKeys: [Key] { Key(stringValue: "key").map { [$0] } ?? [] }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try Sample.value(type, into: node.addMember(key.stringValue))
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try Sample.value(type, into: node.addMember(key.stringValue))
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try Sample.value(type, into: node.addMember(key.stringValue))
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try Sample.value(type, into: node.addMember(key.stringValue))
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        try Sample.value(type, into: node.addMember(key.stringValue))
    }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 {
        try Sample.value(type, into: node.addMember(key.stringValue))
    }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
        try Sample.value(type, into: node.addMember(key.stringValue))
    }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
        try Sample.value(type, into: node.addMember(key.stringValue))
    }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
        try Sample.value(type, into: node.addMember(key.stringValue))
    }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
        try Sample.value(type, into: node.addMember(key.stringValue))
    }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
        try Sample.value(type, into: node.addMember(key.stringValue))
    }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
        try Sample.value(type, into: node.addMember(key.stringValue))
    }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
        try Sample.value(type, into: node.addMember(key.stringValue))
    }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
        try Sample.value(type, into: node.addMember(key.stringValue))
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let child = node.addMember(key.stringValue)
        if let value = try? Sample.value(type, into: child) { return value }
        return try T(from: ProbeDecoder(node: child, depth: depth + 1))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        // A member the decoder cannot build (deeper than the probe goes) stays in the template as a sample.
        try? decode(type, forKey: key)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try ProbeDecoder(node: node.addMember(key.stringValue), depth: depth + 1).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ProbeDecoder(node: node.addMember(key.stringValue), depth: depth + 1).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { ProbeDecoder(node: node, depth: depth + 1) }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        ProbeDecoder(node: node.addMember(key.stringValue), depth: depth + 1)
    }
}

private struct ProbeUnkeyed: UnkeyedDecodingContainer {
    let element: ProbeNode
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var count: Int? { 1 }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex >= 1 }

    init(element: ProbeNode, depth: Int) {
        self.element = element
        self.depth = depth
    }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try scalar(type) }
    mutating func decode(_ type: String.Type) throws -> String { try scalar(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try scalar(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try scalar(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try scalar(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try scalar(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try scalar(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try scalar(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try scalar(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try scalar(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try scalar(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try scalar(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try scalar(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try scalar(type) }

    private mutating func scalar<T>(_ type: T.Type) throws -> T {
        currentIndex += 1
        return try Sample.value(type, into: element)
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        currentIndex += 1
        if let value = try? Sample.value(type, into: element) { return value }
        return try T(from: ProbeDecoder(node: element, depth: depth + 1))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        currentIndex += 1
        return try ProbeDecoder(node: element, depth: depth + 1).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        currentIndex += 1
        return try ProbeDecoder(node: element, depth: depth + 1).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        currentIndex += 1
        return ProbeDecoder(node: element, depth: depth + 1)
    }
}

private struct ProbeSingle: SingleValueDecodingContainer {
    let node: ProbeNode
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { false }
    func decode(_ type: Bool.Type) throws -> Bool { try Sample.value(type, into: node) }
    func decode(_ type: String.Type) throws -> String { try Sample.value(type, into: node) }
    func decode(_ type: Double.Type) throws -> Double { try Sample.value(type, into: node) }
    func decode(_ type: Float.Type) throws -> Float { try Sample.value(type, into: node) }
    func decode(_ type: Int.Type) throws -> Int { try Sample.value(type, into: node) }
    func decode(_ type: Int8.Type) throws -> Int8 { try Sample.value(type, into: node) }
    func decode(_ type: Int16.Type) throws -> Int16 { try Sample.value(type, into: node) }
    func decode(_ type: Int32.Type) throws -> Int32 { try Sample.value(type, into: node) }
    func decode(_ type: Int64.Type) throws -> Int64 { try Sample.value(type, into: node) }
    func decode(_ type: UInt.Type) throws -> UInt { try Sample.value(type, into: node) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try Sample.value(type, into: node) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try Sample.value(type, into: node) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try Sample.value(type, into: node) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try Sample.value(type, into: node) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let value = try? Sample.value(type, into: node) { return value }
        return try T(from: ProbeDecoder(node: node, depth: 1))
    }
}
