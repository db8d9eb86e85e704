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
