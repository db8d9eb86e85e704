import GRDBSQLite
package import PersonalizeRules

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why one CSV cell does not fit its schema field.
package struct CellError: Error, Sendable {
    package let message: String
}

/// How the cells of one schema field are checked and stored, decided once per import.
package struct CellRule: Sendable {
    enum Kind: Sendable {
        case identifier, impression, categorical, textual, text, integer(Bool), real, boolean
        /// `EVENT_TYPE` of an Action interactions dataset: stored in ``ActionEventType``'s spelling.
        case actionEventType
        /// An integer field the guide bounds (`VALUE` 1–10, `REPEAT_FREQUENCY` at most 30 days, of Actions).
        case boundedInteger(ClosedRange<Int64>, meaning: String)
    }

    static let maximumIdentifierLength = 256
    static let maximumCategoricalLength = 1000
    static let maximumImpressionLength = 1000
    static let maximumTextLength = 20_000
    /// The text limit for Chinese and Japanese (part 1 §7.4, part 3 §12.1).
    static let maximumChineseOrJapaneseTextLength = 7_000

    let field: SchemaField
    let kind: Kind

    /// The rule of `field` in a dataset of `type`.
    package init(_ field: SchemaField, in type: DatasetType) {
        self.field = field
        switch (type, field.name, field.type) {
        case (.actionInteractions, "EVENT_TYPE", .string):
            kind = .actionEventType
        case (.actions, "VALUE", .int), (.actions, "VALUE", .long):
            kind = .boundedInteger(1...10, meaning: "an action value from 1 to 10")
        case (.actions, "REPEAT_FREQUENCY", .int), (.actions, "REPEAT_FREQUENCY", .long):
            kind = .boundedInteger(0...30, meaning: "a repeat frequency of 0 to 30 days")
        default:
            kind = Self.kind(of: field)
        }
    }

    private static func kind(of field: SchemaField) -> Kind {
        switch field.type {
        case .string:
            if ["USER_ID", "ITEM_ID", "ACTION_ID"].contains(field.name) {
                .identifier
            } else if field.name == "IMPRESSION" {
                .impression
            } else if field.categorical {
                .categorical
            } else if field.textual {
                .textual
            } else {
                .text
            }
        case .int: .integer(true)
        case .long: .integer(false)
        case .float, .double: .real
        case .boolean: .boolean
        }
    }

    /// Checks `cell` and binds it to parameter `index` (1-based) of `statement`.
    ///
    /// - Throws: ``CellError`` saying what is wrong with the value.
    package func bind(_ cell: UnsafeBufferPointer<UInt8>, to statement: OpaquePointer, at index: Int32) throws {
        if cell.isEmpty {
            if field.nullable {
                sqlite3_bind_null(statement, index)
                return
            }
            switch kind {
            case .categorical, .textual, .text:
                // The empty string is a value of a `string` field: the service imports such cells of a field that
                // is not nullable (the VOD sample's titles without a year). IDs and numbers stay strict.
                sqlite3_bind_text(statement, index, "", 0, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
                return
            default:
                throw CellError(message: "empty value, but the field is not nullable")
            }
        }
        switch kind {
        case .identifier:
            if cell.count > Self.maximumIdentifierLength, scalarCount(cell) > Self.maximumIdentifierLength {
                throw CellError(message: "the ID is longer than \(Self.maximumIdentifierLength) characters")
            }
            if cell.contains(UInt8(ascii: "\"")) || cell.contains(UInt8(ascii: "\\")) {
                throw CellError(message: "IDs cannot contain \" or \\ characters")
            }
            try bindText(cell, statement, index)
        case .impression:
            if cell.count > Self.maximumImpressionLength, scalarCount(cell) > Self.maximumImpressionLength {
                throw CellError(message: Self.lengthMessage("IMPRESSION", Self.maximumImpressionLength))
            }
            try bindText(cell, statement, index)
        case .categorical:
            if cell.count > Self.maximumCategoricalLength {
                for value in cell.split(separator: UInt8(ascii: "|"))
                where value.count > Self.maximumCategoricalLength
                    && scalarCount(UnsafeBufferPointer(rebasing: value)) > Self.maximumCategoricalLength
                {
                    throw CellError(message: Self.lengthMessage(field.name, Self.maximumCategoricalLength))
                }
            }
            try bindText(cell, statement, index)
        case .textual:
            // Fewer bytes than the smaller limit cannot exceed either limit: skip the language check.
            let limit =
                cell.count > Self.maximumChineseOrJapaneseTextLength && isChineseOrJapanese(cell)
                ? Self.maximumChineseOrJapaneseTextLength : Self.maximumTextLength
            try bindText(truncated(cell, to: limit), statement, index)
        case .text:
            try bindText(cell, statement, index)
        case .integer(let is32Bit):
            guard let value = parseInteger(cell) else {
                throw CellError(message: "'\(display(cell))' is not a whole number (\(field.type.rawValue))")
            }
            if is32Bit, Int32(exactly: value) == nil {
                throw CellError(message: "'\(display(cell))' does not fit in an int")
            }
            sqlite3_bind_int64(statement, index, value)
        case .real:
            guard let value = parseDouble(cell), value.isFinite else {
                throw CellError(message: "'\(display(cell))' is not a number (\(field.type.rawValue))")
            }
            sqlite3_bind_double(statement, index, value)
        case .actionEventType:
            guard let type = ActionEventType(parsing: String(decoding: cell, as: UTF8.self)) else {
                throw CellError(
                    message: "'\(display(cell))' is not an action interaction event type (\(ActionEventType.accepted))")
            }
            let canonical = Array(type.rawValue.utf8)
            try canonical.withUnsafeBufferPointer { try bindText($0, statement, index) }
        case .boundedInteger(let range, let meaning):
            guard let value = parseInteger(cell), range.contains(value) else {
                throw CellError(message: "'\(display(cell))' is not \(meaning)")
            }
            sqlite3_bind_int64(statement, index, value)
        case .boolean:
            switch String(decoding: cell, as: UTF8.self).lowercased() {
            case "true": sqlite3_bind_int64(statement, index, 1)
            case "false": sqlite3_bind_int64(statement, index, 0)
            default: throw CellError(message: "'\(display(cell))' is not a boolean (true or false)")
            }
        }
    }

    /// The guide's E5 (part 3 §8.6), verbatim.
    static func lengthMessage(_ column: String, _ limit: Int) -> String {
        "Length for \(column) cannot exceed \(limit) characters. If no value exceeds the character limit, make sure "
            + "your data follows the formatting guidelines at "
            + "https://docs.aws.amazon.com/personalize/latest/dg/data-prep-formatting.html"
    }

    private func bindText(_ cell: UnsafeBufferPointer<UInt8>, _ statement: OpaquePointer, _ index: Int32) throws {
        if !cell.allSatisfy({ $0 < 0x80 }), String(validating: cell, as: UTF8.self) == nil {
            throw CellError(message: "the value is not valid UTF-8")
        }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        sqlite3_bind_text(
            statement, index, UnsafeRawPointer(cell.baseAddress)?.assumingMemoryBound(to: CChar.self),
            Int32(cell.count), transient)
    }
}

/// Unicode scalars in UTF-8 bytes (bytes that do not continue a sequence).
private func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
}

