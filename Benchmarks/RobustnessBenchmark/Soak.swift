import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The three kill -9 scenarios. Each trial starts `tailor serve`, starts the work, kills the server with
/// SIGKILL at a random moment of the work's measured length, checks the folder, starts the server again on
/// it and checks that everything settles.
struct Soak {
    let tailor: String
    let work: String
    let trials: Int
    static let role = "arn:aws:iam::000000000000:role/PersonalizeRole"

    func server(_ folder: String, _ name: String) throws -> Server {
        try Server(tailor: tailor, dataDirectory: folder, log: work + "/\(name).log", directory: work)
    }

    /// A data folder with a dataset group, an Interactions dataset, `rows` rows in `files/interactions.csv`
    /// (imported when `importing`), stopped cleanly. Returns the dataset's ARN.
    func template(_ folder: String, rows: Int, importing: Bool) throws -> (group: String, dataset: String) {
        try FileManager.default.createDirectory(atPath: folder + "/files", withIntermediateDirectories: true)
        var random = SplitMix(seed: 3)
        var csv = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n"
        csv.reserveCapacity(rows * 32)
        let users = max(50, rows / 25)
        for row in 0..<rows {
            let user = random.below(users)
            csv += "u\(user),i\((user % 20) * 100 + random.below(100)),\(1_600_000_000 + row),click\n"
        }
        try csv.write(toFile: folder + "/files/interactions.csv", atomically: true, encoding: .utf8)
        let server = try self.server(folder, "template")
        defer { server.child.stop(SIGTERM) }
        let group = try server.must("CreateDatasetGroup", ["name": "soak"])["datasetGroupArn"] as! String
        let schema =
            try server.must("CreateSchema", ["name": "soak", "schema": Fixture.interactionsSchema])["schemaArn"]
            as! String
        let dataset =
            try server.must(
                "CreateDataset",
                ["name": "soak", "schemaArn": schema, "datasetGroupArn": group, "datasetType": "Interactions"])[
                "datasetArn"]
            as! String
        if importing {
            let job = try importJob(server, dataset: dataset, folder: folder, name: "template")
            let status = try server.waitUntilTerminal(
                "DescribeDatasetImportJob", key: "datasetImportJobArn", arn: job, member: "datasetImportJob")
            guard status == "ACTIVE" else { throw RawHTTPError("the template's import ended \(status)") }
        }
        return (group, dataset)
    }

    func importJob(_ server: Server, dataset: String, folder: String, name: String) throws -> String {
        try server.must(
            "CreateDatasetImportJob",
            [
                "jobName": name, "datasetArn": dataset,
                "dataSource": ["dataLocation": folder + "/files/interactions.csv"],
                "roleArn": Self.role,
            ])["datasetImportJobArn"] as! String
    }

    func copy(_ template: String, to folder: String) throws {
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.copyItem(atPath: template, toPath: folder)
    }

    /// Seconds `body` takes on a copy of `template`, with the server's start excluded.
    func measure(_ template: String, _ body: (Server, String) throws -> Void) throws -> Double {
        let folder = work + "/reference"
        try copy(template, to: folder)
        let server = try self.server(folder, "reference")
        defer {
            server.child.stop(SIGTERM)
            try? FileManager.default.removeItem(atPath: folder)
        }
        let started = Date()
        try body(server, folder)
        return Date().timeIntervalSince(started)
    }

    /// Runs the trials: `trial(folder, killAt)` returns nil or what failed.
    func trialLoop(
        _ scenario: String, duration: Double, random: inout SplitMix,
        _ trial: (Int, Double, inout SoakSummary) throws -> String?
    ) rethrows -> SoakSummary {
        var summary = SoakSummary(scenario: scenario)
        let started = Date()
        print(
            "\(scenario): the uninterrupted work takes \(String(format: "%.2f", duration)) s; \(trials) trials, each "
                + "killed at a uniform random moment of 1.1 times that")
        for index in 1...trials {
            let at = Double(random.below(1_000_000)) / 1_000_000 * duration * 1.1
            summary.detail = ""
            let problem = try trial(index, at, &summary)
            summary.trials += 1
            let line = "  trial \(index): killed at \(String(format: "%.2f", at)) s, \(summary.detail)"
            if let problem {
                summary.failures += 1
                print(line + " FAILED: \(problem)")
            } else {
                print(line + " ok")
            }
        }
        summary.seconds = Date().timeIntervalSince(started)
        print(
            "\(scenario): \(summary.trials) trials, \(summary.interrupted) interrupted mid-job, \(summary.failures) failed"
        )
        return summary
    }
}
