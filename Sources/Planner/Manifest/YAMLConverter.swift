import Yams

/// Converts Yams' nodes into ``YAMLNode``s within ``ManifestLimits``.
///
/// Yams resolves an alias (`*name`) to the node its anchor (`&name`) names, shared, so a "billion laughs" file
/// of a few hundred bytes costs Yams little; converting copies every alias, and everything after conversion
/// walks the copies. The converter therefore counts the nodes each alias adds and refuses the file past
/// ``ManifestLimits/aliasNodes``, naming the alias; it also refuses nesting deeper than
/// ``ManifestLimits/depth``, and merge keys (`<<`), which Tailor does not expand. An anchored node met again is
/// an alias: its conversion is reused, never redone.
struct YAMLConverter {
    let file: String
    private var text: TextPositions
    /// What the conversion found wrong.
    var diagnostics: [Diagnostic] = []
    /// Whether a limit was exceeded: the file is refused, and nothing more of it is converted.
    private(set) var refused = false
    /// Each anchored node converted, by its anchor's identity (anchors may be redefined under one name).
    private var anchored: [ObjectIdentifier: Converted] = [:]
    /// The nodes aliases added so far.
    private var aliasNodes = 0
    /// The byte offset in the text that the conversion has reached: where the next alias is looked for.
    private var cursor = 0

    private struct Converted {
        var node: YAMLNode?
        /// The node's count of nodes, its own included (a mapping's keys count too).
        var size: Int
        /// 1 for a scalar; one more than the highest child for a collection.
        var height: Int

        static let none = Converted(node: nil, size: 0, height: 0)
    }

    init(file: String, text: String) {
        self.file = file
        self.text = TextPositions(text)
    }

    /// The message for a file larger than ``ManifestLimits/fileBytes``.
    static func tooLarge(_ bytes: Int) -> String {
        "the file has \(bytes) bytes; a manifest, project or values file may have at most "
            + "\(ManifestLimits.describe(bytes: ManifestLimits.fileBytes)): split it into several files"
    }

    /// Converts one document; nil when it is refused.
    mutating func document(_ root: Node) -> YAMLNode? {
        let converted = convert(root, depth: 1)
        return refused ? nil : converted.node
    }

    private mutating func convert(_ node: Node, depth: Int) -> Converted {
        guard !refused else { return .none }
        guard let anchor = node.anchor else { return convertContent(node, depth: depth) }
        if let seen = anchored[ObjectIdentifier(anchor)] {
            return alias(seen, named: anchor.rawValue, depth: depth)
        }
        let converted = convertContent(node, depth: depth)
        anchored[ObjectIdentifier(anchor)] = converted
        return converted
    }

    /// An alias of a node already converted: reused, counted against the budget.
    private mutating func alias(_ seen: Converted, named name: String, depth: Int) -> Converted {
        let offset = text.alias(named: name, from: cursor)
        if let offset { cursor = offset + 1 }
        let location =
            offset.map { text.location(ofOffset: $0, file: file) } ?? text.location(ofOffset: cursor, file: file)
        aliasNodes += seen.size
        if aliasNodes > ManifestLimits.aliasNodes {
            return refuse(
                at: location,
                "the alias *\(name) expands the file past \(ManifestLimits.aliasNodes) nodes added by aliases "
                    + "(it repeats \(seen.size)); write the values out, or use fewer aliases")
        }
        if depth + seen.height - 1 > ManifestLimits.depth {
            return refuse(
                at: location, "the alias *\(name) nests the document more than \(ManifestLimits.depth) levels deep")
        }
        return seen
    }

    private mutating func convertContent(_ node: Node, depth: Int) -> Converted {
        if let mark = node.mark { cursor = max(cursor, text.offset(of: mark)) }
        let location = YAMLNode.location(node.mark, file: file)
        switch node {
        case .scalar(let scalar):
            let content = YAMLNode.Content.scalar(YAMLNode.resolve(node), text: scalar.string)
            return Converted(node: YAMLNode(content: content, location: location), size: 1, height: 1)
        case .sequence(let sequence):
            guard depth <= ManifestLimits.depth else { return refuse(at: location, Self.tooDeep) }
            var items: [YAMLNode] = []
            var converted = Converted(node: nil, size: 1, height: 1)
            for item in sequence {
                let child = convert(item, depth: depth + 1)
                guard !refused else { return .none }
                if let node = child.node { items.append(node) }
                converted.size += child.size
                converted.height = max(converted.height, child.height + 1)
            }
            converted.node = YAMLNode(content: .sequence(items), location: location)
            return converted
        case .mapping(let mapping):
            guard depth <= ManifestLimits.depth else { return refuse(at: location, Self.tooDeep) }
            return convert(mapping, at: location, depth: depth)
        case .alias:
            diagnostics.append(Diagnostic(at: location, "unresolved YAML alias"))
            return .none
        }
    }

