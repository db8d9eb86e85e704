import Foundation
import Recipes

/// The folds of a quality run, written as JSON so that the Python reference scores exactly the same splits.
///
/// Layout: `{"users": U, "items": I, "events": [[user, item], …], "folds": [[{"user": u, "input": [items],
/// "truth": [items]}, …], …]}`. A fold's training set is every event whose user is not one of its test users.
enum FoldFile {
    static func write(_ data: InteractionData, folds: [HoldOutSplit], to path: String) throws {
        var out = "{\"users\": \(data.userCount), \"items\": \(data.itemCount), \"events\": ["
        out.reserveCapacity(data.events.count * 14)
        for (offset, event) in data.events.enumerated() {
            if offset > 0 { out += "," }
            out += "[\(event.user),\(event.item)]"
        }
        out += "], \"folds\": ["
        for (foldOffset, fold) in folds.enumerated() {
            if foldOffset > 0 { out += "," }
            out += "["
            for (offset, user) in fold.testUsers.enumerated() {
                if offset > 0 { out += "," }
                let input = user.input.map { String($0.item) }.joined(separator: ",")
                let truth = user.truth.sorted().map(String.init).joined(separator: ",")
                out += "{\"user\":\(user.user),\"input\":[\(input)],\"truth\":[\(truth)]}"
            }
            out += "]"
        }
        out += "]}\n"
        try Data(out.utf8).write(to: URL(fileURLWithPath: path))
    }
}
