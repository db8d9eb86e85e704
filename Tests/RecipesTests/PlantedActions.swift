@testable import Recipes

/// A synthetic next-best-action world with planted tastes, generated from a seed.
///
/// User `u`, action `a` and item `i` belong to clusters `u % clusters`, `a % clusters` and `i % clusters`. Each
/// user interacts with `itemsPerUser` items (85% from their own cluster) and is shown `exposuresPerUser` random
/// actions over three weeks: each exposure is `Viewed`, then `Taken` with probability `ownRate` for an action of
/// the user's cluster (`otherRate` otherwise), else `Not taken` half of the time.
struct PlantedActions {
    let users: Int
    let actions: Int
    let items: Int
    let clusters: Int
    let ownRate: Float
    let otherRate: Float
    let data: ActionTrainingSet

    init(
        users: Int = 400, actions: Int = 12, items: Int = 40, clusters: Int = 4, itemsPerUser: Int = 10,
        exposuresPerUser: Int = 10, ownRate: Float = 0.6, otherRate: Float = 0.08, seed: UInt64 = 3
    ) {
        self.users = users
        self.actions = actions
        self.items = items
        self.clusters = clusters
        self.ownRate = ownRate
        self.otherRate = otherRate
        var generator = SeededGenerator(seed: seed)
        var itemEvents: [Event] = []
        var actionEvents: [ActionEvent] = []
        let start: Int64 = 1_700_000_000
        let span: UInt64 = 21 * 86_400
        for user in 0..<users {
            let cluster = user % clusters
            for _ in 0..<itemsPerUser {
                let own = generator.nextUnitFloat() < 0.85
                let slot = Int(generator.next() % UInt64(items / clusters))
                let itemCluster = own ? cluster : Int(generator.next() % UInt64(clusters))
                let time = start + Int64(generator.next() % span)
                itemEvents.append(Event(user: Int32(user), item: Int32(slot * clusters + itemCluster), timestamp: time))
            }
            for _ in 0..<exposuresPerUser {
                let action = Int32(generator.next() % UInt64(actions))
                let time = start + Int64(generator.next() % span)
                actionEvents.append(ActionEvent(user: Int32(user), action: action, timestamp: time, outcome: .viewed))
                let rate = Int(action) % clusters == cluster ? ownRate : otherRate
                if generator.nextUnitFloat() < rate {
                    actionEvents.append(
                        ActionEvent(user: Int32(user), action: action, timestamp: time + 60, outcome: .taken))
                } else if generator.nextUnitFloat() < 0.5 {
                    actionEvents.append(
                        ActionEvent(user: Int32(user), action: action, timestamp: time + 60, outcome: .notTaken))
                }
            }
        }
        data = ActionTrainingSet(
            userCount: users, actionCount: actions, itemCount: items, actionEvents: actionEvents,
            itemEvents: itemEvents)
    }

    func cluster(ofUser user: Int32) -> Int { Int(user) % clusters }
    func cluster(ofAction action: Int32) -> Int { Int(action) % clusters }
}
