/// `kind: DatasetGroup`: the container of datasets, solutions and campaigns.
///
/// ```yaml
/// kind: DatasetGroup
/// metadata: {name: movielens}
/// spec: {domain: VIDEO_ON_DEMAND}   # optional; so is spec
/// ```
package struct DatasetGroupSpec: KindSpec {
    /// `ECOMMERCE` or `VIDEO_ON_DEMAND` for a domain dataset group; nil for a custom one.
    package var domain: String?
    /// The IAM role the service assumes (ignored by the local engine).
    package var roleArn: String?
    /// The KMS key that encrypts the group's data (ignored by the local engine).
    package var kmsKeyArn: String?

    static let definition = KindDefinition(
        kind: .datasetGroup,
        fields: [
            FieldDefinition("domain", .oneOf(["ECOMMERCE", "VIDEO_ON_DEMAND"]), "Domain of a domain dataset group"),
            FieldDefinition("roleArn", .string, "IAM role the service assumes to use the KMS key"),
            FieldDefinition("kmsKeyArn", .string, "KMS key that encrypts the group's datasets"),
        ],
        supportsTags: true,
        parse: { spec, _ in
            .datasetGroup(
                DatasetGroupSpec(
                    domain: spec.string("domain"), roleArn: spec.string("roleArn"), kmsKeyArn: spec.string("kmsKeyArn"))
            )
        }
    )

    var fields: [String: SpecValue] {
        var fields: [String: SpecValue] = [:]
        fields["domain"] = domain.map(SpecValue.string)
        fields["roleArn"] = roleArn.map(SpecValue.string)
        fields["kmsKeyArn"] = kmsKeyArn.map(SpecValue.string)
        return fields
    }
}