/// Whether most letters of the text are Chinese characters or Japanese kana (the guide's 7,000-character
/// limit applies to Chinese and Japanese text).
private func isChineseOrJapanese(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var chineseOrJapanese = 0
    var other = 0
    for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars where scalar.properties.isAlphabetic {
        switch scalar.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F:
            chineseOrJapanese += 1
        default:
            other += 1
        }
    }
    return chineseOrJapanese > other
}

/// The prefix of `bytes` holding at most `limit` scalars.
private func truncated(_ bytes: UnsafeBufferPointer<UInt8>, to limit: Int) -> UnsafeBufferPointer<UInt8> {
    guard bytes.count > limit else { return bytes }
    var scalars = 0
    for (offset, byte) in bytes.enumerated() where byte & 0xC0 != 0x80 {
        if scalars == limit { return UnsafeBufferPointer(rebasing: bytes[..<offset]) }
        scalars += 1
    }
    return bytes
}

private func parseInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
    var index = 0
    var negative = false
    if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
        negative = bytes[0] == UInt8(ascii: "-")
        index = 1
    }
    guard index < bytes.count else { return nil }
    var value: Int64 = 0
    while index < bytes.count {
        let digit = bytes[index] &- UInt8(ascii: "0")
        guard digit < 10 else { return nil }
        let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = times.addingReportingOverflow(negative ? -Int64(digit) : Int64(digit))
        guard !overflow1, !overflow2 else { return nil }
        value = sum
        index += 1
    }
    return value
}

private func parseDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
    guard bytes.count < 64 else { return Double(String(decoding: bytes, as: UTF8.self)) }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 65) { buffer -> Double? in
        guard let base = buffer.baseAddress else { return nil }
        for (offset, byte) in bytes.enumerated() {
            guard byte > 0x20, byte < 0x7F else { return nil }
            base[offset] = CChar(bitPattern: byte)
        }
        base[bytes.count] = 0
        var endPointer: UnsafeMutablePointer<CChar>?
        let value = strtod(base, &endPointer)
        guard endPointer == base + bytes.count else { return nil }
        return value
    }
}

/// A cell shown in a message: at most 40 characters.
private func display(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    let text = String(decoding: bytes, as: UTF8.self)
    return text.count > 40 ? String(text.prefix(40)) + "…" : text
}
