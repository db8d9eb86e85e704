/// Manifest YAML the planner and end-to-end tests start from, so each test spells out only what it is about.
package enum ManifestFixtures {
    /// A dataset group `name`, the schema `name-interactions` and the INTERACTIONS dataset `name-interactions`
    /// importing `source`, formatted as `tailor fmt` leaves them.
    ///
    /// - Parameters:
    ///   - name: The dataset group's name, and the prefix of the schema's and the dataset's.
    ///   - source: The CSV file the dataset imports.
    ///   - eventValue: Whether the schema has the optional `EVENT_VALUE` column.
    /// - Returns: Three YAML documents, ending in a newline.
    package static func interactions(
        _ name: String, source: String = "data/interactions.csv", eventValue: Bool = true
    ) -> String {
        let eventValueField = eventValue ? "\n    - {name: EVENT_VALUE, type: float, nullable: true}" : ""
        return """
            apiVersion: tailor/v1
            kind: DatasetGroup
            metadata: {name: \(name)}
            ---
            apiVersion: tailor/v1
            kind: Schema
            metadata: {name: \(name)-interactions}
            spec:
              fields:
                - {name: USER_ID, type: string}
                - {name: ITEM_ID, type: string}
                - {name: TIMESTAMP, type: long}
                - {name: EVENT_TYPE, type: string}\(eventValueField)
            ---

            """ + dataset("\(name)-interactions", group: name, type: "INTERACTIONS", source: source)
    }

    /// A project file (`tailor.yaml`) called `name` whose `spec` is the YAML `spec`, indented under `spec:` so
    /// that its first line is line 5 of the file and its columns move two to the right.
    package static func project(_ spec: String, name: String = "p") -> String {
        "apiVersion: tailor/v1\nkind: Project\nmetadata: {name: \(name)}\nspec:\n" + indented(spec)
    }

    /// One manifest document of `kind` called `name`, its metadata in block style: `apiVersion` on line 1, `kind`
    /// on line 2, `name` on line 4, and `spec:` on line 5 with the YAML `spec` indented under it from line 6 on.
    /// Documents joined with `---\n` make a multi-document file.
    package static func document(_ kind: String, _ name: String, apiVersion: String = "tailor/v1", spec: String)
        -> String
    {
        "apiVersion: \(apiVersion)\nkind: \(kind)\nmetadata:\n  name: \(name)\nspec:\n" + indented(spec)
    }

    /// `yaml` with every line that is not empty indented by two spaces.
    static func indented(_ yaml: String) -> String {
        yaml.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  \($0)" }
            .joined(separator: "\n")
    }

    /// An ACTION_INTERACTIONS schema called `name`: USER_ID, ACTION_ID, TIMESTAMP and EVENT_TYPE.
    package static func actionInteractionsSchema(_ name: String) -> String {
        """
        apiVersion: tailor/v1
        kind: Schema
        metadata: {name: \(name)}
        spec:
          datasetType: ACTION_INTERACTIONS
          fields:
            - {name: USER_ID, type: string}
            - {name: ACTION_ID, type: string}
            - {name: TIMESTAMP, type: long}
            - {name: EVENT_TYPE, type: string}

        """
    }

    /// A dataset `name` of `type` in `group` importing `source`, with the schema of the same name unless
    /// `schema` names another.
    package static func dataset(
        _ name: String, group: String, type: String, schema: String? = nil, source: String
    ) -> String {
        """
        apiVersion: tailor/v1
        kind: Dataset
        metadata: {name: \(name)}
        spec:
          datasetGroup: \(group)
          type: \(type)
          schema: \(schema ?? name)
          import: {source: \(source)}

        """
    }

    /// A solution `name` of `recipe` in `group`, without automatic training, and its campaign of the same name.
    ///
    /// - Parameters:
    ///   - name: The solution's name, and the campaign's.
    ///   - group: The dataset group the solution trains on.
    ///   - recipe: The recipe's name.
    ///   - hidden: The `hidden_dimension` hyperparameter; nil leaves the recipe's default.
    ///   - campaign: Whether to add the campaign.
    /// - Returns: One or two YAML documents, ending in a newline.
    package static func solution(
        _ name: String, group: String, recipe: String = "aws-user-personalization", hidden: Int? = nil,
        campaign: Bool = true
    ) -> String {
        let hyperParameters = hidden.map { ", hyperParameters: {hidden_dimension: \"\($0)\"}" } ?? ""
        let solution = """
            apiVersion: tailor/v1
            kind: Solution
            metadata: {name: \(name)}
            spec: {datasetGroup: \(group), recipe: \(recipe), performAutoTraining: false\(hyperParameters)}

            """
        guard campaign else { return solution }
        return solution + """
            ---
            apiVersion: tailor/v1
            kind: Campaign
            metadata: {name: \(name)}
            spec: {solution: \(name)}

            """
    }
}
