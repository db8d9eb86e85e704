import EngineAPI
import Foundation

/// The `filterValues` of a request: parameter name (without `$`, case-sensitive) → the values of the
/// guide's string form, `"\"comedy\", \"drama\""` (several quoted values, comma-separated). An
/// unquoted string such as `"25"` is taken as comma-separated bare values.
package struct FilterValues: Sendable, Hashable {
    package static let maximumEntries = 25
    package static let maximumKeyLength = 50
    package static let maximumValueLength = 1000

    package let values: [String: [String]]

    /// Checks the map against the service's limits and splits every value.
    ///
    /// - Throws: `InvalidInputException` naming the key.
    package init(_ raw: [String: String]?) throws {
        let raw = raw ?? [:]
        guard raw.count <= Self.maximumEntries else {
            throw PersonalizeError.invalidInput(
                "filterValues can hold at most \(Self.maximumEntries) entries; it has \(raw.count).")
        }
        var values: [String: [String]] = [:]
        for (key, value) in raw {
            let validKey = !key.isEmpty && key.count <= Self.maximumKeyLength && key.allSatisfy(Self.isKeyCharacter)
            guard validKey else {
                throw PersonalizeError.invalidInput(
                    "filterValues key '\(key)' must be 1-\(Self.maximumKeyLength) characters of [A-Za-z0-9_] "
                        + "(the parameter name without '$').")
            }
            guard value.count <= Self.maximumValueLength else {
                throw PersonalizeError.invalidInput(
                    "filterValues['\(key)'] is longer than \(Self.maximumValueLength) characters.")
            }
            values[key] = try Self.split(value, key: key)
        }
        self.values = values
    }

    package subscript(_ name: String) -> [String]? { values[name] }

    private static func isKeyCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_")
    }

    /// `"\"a\", \"b\""` → `["a", "b"]`; `"25"` → `["25"]`.
    static func split(_ text: String, key: String) throws -> [String] {
        let characters = Array(text)
        guard characters.contains("\"") else {
            return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        var values: [String] = []
        var index = 0
        while true {
            while index < characters.count, characters[index].isWhitespace { index += 1 }
            guard index < characters.count, characters[index] == "\"" else {
                throw malformed(key, text)
            }
            var value = ""
            index += 1
            while index < characters.count, characters[index] != "\"" {
                if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                value.append(characters[index])
                index += 1
            }
            guard index < characters.count else { throw malformed(key, text) }
            values.append(value)
            index += 1
            while index < characters.count, characters[index].isWhitespace { index += 1 }
            if index == characters.count { return values }
            guard characters[index] == "," else { throw malformed(key, text) }
            index += 1
        }
    }

    private static func malformed(_ key: String, _ text: String) -> PersonalizeError {
        .invalidInput(
            "filterValues['\(key)'] is \(text); write each value in double quotes, separated by commas, "
                + #"e.g. "\"comedy\", \"drama\"""#)
    }
}
