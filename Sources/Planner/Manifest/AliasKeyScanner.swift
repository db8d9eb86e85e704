/// Finds aliases used in mapping keys before Yams sees the text.
///
/// Yams checks a mapping for duplicate keys by hashing every key, and hashing a key walks all of it, aliases
/// expanded: one key that is an alias of a "billion laughs" node takes minutes, before the converter can count
/// anything. Tailor's keys are plain strings, so in a file that has aliases this scanner refuses any alias (or
/// flow collection holding one) in a key position, and explicit keys (`? `). It reads the text as YAML's
/// scanner does, as far as that matters here: comments, quoted and block scalars are skipped, and `*` counts as
/// an alias only where a node may start; it errs on the side of refusing.
enum AliasKeyScanner {
    /// The problem, or nil when no alias can be in a key (or the text has no alias at all).
    static func problem(in text: String, file: String) -> Diagnostic? {
        guard text.utf8.contains(UInt8(ascii: "*")) else { return nil }
        var scanner = Scanner(bytes: Array(text.utf8), file: file)
        return scanner.scan()
    }

    private struct Frame {
        var isMapping: Bool
        var expectingKey: Bool
        var holdsAlias = false
        var isKey: Bool
    }

    private struct Scanner {
        let bytes: [UInt8]
        let file: String
        var offset = 0
        var line = 1
        var lineStart = 0
        var flows: [Frame] = []
        /// Whether a node may start here (after indentation, `- `, `: `, `? `, `[`, `{`, `,` or a property).
        var nodeMayStart = true
        var sawAlias = false
        var explicitKey: SourceLocation?
        var found: Diagnostic?

        init(bytes: [UInt8], file: String) {
            self.bytes = bytes
            self.file = file
        }

        mutating func scan() -> Diagnostic? {
            while offset < bytes.count, found == nil {
                let byte = bytes[offset]
                switch byte {
                case UInt8(ascii: "\n"): newLine()
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): offset += 1
                case UInt8(ascii: "#") where isSpaceBefore(offset): skipLine()
                case UInt8(ascii: "'") where nodeMayStart: skipQuoted(byte)
                case UInt8(ascii: "\"") where nodeMayStart: skipQuoted(byte)
                case UInt8(ascii: "|") where nodeMayStart && flows.isEmpty: skipBlockScalar()
                case UInt8(ascii: ">") where nodeMayStart && flows.isEmpty: skipBlockScalar()
                case UInt8(ascii: "*") where nodeMayStart && isAnchorByte(at: offset + 1): alias()
                case UInt8(ascii: "&") where nodeMayStart: skipWord()
                case UInt8(ascii: "!") where nodeMayStart: skipWord()
                case UInt8(ascii: "?") where nodeMayStart && isBlankOrEnd(at: offset + 1):
                    if explicitKey == nil { explicitKey = location(of: offset) }
                    offset += 1
                case UInt8(ascii: "-") where nodeMayStart && flows.isEmpty && isBlankOrEnd(at: offset + 1): offset += 1
                case UInt8(ascii: "[") where nodeMayStart: open(isMapping: false)
                case UInt8(ascii: "{") where nodeMayStart: open(isMapping: true)
                case UInt8(ascii: "]") where !flows.isEmpty: close()
                case UInt8(ascii: "}") where !flows.isEmpty: close()
                case UInt8(ascii: ",") where !flows.isEmpty:
                    if flows[flows.count - 1].isMapping { flows[flows.count - 1].expectingKey = true }
                    nodeMayStart = true
                    offset += 1
                case UInt8(ascii: ":") where isValueIndicator(at: offset):
                    if !flows.isEmpty, flows[flows.count - 1].isMapping { flows[flows.count - 1].expectingKey = false }
                    nodeMayStart = true
                    offset += 1
                default: plainScalar()
                }
            }
            if found == nil, sawAlias, let explicitKey {
                found = Diagnostic(
                    at: explicitKey,
                    "explicit mapping keys ('? ') cannot be used in a file that has aliases; Tailor's keys are strings")
            }
            return found
        }

        private mutating func alias() {
            let start = offset
            sawAlias = true
            offset += 1
            while offset < bytes.count, isAnchorByte(at: offset) { offset += 1 }
            let name = String(decoding: bytes[start..<offset], as: UTF8.self)
            if !flows.isEmpty {
                flows[flows.count - 1].holdsAlias = true
                if flows[flows.count - 1].isMapping, flows[flows.count - 1].expectingKey {
                    return refuse(at: start, "the alias \(name) is a key of a flow mapping")
                }
            }
            if nextIsValueIndicator() { return refuse(at: start, "the alias \(name) is used as a mapping key") }
            nodeMayStart = false
        }

        private mutating func open(isMapping: Bool) {
            let isKey = flows.last.map { $0.isMapping && $0.expectingKey } ?? false
            flows.append(Frame(isMapping: isMapping, expectingKey: isMapping, isKey: isKey))
            nodeMayStart = true
            offset += 1
        }

