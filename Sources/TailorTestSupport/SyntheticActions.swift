/// A small deterministic next-best-action world with planted tastes, as CSV files.
///
/// User `u`, action `a` and item `i` belong to clusters `u % clusters`, `a % clusters` and `i % clusters`. Each
/// user interacts with `itemsPerUser` items (85% of their own cluster) and is shown `exposuresPerUser` random
/// actions over three weeks from ``start``: every exposure is `Viewed`, then `Taken` with probability
/// `ownRate` for an action of the user's cluster (`otherRate` otherwise), else `Not taken` half of the time.
public struct SyntheticActions: Sendable {
    public let users: Int
    public let actions: Int
    public let items: Int
    public let clusters: Int
    public let itemsPerUser: Int
    public let exposuresPerUser: Int
    public let ownRate: Double
    public let otherRate: Double
    /// The first timestamp of the data (Unix seconds); everything happens within 21 days of it.
    public let start = 1_700_000_000

    public init(
        users: Int = 300, actions: Int = 12, items: Int = 40, clusters: Int = 4, itemsPerUser: Int = 10,
        exposuresPerUser: Int = 10, ownRate: Double = 0.6, otherRate: Double = 0.08
    ) {
        self.users = users
        self.actions = actions
        self.items = items
        self.clusters = clusters
        self.itemsPerUser = itemsPerUser
        self.exposuresPerUser = exposuresPerUser
        self.ownRate = ownRate
        self.otherRate = otherRate
    }

    /// The end of the data: 21 days after ``start``.
    public var end: Int { start + 21 * 86_400 }

    public func cluster(ofUser user: String) -> Int { (Int(user.dropFirst()) ?? 0) % clusters }
    public func cluster(ofAction action: String) -> Int { (Int(action.dropFirst()) ?? 0) % clusters }

    /// Item interactions in the shape of ``SyntheticData/interactionsSchema``.
    public func itemInteractionsCSV(seed: UInt64 = 11) -> String {
        var random = SplitMix(seed: seed)
        var lines = ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE"]
        for user in 0..<users {
            for _ in 0..<itemsPerUser {
                let own = random.next() % 100 < 85
                let slot = Int(random.next() % UInt64(items / clusters))
                let cluster = own ? user % clusters : Int(random.next() % UInt64(clusters))
                let time = start + Int(random.next() % (21 * 86_400))
                lines.append("u\(user),i\(slot * clusters + cluster),\(time),click,1")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The Actions dataset: `ACTION_ID,VALUE,CATEGORY,REPEAT_FREQUENCY,ACTION_EXPIRATION_TIMESTAMP` with the
    /// action's cluster as its category (`c0`…), value 5 and no repeat frequency or expiration.
    public func actionsCSV() -> String {
        var lines = ["ACTION_ID,VALUE,CATEGORY,REPEAT_FREQUENCY,ACTION_EXPIRATION_TIMESTAMP"]
        for action in 0..<actions { lines.append("a\(action),5,c\(action % clusters),,") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The Action interactions dataset: `USER_ID,ACTION_ID,TIMESTAMP,EVENT_TYPE`.
    public func actionInteractionsCSV(seed: UInt64 = 13) -> String {
        var random = SplitMix(seed: seed)
        var lines = ["USER_ID,ACTION_ID,TIMESTAMP,EVENT_TYPE"]
        func chance(_ probability: Double) -> Bool { Double(random.next() % 1_000_000) / 1_000_000 < probability }
        for user in 0..<users {
            for _ in 0..<exposuresPerUser {
                let action = Int(random.next() % UInt64(actions))
                let time = start + Int(random.next() % (21 * 86_400))
                lines.append("u\(user),a\(action),\(time),Viewed")
                if chance(action % clusters == user % clusters ? ownRate : otherRate) {
                    lines.append("u\(user),a\(action),\(time + 60),Taken")
                } else if chance(0.5) {
                    lines.append("u\(user),a\(action),\(time + 60),Not taken")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The Avro schema of ``actionsCSV()``.
    public static let actionsSchema = """
        {"type": "record", "name": "Actions", "namespace": "com.amazonaws.personalize.schema",
         "fields": [{"name": "ACTION_ID", "type": "string"}, {"name": "VALUE", "type": ["null", "long"]},
                    {"name": "CATEGORY", "type": ["null", "string"], "categorical": true},
                    {"name": "REPEAT_FREQUENCY", "type": ["null", "long"]},
                    {"name": "ACTION_EXPIRATION_TIMESTAMP", "type": ["null", "long"]}], "version": "1.0"}
        """

    /// The Avro schema of ``actionInteractionsCSV(seed:)``.
    public static let actionInteractionsSchema = """
        {"type": "record", "name": "ActionInteractions", "namespace": "com.amazonaws.personalize.schema",
         "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ACTION_ID", "type": "string"},
                    {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"},
                    {"name": "IMPRESSION", "type": ["null", "string"]},
                    {"name": "RECOMMENDATION_ID", "type": ["null", "string"]}], "version": "1.0"}
        """
}
