package import GRDB

/// Why one CSV cell does not fit its schema field.
package struct CellError: Error, Sendable {
    package let message: String
}

/// Converts a CSV cell to the SQLite value of its schema field, applying the guide's limits.
package enum CellParser {
    static let identifierFields: Set<String> = ["USER_ID", "ITEM_ID", "ACTION_ID"]
    static let maximumIdentifierLength = 256
    static let maximumCategoricalLength = 1000
    static let maximumImpressionLength = 1000
    static let maximumTextLength = 20_000

    package static func parse(
        _ cell: String, field: SchemaField, datasetType: DatasetType
    ) throws -> (any DatabaseValueConvertible)? {
        if cell.isEmpty {
            guard field.nullable else {
                throw CellError(message: "empty value, but the field is not nullable")
            }
            return nil
        }
        switch field.type {
        case .string:
            return try parseString(cell, field: field)
        case .int, .long:
            guard let value = Int64(cell) else {
                throw CellError(message: "'\(cell)' is not a whole number (\(field.type.rawValue))")
            }
            if field.type == .int, Int32(exactly: value) == nil {
                throw CellError(message: "'\(cell)' does not fit in an int")
            }
            return value
        case .float, .double:
            guard let value = Double(cell), value.isFinite else {
                throw CellError(message: "'\(cell)' is not a number (\(field.type.rawValue))")
            }
            return value
        case .boolean:
            switch cell.lowercased() {
            case "true": return 1
            case "false": return 0
            default: throw CellError(message: "'\(cell)' is not a boolean (true or false)")
            }
        }
    }

    private static func parseString(_ cell: String, field: SchemaField) throws -> String {
        if identifierFields.contains(field.name) {
            if cell.count > maximumIdentifierLength {
                throw CellError(message: "the ID is longer than \(maximumIdentifierLength) characters")
            }
            if cell.contains("\"") || cell.contains("\\") {
                throw CellError(message: "IDs cannot contain \" or \\ characters")
            }
            return cell
        }
        if field.name == "IMPRESSION", cell.count > maximumImpressionLength {
            throw CellError(
                message: "Length for IMPRESSION cannot exceed \(maximumImpressionLength) characters.")
        }
        if field.categorical {
            for value in cell.split(separator: "|") where value.count > maximumCategoricalLength {
                throw CellError(
                    message: "Length for \(field.name) cannot exceed \(maximumCategoricalLength) characters.")
            }
        }
        if field.textual, cell.count > maximumTextLength {
            return String(cell.prefix(maximumTextLength))
        }
        return cell
    }
}
