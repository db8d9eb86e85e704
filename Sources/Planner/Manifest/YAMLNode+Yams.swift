import Yams

extension YAMLNode {
    /// Parses every document of a YAML stream, keeping positions, within ``ManifestLimits``: the file's size,
    /// the nesting depth, and the nodes aliases may add.
    ///
    /// - Parameters:
    ///   - yaml: The file's text.
    ///   - file: The path to put in locations.
    /// - Returns: The documents (nil for an empty document) and the problems found.
    static func documents(in yaml: String, file: String) -> (documents: [YAMLNode?], diagnostics: [Diagnostic]) {
        let start = SourceLocation(file: file, line: 1, column: 1)
        guard yaml.utf8.count <= ManifestLimits.fileBytes else {
            return ([], [Diagnostic(at: start, YAMLConverter.tooLarge(yaml.utf8.count))])
        }
        if let problem = AliasKeyScanner.problem(in: yaml, file: file) { return ([], [problem]) }
        var documents: [YAMLNode?] = []
        var converter = YAMLConverter(file: file, text: yaml)
        do {
            let parser = try Parser(yaml: yaml, resolver: .basic)
            while let root = try parser.nextRoot() {
                documents.append(converter.document(root))
                if converter.refused { break }
            }
        } catch let error as YamlError {
            converter.diagnostics.append(Self.diagnostic(for: error, file: file))
        } catch {
            converter.diagnostics.append(Diagnostic(at: start, "cannot parse YAML: \(error)"))
        }
        return (documents, converter.diagnostics)
    }

    /// The scalar's type: an explicit tag's, else YAML 1.1's rules for plain scalars; quoted ones are strings.
    static func resolve(_ node: Node) -> Scalar {
        guard case .scalar(let scalar) = node else { return .string("") }
        let text = scalar.string
        switch Tag.Name(rawValue: node.tag.rawValue) {
        case .str:
            return scalar.style == .plain || scalar.style == .any ? PlainScalar.resolve(text) : .string(text)
        case .null: return .null
        case .bool:
            if case .bool(let value) = PlainScalar.resolve(text) { return .bool(value) }
            return .string(text)
        case .int: return PlainScalar.integer(text).map(Scalar.int) ?? .string(text)
        case .float: return PlainScalar.float(text).map(Scalar.float) ?? .string(text)
        default: return .string(text)
        }
    }

    static func location(_ mark: Mark?, file: String) -> SourceLocation {
        guard let mark else { return .file(file) }
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    private static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text); " } ?? ""
            return Diagnostic(at: location(mark, file: file), "invalid YAML: \(prefix)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return Diagnostic(at: location(context.mark, file: file), "duplicate key \(keys) in mapping")
        case .reader(let problem, let offset, _, let yaml):
            return Diagnostic(at: location(offset: offset, in: yaml, file: file), "invalid YAML: \(problem)")
        default:
            return Diagnostic(at: SourceLocation(file: file, line: 1, column: 1), "invalid YAML: \(error)")
        }
    }

    /// The line and column of a byte offset (where the reader stopped); the file's start when unknown.
    private static func location(offset: Int?, in yaml: String, file: String) -> SourceLocation {
        var line = 1
        var column = 1
        for byte in yaml.utf8.prefix(max(0, offset ?? 0)) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }
}
