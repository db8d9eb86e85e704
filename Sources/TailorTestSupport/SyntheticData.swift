/// Small deterministic interaction data with planted taste clusters, for tests that need a model to
/// learn something real.
public struct SyntheticData: Sendable {
    public let users: Int
    public let items: Int
    public let clusters: Int

    public init(users: Int = 120, items: Int = 60, clusters: Int = 4) {
        self.users = users
        self.items = items
        self.clusters = clusters
    }

    /// The cluster a user or item belongs to.
    public func cluster(ofUser user: Int) -> Int { user % clusters }
    public func cluster(ofItem item: Int) -> Int { item % clusters }

    /// An interactions CSV (`USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE`): each user interacts with
    /// `perUser` items, 90% from their own cluster, chosen by a seeded generator.
    public func interactionsCSV(perUser: Int = 15, seed: UInt64 = 7) -> String {
        var random = SplitMix(seed: seed)
        var lines = ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE"]
        var time = 1_600_000_000
        for user in 0..<users {
            var chosen = Set<Int>()
            while chosen.count < perUser {
                let ownCluster = random.next() % 10 != 0
                let cluster = ownCluster ? cluster(ofUser: user) : Int(random.next() % UInt64(clusters))
                let slot = Int(random.next() % UInt64(items / clusters))
                chosen.insert(slot * clusters + cluster)
            }
            for item in chosen.sorted() {
                time += 60
                let type = random.next() % 4 == 0 ? "purchase" : "click"
                lines.append("u\(user),i\(item),\(time),\(type),\(1 + random.next() % 5)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The Avro schema of ``interactionsCSV(perUser:seed:)``.
    public static let interactionsSchema = """
        {"type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
         "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
                    {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"},
                    {"name": "EVENT_VALUE", "type": ["null", "float"]}], "version": "1.0"}
        """
}

/// SplitMix64: a tiny seeded generator for test data.
public struct SplitMix: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