        private mutating func close() {
            let start = offset
            let frame = flows.removeLast()
            offset += 1
            nodeMayStart = false
            guard frame.holdsAlias else { return }
            if !flows.isEmpty { flows[flows.count - 1].holdsAlias = true }
            if frame.isKey || nextIsValueIndicator() {
                refuse(at: start, "a collection holding an alias is used as a mapping key")
            }
        }

        private mutating func refuse(at offset: Int, _ what: String) {
            found = Diagnostic(
                at: location(of: offset), "\(what); Tailor's mapping keys are strings: write the key out")
        }

        private mutating func newLine() {
            offset += 1
            line += 1
            lineStart = offset
            nodeMayStart = true
        }

        private mutating func skipLine() {
            while offset < bytes.count, bytes[offset] != UInt8(ascii: "\n") { offset += 1 }
        }

        private mutating func skipQuoted(_ quote: UInt8) {
            offset += 1
            while offset < bytes.count {
                let byte = bytes[offset]
                if byte == UInt8(ascii: "\n") {
                    offset += 1
                    line += 1
                    lineStart = offset
                    continue
                }
                if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
                    offset += bytes.count > offset + 1 && bytes[offset + 1] == UInt8(ascii: "\n") ? 1 : 2
                    continue
                }
                offset += 1
                if byte == quote {
                    guard quote == UInt8(ascii: "'"), offset < bytes.count, bytes[offset] == quote else { break }
                    offset += 1
                }
            }
            nodeMayStart = false
        }

        /// A `|` or `>` scalar: its header line, then every line indented more than the indicator's line, or
        /// blank.
        private mutating func skipBlockScalar() {
            let parent = indentation(ofLineAt: lineStart)
            skipLine()
            while offset < bytes.count {
                let next = offset + 1
                guard next < bytes.count else { break }
                let blank = isBlankLine(at: next)
                guard blank || indentation(ofLineAt: next) > parent else { break }
                newLine()
                skipLine()
            }
        }

        /// An anchor or a tag: a node may still start after it.
        private mutating func skipWord() {
            while offset < bytes.count, !isBlank(bytes[offset]), !isFlowIndicator(bytes[offset]) || flows.isEmpty {
                offset += 1
            }
        }

        /// A plain scalar: up to `: `, ` #`, the end of the line, or (in a flow) a flow indicator.
        private mutating func plainScalar() {
            offset += 1
            while offset < bytes.count {
                let byte = bytes[offset]
                if byte == UInt8(ascii: "\n") || (byte == UInt8(ascii: "#") && isSpaceBefore(offset)) { break }
                if byte == UInt8(ascii: ":"), isValueIndicator(at: offset) { break }
                if !flows.isEmpty, isFlowIndicator(byte) { break }
                offset += 1
            }
            nodeMayStart = false
        }

        private func nextIsValueIndicator() -> Bool {
            var next = offset
            while next < bytes.count, bytes[next] == UInt8(ascii: " ") || bytes[next] == UInt8(ascii: "\t") {
                next += 1
            }
            return next < bytes.count && bytes[next] == UInt8(ascii: ":")
                && (isBlankOrEnd(at: next + 1) || !flows.isEmpty)
        }

        /// `:` followed by a blank (or, in a flow, anything: `{"a":1}`).
        private func isValueIndicator(at index: Int) -> Bool {
            isBlankOrEnd(at: index + 1)
                || (!flows.isEmpty && (index + 1 >= bytes.count || isFlowIndicator(bytes[index + 1])))
                || (!flows.isEmpty && index > 0 && [UInt8(ascii: "\""), UInt8(ascii: "'")].contains(bytes[index - 1]))
        }

        private func isSpaceBefore(_ index: Int) -> Bool {
            index == 0 || isBlank(bytes[index - 1])
        }

        private func isBlankOrEnd(at index: Int) -> Bool {
            index >= bytes.count || isBlank(bytes[index])
        }

        private func isBlank(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r")
        }

        private func isFlowIndicator(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
                || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")
        }

        private func isAnchorByte(at index: Int) -> Bool {
            index < bytes.count && TextPositions.isAnchorByte(bytes[index])
        }

        private func indentation(ofLineAt start: Int) -> Int {
            var index = start
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
            return index - start
        }

        private func isBlankLine(at start: Int) -> Bool {
            var index = start
            while index < bytes.count, bytes[index] != UInt8(ascii: "\n") {
                if !isBlank(bytes[index]) { return false }
                index += 1
            }
            return true
        }

        private func location(of index: Int) -> SourceLocation {
            let column = bytes[lineStart..<index].filter { $0 & 0xC0 != 0x80 }.count + 1
            return SourceLocation(file: file, line: line, column: column)
        }
    }
}
