import Foundation

/// The rules that need the dataset group's schemas: fields must exist and have a type that can be
/// filtered on with the operator used.
package enum FilterSchemaRules {
    /// Resolves every field of `expression` against `schemas` (names match case-insensitively and are
    /// rewritten as the schema spells them).
    ///
    /// - Returns: `expression` with canonical field names.
    /// - Throws: ``FilterExpressionError`` naming the field and its position.
    package static func resolve(
        _ expression: FilterExpression, schemas: [DatasetType: AvroSchema]
    ) throws -> FilterExpression {
        var resolved = expression
        for index in resolved.statements.indices {
            var statement = resolved.statements[index]
            statement.condition = try resolve(statement.condition, schemas)
            statement.guards = try statement.guards.map { try resolve($0, schemas) }
            resolved.statements[index] = statement
        }
        return resolved
    }

    private static func resolve(
        _ condition: FilterCondition, _ schemas: [DatasetType: AvroSchema]
    ) throws -> FilterCondition {
        switch condition {
        case .predicate(let predicate): .predicate(try resolve(predicate, schemas))
        case .all(let children): .all(try children.map { try resolve($0, schemas) })
        case .any(let children): .any(try children.map { try resolve($0, schemas) })
        }
    }

    private static func resolve(
        _ predicate: FilterPredicate, _ schemas: [DatasetType: AvroSchema]
    ) throws -> FilterPredicate {
        var resolved = predicate
        let field = try schemaField(predicate.field, schemas)
        resolved.field.name = field.name
        switch predicate.value {
        case .field(let reference):
            let other = try schemaField(reference, schemas)
            resolved.value = .field(
                FieldReference(dataset: reference.dataset, name: other.name, position: reference.position))
            try checkComparable(field, other, predicate, reference)
        case .literals(let literals):
            try checkOperator(field, predicate)
            try checkLiterals(literals, field, predicate)
        case .parameter:
            try checkOperator(field, predicate)
        }
        return resolved
    }

    private static func schemaField(
        _ reference: FieldReference, _ schemas: [DatasetType: AvroSchema]
    ) throws -> SchemaField {
        let type = reference.dataset.datasetType
        guard let schema = schemas[type] else {
            throw FilterExpressionError(
                "'\(reference)' needs a \(type.rawValue) dataset, and the dataset group has none.",
                at: reference.position)
        }
        guard let field = schema.fields.first(where: { $0.name.caseInsensitiveCompare(reference.name) == .orderedSame })
        else {
            let names = schema.fields.map(\.name).joined(separator: ", ")
            throw FilterExpressionError(
                "The \(type.rawValue) schema has no field '\(reference.name)' (in '\(reference)'); its fields are "
                    + "\(names).", at: reference.position)
        }
        if field.type == .boolean {
            throw FilterExpressionError(
                "Invalid expression: '\(reference)' is a boolean field, and boolean fields cannot be filtered on. "
                    + "Use a string field with \"True\"/\"False\" or an int/long field with 0/1.",
                at: reference.position)
        }
        if field.textual {
            throw FilterExpressionError(
                "'\(reference)' is unstructured text (textual), which cannot be filtered on.", at: reference.position)
        }
        return field
    }

    private static func checkOperator(_ field: SchemaField, _ predicate: FilterPredicate) throws {
        if predicate.op.isOrdering, !field.type.isNumeric {
            throw FilterExpressionError(
                "'\(predicate.op.rawValue)' compares numbers, but '\(predicate.field)' is a \(field.type.rawValue) "
                    + "field; use IN, NOT IN, = or !=.", at: predicate.position)
        }
    }

    private static func checkLiterals(
        _ literals: [FilterLiteral], _ field: SchemaField, _ predicate: FilterPredicate
    ) throws {
        guard field.type.isNumeric else { return }
        for literal in literals where Double(literal.text) == nil {
            throw FilterExpressionError(
                "'\(predicate.field)' is a \(field.type.rawValue) field; \"\(literal.text)\" is not a number.",
                at: predicate.position)
        }
    }

    private static func checkComparable(
        _ field: SchemaField, _ other: SchemaField, _ predicate: FilterPredicate, _ reference: FieldReference
    ) throws {
        try checkOperator(field, predicate)
        guard field.type.isNumeric == other.type.isNumeric else {
            throw FilterExpressionError(
                "'\(predicate.field)' (\(field.type.rawValue)) cannot be compared with '\(reference)' "
                    + "(\(other.type.rawValue)).", at: reference.position)
        }
    }
}
