import Foundation

/// `tailor fmt`: the canonical layout of a manifest file, comments kept.
///
/// - Indentation of two spaces per level (block scalars keep their inner layout, shifted with their key).
/// - A document's top-level keys in the order `apiVersion`, `kind`, `metadata`, `spec`, `lifecycle`, then any
///   others; comments above a key move with it, comments above the first key stay at the top.
/// - `- ` sequence items with one space; no trailing whitespace; line feeds only; at most one blank line in a
///   row; none at the start or end; one line feed at the end.
///
/// The result is parsed again and must mean exactly what the original meant, or the file is left alone.
package enum ManifestFormatter {
    /// The canonical top-level key order.
    static let keyOrder = ["apiVersion", "kind", "metadata", "spec", "lifecycle"]

    /// The formatted text.
    ///
    /// - Parameters:
    ///   - text: The file's text.
    ///   - file: Its path, for diagnostics.
    /// - Returns: The canonical text (equal to `text` when it is already formatted).
    /// - Throws: ``DiagnosticsError`` when the file is not valid YAML, or formatting would change its meaning.
    package static func format(_ text: String, file: String) throws(DiagnosticsError) -> String {
        let original = YAMLNode.documents(in: text, file: file)
        guard !original.diagnostics.containsErrors else { throw DiagnosticsError(original.diagnostics) }
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false
        ).map(String.init)
        var documents: [[String]] = [[]]
        for line in lines {
            if line == "---" || line.hasPrefix("--- ") || line == "..." {
                documents.append([line])
            } else {
                documents[documents.count - 1].append(line)
            }
        }
        let formatted = documents.enumerated().map { index, document -> [String] in
            let separator = index > 0 ? [document[0]] : []
            let body = Reindenter.reindent(index > 0 ? Array(document.dropFirst()) : document)
            return separator + tidy(reorder(body))
        }
        var result = formatted.flatMap { $0 }
        while result.first == "" { result.removeFirst() }
        while result.last == "" { result.removeLast() }
        let output = result.joined(separator: "\n") + "\n"
        let check = YAMLNode.documents(in: output, file: file)
        guard check.documents.map({ $0?.specValue }) == original.documents.map({ $0?.specValue }) else {
            throw DiagnosticsError([
                Diagnostic(at: .file(file), "tailor fmt cannot lay this file out safely; it is left as it is")
            ])
        }
        return output
    }

    /// Blank lines: none at the start of a document, at most one in a row.
    private static func tidy(_ lines: [String]) -> [String] {
        var result: [String] = []
        for line in lines {
            if line.isEmpty, result.isEmpty || result.last == "" { continue }
            result.append(line)
        }
        return result
    }

    /// The document's top-level keys in canonical order, comments moving with the key below them.
    private static func reorder(_ lines: [String]) -> [String] {
        var header: [String] = []
        var chunks: [(key: String, lines: [String])] = []
        var pending: [String] = []
        for line in lines {
            if let key = topLevelKey(line) {
                if chunks.isEmpty {
                    header += pending.filter { !$0.isEmpty || !header.isEmpty }
                    pending = []
                }
                chunks.append((key, pending + [line]))
                pending = []
            } else if line.hasPrefix("#") || line.isEmpty || chunks.isEmpty {
                pending.append(line)
            } else {
                chunks[chunks.count - 1].lines += pending + [line]
                pending = []
            }
        }
        guard chunks.count > 1, Set(chunks.map(\.key)).count == chunks.count else { return lines }
        let rank = { (key: String) in keyOrder.firstIndex(of: key) ?? keyOrder.count }
        let sorted = chunks.enumerated().sorted {
            (rank($0.element.key), $0.offset) < (rank($1.element.key), $1.offset)
        }
        return header + sorted.flatMap { $0.element.lines } + pending
    }

    /// The key of a top-level mapping line (`kind: Solution`), if the line is one.
    private static func topLevelKey(_ line: String) -> String? {
        guard let first = line.first, first != " ", first != "#", first != "-", let colon = line.firstIndex(of: ":")
        else { return nil }
        let after = line.index(after: colon)
        guard after == line.endIndex || line[after] == " " else { return nil }
        let key = String(line[..<colon])
        return key.contains(" ") || key.contains("{") || key.contains("\"") ? nil : key
    }
}

/// Re-indents lines to two spaces per level by the structure their indentation shows.
enum Reindenter {
    static func reindent(_ lines: [String]) -> [String] {
        var stack: [(original: Int, canonical: Int)] = [(0, 0)]
        var output: [String] = Array(repeating: "", count: lines.count)
        var block: (parent: Int, first: Int?, canonical: Int)?
        var comments: [Int] = []
        for (index, raw) in lines.enumerated() {
            let indent = raw.prefix { $0 == " " }.count
            let content = String(raw.dropFirst(indent))
            if let current = block {
                if content.isEmpty { output[index] = ""; continue }
                if indent > current.parent {
                    let first = current.first ?? indent
                    block?.first = first
                    output[index] = String(repeating: " ", count: max(0, current.canonical + indent - first)) + content
                    continue
                }
                block = nil
            }
            let trimmed = trailingWhitespaceRemoved(content)
            if trimmed.isEmpty {
                output[index] = ""
                continue
            }
            if trimmed.hasPrefix("#") {
                comments.append(index)
                output[index] = trimmed
                continue
            }
            while stack.count > 1, let last = stack.last, last.original > indent { stack.removeLast() }
            var canonical = stack[stack.count - 1].canonical
            if let last = stack.last, indent > last.original {
                canonical = last.canonical + 2
                stack.append((indent, canonical))
            }
            let line = normaliseDash(trimmed)
            output[index] = String(repeating: " ", count: canonical) + line
            for comment in comments where lines[comment].first != "#" {
                output[comment] = String(repeating: " ", count: canonical) + output[comment]
            }
            comments = []
            if opensBlockScalar(line) {
                let base = canonical + (line.hasPrefix("- ") ? 2 : 0)
                block = (parent: indent, first: nil, canonical: base + 2)
            }
        }
        for comment in comments where lines[comment].first != "#" {
            output[comment] = trailingWhitespaceRemoved(lines[comment])
        }
        return output
    }

    /// The line without trailing whitespace (a regular expression's backtracking is quadratic on a long run of
    /// spaces that is not at the end).
    private static func trailingWhitespaceRemoved(_ line: String) -> String {
        var end = line.endIndex
        while end > line.startIndex, line[line.index(before: end)].isWhitespace { end = line.index(before: end) }
        return String(line[..<end])
    }

    /// `-   item` as `- item`.
    private static func normaliseDash(_ line: String) -> String {
        guard line.hasPrefix("-"), line.count > 1, line.dropFirst().first == " " else { return line }
        return "- " + line.dropFirst().drop { $0 == " " }
    }

    /// Whether the line ends with a block scalar indicator (`key: |`, `- >-`), ignoring a trailing comment.
    private static func opensBlockScalar(_ line: String) -> Bool {
        let code = line.range(of: " #").map { String(line[..<$0.lowerBound]) } ?? line
        guard let last = code.split(separator: " ").last else { return false }
        return last.first == "|" || last.first == ">"
            ? last.dropFirst().allSatisfy { "+-123456789".contains($0) } : false
    }
}
