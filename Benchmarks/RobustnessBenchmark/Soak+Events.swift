import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Item IDs of the events the server acknowledged with 200, from several client threads.
final class Acknowledged: @unchecked Sendable {  // @unchecked: `items` is only touched under `lock`.
    private let lock = NSLock()
    private var items: [String] = []

    func add(_ new: [String]) {
        lock.lock()
        items += new
        lock.unlock()
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}

extension Soak {
    /// (c) kill -9 during a stream of PutEvents from `clients` threads: every event acknowledged with 200 is in
    /// the folder afterwards. The folder is kept from trial to trial, so each trial also restarts on the
    /// previous kill's leftovers.
    func eventsScenario(clients: Int, random: inout SplitMix) throws -> SoakSummary {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let folder = work + "/events"
        let (group, dataset) = try template(folder, rows: 0, importing: false)
        let tracking: String
        do {
            let server = try self.server(folder, "events")
            defer { server.child.stop(SIGTERM) }
            let tracker = try server.must("CreateEventTracker", ["name": "soak", "datasetGroupArn": group])
            tracking = tracker["trackingId"] as! String
            _ = try server.waitUntilTerminal(
                "DescribeEventTracker", key: "eventTrackerArn", arn: tracker["eventTrackerArn"] as! String,
                member: "eventTracker")
        }
        let acknowledged = Acknowledged()
        var summary = try trialLoop("events", duration: 2.0, random: &random) { index, at, tally in
            let server = try self.server(folder, "events")
            let before = acknowledged.all.count
            let port = server.port
            let threads = (0..<clients).map { client in
                let thread = Thread {
                    Self.send(port: port, tracking: tracking, trial: index, client: client, into: acknowledged)
                }
                thread.start()
                return thread
            }
            usleep(useconds_t((0.2 + at) * 1_000_000))
            server.child.stop(SIGKILL)
            _ = threads
            usleep(300_000)  // the clients see the closed connections and stop
            let database = folder + "/engine.sqlite"
            let integrity = SoakChecks.integrity(database)
            guard integrity == "ok" else { return "integrity_check after the kill: \(integrity)" }
            let stored = try SoakChecks.itemIDs(database, datasetArn: dataset)
            let all = acknowledged.all
            tally.acknowledged = all.count
            tally.detail = "\(all.count - before) events acknowledged in this trial, \(stored.count) stored in all,"
            let lost = all.filter { !stored.contains($0) }
            let newlyLost = lost.count - tally.lostEvents
            tally.lostEvents = lost.count
            if all.count == before { return "no event was acknowledged before the kill" }
            guard newlyLost <= 0 else { return "\(newlyLost) acknowledged events lost, e.g. \(lost.suffix(5))" }
            let unfinished = (try? SoakChecks.unfinished(database)) ?? ["cannot read"]
            guard unfinished.isEmpty else { return "unfinished after the kill: \(unfinished)" }
            return nil
        }
        // The folder opens and serves once more after the last kill.
        let server = try self.server(folder, "events")
        defer { server.child.stop(SIGTERM) }
        let (status, body) = try server.rest(
            "/events",
            [
                "trackingId": tracking, "userId": "final", "sessionId": "final",
                "eventList": [["eventType": "click", "itemId": "final", "sentAt": Date().timeIntervalSince1970]],
            ])
        if status != 200 {
            summary.failures += 1
            print("  after the last trial: PutEvents answered \(status): \(body)")
        }
        return summary
    }

    /// Sends PutEvents (1–3 events with unique item IDs each) until the connection fails.
    static func send(port: Int, tracking: String, trial: Int, client: Int, into acknowledged: Acknowledged) {
        var connection = try? RawConnection(port: port)
        var sequence = 0
        while let open = connection {
            let count = sequence % 3 + 1
            let items = (0..<count).map { "t\(trial)c\(client)n\(sequence)e\($0)" }
            sequence += 1
            let events = items.map {
                "{\"eventType\": \"click\", \"itemId\": \"\($0)\", \"eventId\": \"\($0)\", \"sentAt\": \(Int(Date().timeIntervalSince1970))}"
            }
            let body =
                "{\"trackingId\": \"\(tracking)\", \"userId\": \"soak-\(client)\", \"sessionId\": \"s\(trial)-\(client)\", \"eventList\": [\(events.joined(separator: ","))]}"
            let request =
                "POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            guard open.send(Array(request.utf8), timeout: 10) else { break }
            guard case .response(let response) = open.readResponse(timeout: 10) else { break }
            if response.status == 200 { acknowledged.add(items) }
            if response.closes { connection = try? RawConnection(port: port) }
        }
    }
}
