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

/// What a recipe's model and popularity recommend to the test users of a hold-out split: a list per test user each.
struct HoldOutLists {
    let split: HoldOutSplit
    /// The model's 25 first items for each test user, unseen ones only.
    let personal: [[Int32]]
    /// The 25 most popular unseen items of the training events for each test user.
    let popular: [[Int32]]
}

extension PlantedClusters {
    /// Holds out 20% of the users (seed 3), trains a model on the rest of the events with `train` and lists, for each
    /// test user, what `recommend(model, input, seen)` ranks first (the user's input interactions and their items)
    /// and the most popular items, leaving out what the user has seen.
    func holdOutLists<Model>(
        train: (SparseMatrix) -> Model, recommend: (Model, [Event], Set<Int32>) -> [Int32]
    ) -> HoldOutLists {
        let split = HoldOutSplit(events: events, testFraction: 0.2, seed: 3)
        let training = matrix(split.training)
        let model = train(training)
        let popularity = PopularityModel(training)
        var personal: [[Int32]] = []
        var popular: [[Int32]] = []
        for testUser in split.testUsers {
            let seen = Set(testUser.input.map(\.item))
            personal.append(recommend(model, testUser.input, seen))
            popular.append(TopK.select(popularity.scores(), k: 25, excluding: seen).map(\.index))
        }
        return HoldOutLists(split: split, personal: personal, popular: popular)
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
