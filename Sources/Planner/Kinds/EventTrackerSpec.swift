/// `kind: EventTracker`: the dataset group's event tracker (one per group), whose `trackingId` applications
/// send PutEvents with; `${event-tracker.NAME.trackingId}` reads it.
///
/// ```yaml
/// kind: EventTracker
/// metadata: {name: shop-events}
/// spec: {datasetGroup: shop}
/// ```
package struct EventTrackerSpec: KindSpec {
    /// The dataset group whose Interactions dataset receives the events.
    package var datasetGroup: String

    static let definition = KindDefinition(
        kind: .eventTracker,
        fields: [
            FieldDefinition(
                "datasetGroup", .reference(.datasetGroup), required: true,
                "Dataset group whose Interactions dataset receives the events")
        ],
        supportsTags: true,
        parse: { spec, context in
            guard let group = context.reference(.datasetGroup, spec, "datasetGroup") else { return nil }
            return .eventTracker(EventTrackerSpec(datasetGroup: group))
        }
    )

    var fields: [String: SpecValue] { ["datasetGroup": .string(datasetGroup)] }
}

/// `kind: Filter`: a filter expression of the dataset group, for `filterArn` in recommendation requests.
/// Whitespace in the expression is not a change (it is collapsed before comparing); any other change
/// replaces the filter.
///
/// ```yaml
/// kind: Filter
/// metadata: {name: not-purchased}
/// spec:
///   datasetGroup: shop
///   expression: EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")
/// ```
package struct FilterSpec: KindSpec {
    /// The dataset group whose datasets the expression reads.
    package var datasetGroup: String
    /// The filter expression, whitespace collapsed.
    package var expression: String

    static let definition = KindDefinition(
        kind: .filter,
        fields: [
            FieldDefinition(
                "datasetGroup", .reference(.datasetGroup), required: true, "Dataset group whose datasets it reads"),
            FieldDefinition("expression", .string, required: true, "The filter expression (the guide's grammar)"),
        ],
        supportsTags: true,
        parse: { spec, context in
            guard let group = context.reference(.datasetGroup, spec, "datasetGroup"),
                let expression = spec.string("expression")
            else { return nil }
            return .filter(FilterSpec(datasetGroup: group, expression: normalized(expression)))
        }
    )

    /// The expression with runs of whitespace outside quotes collapsed to one space, trimmed.
    static func normalized(_ expression: String) -> String {
        var result = ""
        var quoted = false
        var pendingSpace = false
        for character in expression {
            if character == "\"" { quoted.toggle() }
            if !quoted, character.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" ") }
            pendingSpace = false
            result.append(character)
        }
        return result
    }

    var fields: [String: SpecValue] {
        ["datasetGroup": .string(datasetGroup), "expression": .string(expression)]
    }
}
