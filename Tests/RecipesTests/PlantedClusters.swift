@testable import Recipes

/// A synthetic data set with planted taste clusters, generated from a seed.
///
/// Items are split into `clusters` contiguous blocks; user `u` belongs to cluster `u % clusters` and draws
/// most of its interactions from its own block (skewed towards the block's first items), the rest from the whole
/// catalogue.
struct PlantedClusters {
    let users: Int
    let items: Int
    let clusters: Int
    let events: [Event]

    init(users: Int = 300, items: Int = 200, clusters: Int = 5, perUser: Int = 20, seed: UInt64 = 1) {
        self.users = users
        self.items = items
        self.clusters = clusters
        var generator = SeededGenerator(seed: seed)
        let blockSize = items / clusters
        var events: [Event] = []
        for user in 0..<users {
            let cluster = user % clusters
            var chosen = Set<Int32>()
            while chosen.count < perUser {
                let skewed = generator.nextUnitFloat() * generator.nextUnitFloat()
                let item: Int
                if generator.nextUnitFloat() < 0.85 {
                    item = cluster * blockSize + Int(skewed * Float(blockSize))
                } else {
                    item = Int(skewed * Float(items))
                }
                chosen.insert(Int32(item))
            }
            for item in chosen.sorted() {
                let timestamp = Int64(generator.next() % 1_000_000)
                events.append(Event(user: Int32(user), item: item, timestamp: timestamp))
            }
        }
        self.events = events
    }

    /// The cluster whose block holds `item`.
    func cluster(ofItem item: Int32) -> Int { Int(item) / (items / clusters) }

    /// The users × items matrix of `events`.
    func matrix(_ events: [Event]) -> SparseMatrix {
        SparseMatrix(rows: users, cols: items, entries: events.map { ($0.user, $0.item, $0.value) })
    }
}

extension ALSFactorParameters {
    /// These parameters with 8 factors and 8 sweeps: enough to learn ``PlantedClusters``' tastes, and quick.
    var small: Self {
        var parameters = self
        parameters.factors = 8
        parameters.iterations = 8
        return parameters
    }

    /// These parameters on `threads` worker threads.
    func on(threads: Int) -> Self {
        var parameters = self
        parameters.threads = threads
        return parameters
    }
}
