/// `kind: Campaign`: a deployment of a solution's latest trained version.
///
/// ```yaml
/// kind: Campaign
/// metadata: {name: top-picks}
/// spec: {solution: top-picks, minProvisionedTPS: 1}
/// ```
package struct CampaignSpec: KindSpec {
    /// The name of the solution whose latest trained version the campaign serves.
    package var solution: String
    /// The minimum provisioned transactions per second (the service's default is 1).
    package var minProvisionedTPS: Int?

    static let definition = KindDefinition(
        kind: .campaign,
        fields: [
            FieldDefinition(
                "solution", .reference(.solution), required: true, update: .inPlace,
                "Solution whose latest trained version is deployed"),
            FieldDefinition(
                "minProvisionedTPS", .integer(1...1_000_000), update: .inPlace,
                "Minimum provisioned transactions per second"),
        ],
        supportsTags: true,
        parse: { spec, context in
            guard let solution = context.reference(.solution, spec, "solution") else { return nil }
            return .campaign(CampaignSpec(solution: solution, minProvisionedTPS: spec.int("minProvisionedTPS")))
        }
    )

    var fields: [String: SpecValue] {
        var fields: [String: SpecValue] = ["solution": .string(solution)]
        fields["minProvisionedTPS"] = minProvisionedTPS.map(SpecValue.int)
        return fields
    }
}
