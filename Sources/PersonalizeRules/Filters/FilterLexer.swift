package import EngineAPI
import Foundation

/// A problem in a filter expression, with the 1-based character position of the offending token.
package struct FilterExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
    package var message: String
    package var position: Int

    package init(_ message: String, at position: Int) {
        self.message = message
        self.position = position
    }

    package var description: String { "Unable to create filter. \(message) (at character \(position))" }

    /// The error as the service reports it.
    package var personalizeError: PersonalizeError { .invalidInput(description) }
}

/// One token of a filter expression.
package struct FilterToken: Sendable, Hashable {
    package enum Kind: Sendable, Hashable {
        case word(String)
        case parameter(String)
        case string(String)
        case number(String)
        case symbol(String)
        case end
    }

    package var kind: Kind
    /// 1-based character position of the token's first character.
    package var position: Int
    /// The token as written.
    package var text: String

    /// How a message names the token: `'WHER'`, or "the end of the expression".
    package var quoted: String {
        if case .end = kind { return "the end of the expression" }
        return "'\(text)'"
    }

    /// Whether the token is the keyword `keyword` (keywords are case-insensitive).
    package func isKeyword(_ keyword: String) -> Bool {
        if case .word(let word) = kind { return word.caseInsensitiveCompare(keyword) == .orderedSame }
        return false
    }

    package func isSymbol(_ symbol: String) -> Bool { kind == .symbol(symbol) }
}

/// Splits a filter expression into tokens.
package enum FilterLexer {
    /// The tokens of `expression`, ending with an `.end` token.
    ///
    /// - Throws: ``FilterExpressionError`` for a character the language does not use or an unterminated
    ///   string.
    package static func tokens(_ expression: String) throws -> [FilterToken] {
        let characters = Array(expression)
        var tokens: [FilterToken] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
                continue
            }
            let start = index
            let kind: FilterToken.Kind
            if isWordStart(character) {
                index = scan(characters, from: index + 1, while: isWordPart)
                kind = .word(String(characters[start..<index]))
            } else if character == "$" {
                index = scan(characters, from: index + 1, while: isWordPart)
                guard index > start + 1 else {
                    throw FilterExpressionError(
                        "'$' must be followed by a parameter name ([A-Za-z0-9_]+).", at: start + 1)
                }
                kind = .parameter(String(characters[(start + 1)..<index]))
            } else if character == "\"" {
                let (text, end) = try string(characters, from: index)
                index = end
                kind = .string(text)
            } else if character.isASCII, character.isNumber || (character == "-" && isDigit(characters, index + 1)) {
                index = scanNumber(characters, from: index)
                kind = .number(String(characters[start..<index]))
            } else if let symbol = symbol(characters, at: index) {
                index += symbol.count
                kind = .symbol(symbol)
            } else {
                throw FilterExpressionError("unexpected character '\(character)'.", at: start + 1)
            }
            tokens.append(FilterToken(kind: kind, position: start + 1, text: String(characters[start..<index])))
        }
        tokens.append(FilterToken(kind: .end, position: characters.count + 1, text: ""))
        return tokens
    }

    private static func isWordStart(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character == "_")
    }

    private static func isWordPart(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_")
    }

    private static func isDigit(_ characters: [Character], _ index: Int) -> Bool {
        index < characters.count && characters[index].isASCII && characters[index].isNumber
    }

    private static func scan(_ characters: [Character], from index: Int, while predicate: (Character) -> Bool) -> Int {
        var end = index
        while end < characters.count, predicate(characters[end]) { end += 1 }
        return end
    }

    private static func scanNumber(_ characters: [Character], from index: Int) -> Int {
        var end = scan(characters, from: index + 1) { $0.isASCII && $0.isNumber }
        if end < characters.count, characters[end] == ".", isDigit(characters, end + 1) {
            end = scan(characters, from: end + 1) { $0.isASCII && $0.isNumber }
        }
        return end
    }

    /// A double-quoted string starting at `index`; a backslash escapes the next character.
    private static func string(_ characters: [Character], from index: Int) throws -> (String, Int) {
        var text = ""
        var end = index + 1
        while end < characters.count {
            let character = characters[end]
            if character == "\"" { return (text, end + 1) }
            if character == "\\", end + 1 < characters.count {
                text.append(characters[end + 1])
                end += 2
                continue
            }
            text.append(character)
            end += 1
        }
        throw FilterExpressionError("the string starting here is not closed with '\"'.", at: index + 1)
    }

    private static func symbol(_ characters: [Character], at index: Int) -> String? {
        let next = index + 1 < characters.count ? characters[index + 1] : nil
        switch characters[index] {
        case "!" where next == "=": return "!="
        case "<" where next == "=": return "<="
        case ">" where next == "=": return ">="
        case "(", ")", ",", "|", "=", "<", ">", ".": return String(characters[index])
        default: return nil
        }
    }
}
