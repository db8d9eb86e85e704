/// Amazon Resource Names as Personalize writes them: `arn:aws:personalize:REGION:ACCOUNT:TYPE/NAME[/ID]`.
public struct ARN: Sendable, Hashable, CustomStringConvertible {
    /// The partition-qualified region, e.g. `local` or `us-east-1`.
    public var region: String
    /// The twelve-digit account.
    public var account: String
    /// The resource type, e.g. `dataset-group`, `solution`, `campaign`.
    public var resourceType: String
    /// The path after the type: a name, or `name/id` for child resources.
    public var resource: String

    public init(region: String, account: String, resourceType: String, resource: String) {
        self.region = region
        self.account = account
        self.resourceType = resourceType
        self.resource = resource
    }

    /// Parses an ARN string; returns nil when it is not a Personalize ARN.
    public init?(_ string: String) {
        let parts = string.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "personalize" else { return nil }
        let path = parts[5]
        guard let slash = path.firstIndex(of: "/") else { return nil }
        self.region = String(parts[3])
        self.account = String(parts[4])
        self.resourceType = String(path[..<slash])
        self.resource = String(path[path.index(after: slash)...])
        guard !resourceType.isEmpty, !resource.isEmpty else { return nil }
    }

    public var description: String { "arn:aws:personalize:\(region):\(account):\(resourceType)/\(resource)" }

    /// The ARN of a built-in recipe, e.g. `arn:aws:personalize:::recipe/aws-user-personalization`.
    public static func recipe(_ name: String) -> String { "arn:aws:personalize:::recipe/\(name)" }
}