    private mutating func convert(_ mapping: Node.Mapping, at location: SourceLocation, depth: Int) -> Converted {
        var entries: [YAMLNode.Entry] = []
        var converted = Converted(node: nil, size: 1, height: 1)
        for (key, value) in mapping {
            if let mark = key.mark, key.anchor == nil { cursor = max(cursor, text.offset(of: mark)) }
            let keyLocation = YAMLNode.location(key.mark, file: file)
            guard case .scalar(let scalar) = key else {
                diagnostics.append(Diagnostic(at: keyLocation, "mapping keys must be strings"))
                continue
            }
            if scalar.string == "<<", scalar.style == .plain || scalar.style == .any {
                diagnostics.append(
                    Diagnostic(
                        at: keyLocation,
                        "YAML merge keys ('<<') are not supported: write the fields out (an alias of a whole value, "
                            + "'key: *name', works)"))
                continue
            }
            let child = convert(value, depth: depth + 1)
            guard !refused else { return .none }
            converted.size += 1 + child.size
            converted.height = max(converted.height, child.height + 1)
            guard let node = child.node else { continue }
            entries.append(YAMLNode.Entry(key: scalar.string, keyLocation: keyLocation, value: node))
        }
        converted.node = YAMLNode(content: .mapping(entries), location: location)
        return converted
    }

    private static let tooDeep =
        "mappings and lists are nested more than \(ManifestLimits.depth) levels deep here; flatten the document"

    private mutating func refuse(at location: SourceLocation, _ message: String) -> Converted {
        refused = true
        diagnostics.append(Diagnostic(at: location, message))
        return .none
    }
}

/// Byte offsets, lines and columns of a text, for looking aliases up. Columns count Unicode scalars, as
/// libyaml's marks do; the last conversion is cached, since the converter asks in document order.
struct TextPositions {
    private let bytes: [UInt8]
    /// The byte offset of each line's start.
    private let lineStarts: [Int]
    private var last: (line: Int, column: Int, offset: Int) = (1, 1, 0)

    init(_ text: String) {
        bytes = Array(text.utf8)
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// The byte offset of a Yams mark (1-based line and column).
    mutating func offset(of mark: Mark) -> Int {
        guard mark.line >= 1, mark.line <= lineStarts.count else { return bytes.count }
        var (column, offset) = (1, lineStarts[mark.line - 1])
        if last.line == mark.line, last.column <= mark.column { (column, offset) = (last.column, last.offset) }
        while column < mark.column, offset < bytes.count, bytes[offset] != UInt8(ascii: "\n") {
            offset += 1
            while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            column += 1
        }
        last = (mark.line, column, offset)
        return offset
    }

    /// The offset of the first alias `*name` at or after `start`.
    func alias(named name: String, from start: Int) -> Int? {
        let needle = [UInt8(ascii: "*")] + Array(name.utf8)
        var offset = max(0, start)
        while offset + needle.count <= bytes.count {
            if bytes[offset] == UInt8(ascii: "*"), bytes[offset..<offset + needle.count].elementsEqual(needle),
                offset + needle.count == bytes.count || !Self.isAnchorByte(bytes[offset + needle.count])
            {
                return offset
            }
            offset += 1
        }
        return nil
    }

    /// The line and column of a byte offset.
    func location(ofOffset offset: Int, file: String) -> SourceLocation {
        let clamped = min(max(0, offset), bytes.count)
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= clamped { low = middle } else { high = middle - 1 }
        }
        let column = bytes[lineStarts[low]..<clamped].filter { $0 & 0xC0 != 0x80 }.count + 1
        return SourceLocation(file: file, line: low + 1, column: column)
    }

    /// Letters, digits, `-` and `_`: what libyaml allows in anchor names.
    static func isAnchorByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "_")
    }
}
