import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension Soak {
    /// (a) kill -9 during CreateDatasetImportJob: the import is all or nothing and agrees with its job.
    func importScenario(rows: Int, random: inout SplitMix) throws -> SoakSummary {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let template = work + "/template"
        let (_, dataset) = try self.template(template, rows: rows, importing: false)
        let duration = try measure(template) { server, folder in
            let job = try importJob(server, dataset: dataset, folder: folder, name: "reference")
            _ = try server.waitUntilTerminal(
                "DescribeDatasetImportJob", key: "datasetImportJobArn", arn: job, member: "datasetImportJob")
        }
        return try trialLoop("import", duration: duration, random: &random) { index, at, summary in
            let folder = work + "/trial"
            try copy(template, to: folder)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            var server = try self.server(folder, "trial")
            let job = try importJob(server, dataset: dataset, folder: folder, name: "killed")
            usleep(useconds_t(at * 1_000_000))
            server.child.stop(SIGKILL)
            let database = folder + "/engine.sqlite"
            let integrity = SoakChecks.integrity(database)
            guard integrity == "ok" else { return "integrity_check after the kill: \(integrity)" }
            let afterKill = try SoakChecks.rows(database, datasetArn: dataset)
            guard afterKill == 0 || afterKill == rows else {
                return "\(afterKill) of \(rows) rows after the kill: a partial import"
            }
            server = try self.server(folder, "trial")
            defer { server.child.stop(SIGKILL) }
            let stuck = SoakChecks.waitUntilSettled(database, timeout: 120)
            guard stuck.isEmpty else { return "still unfinished 120 s after the restart: \(stuck)" }
            let (status, reason) = try server.status(
                "DescribeDatasetImportJob", key: "datasetImportJobArn", arn: job, member: "datasetImportJob")
            let stored = try SoakChecks.rows(database, datasetArn: dataset)
            if status == "CREATE FAILED", reason.hasPrefix("Interrupted") { summary.interrupted += 1 }
            summary.detail = "\(afterKill) rows after the kill, job \(status) after the restart with \(stored) rows,"
            guard (status == "ACTIVE" && stored == rows) || (status == "CREATE FAILED" && stored == 0) else {
                return "job \(status) (\(reason)) but \(stored) of \(rows) rows stored"
            }
            if index % 10 == 0 {
                let again = try importJob(server, dataset: dataset, folder: folder, name: "after")
                let status = try server.waitUntilTerminal(
                    "DescribeDatasetImportJob", key: "datasetImportJobArn", arn: again, member: "datasetImportJob")
                guard status == "ACTIVE" else { return "an import after the restart ended \(status)" }
            }
            return nil
        }
    }

    /// (b) kill -9 during CreateSolutionVersion: the version comes back terminal, and an ACTIVE one deploys.
    func trainingScenario(rows: Int, random: inout SplitMix) throws -> SoakSummary {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let template = work + "/template"
        let (group, _) = try self.template(template, rows: rows, importing: true)
        let solution: String
        do {
            let server = try self.server(template, "template")
            defer { server.child.stop(SIGTERM) }
            solution =
                try server.must(
                    "CreateSolution",
                    [
                        "name": "soak", "datasetGroupArn": group,
                        "recipeArn": "arn:aws:personalize:::recipe/aws-user-personalization",
                        "solutionConfig": ["algorithmHyperParameters": ["hidden_dimension": "64"]],
                    ])["solutionArn"] as! String
        }
        let train = { (server: Server) throws -> String in
            try server.must("CreateSolutionVersion", ["solutionArn": solution])["solutionVersionArn"] as! String
        }
        let duration = try measure(template) { server, _ in
            _ = try server.waitUntilTerminal(
                "DescribeSolutionVersion", key: "solutionVersionArn", arn: try train(server), member: "solutionVersion")
        }
        return try trialLoop("training", duration: duration, random: &random) { index, at, summary in
            let folder = work + "/trial"
            try copy(template, to: folder)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            var server = try self.server(folder, "trial")
            let version = try train(server)
            usleep(useconds_t(at * 1_000_000))
            server.child.stop(SIGKILL)
            let database = folder + "/engine.sqlite"
            let integrity = SoakChecks.integrity(database)
            guard integrity == "ok" else { return "integrity_check after the kill: \(integrity)" }
            server = try self.server(folder, "trial")
            defer { server.child.stop(SIGKILL) }
            let stuck = SoakChecks.waitUntilSettled(database, timeout: 120)
            guard stuck.isEmpty else { return "still unfinished 120 s after the restart: \(stuck)" }
            let (status, reason) = try server.status(
                "DescribeSolutionVersion", key: "solutionVersionArn", arn: version, member: "solutionVersion")
            if status == "CREATE FAILED", reason.hasPrefix("Interrupted") { summary.interrupted += 1 }
            summary.detail = "version \(status) after the restart\(reason.isEmpty ? "" : " (\(reason.prefix(40)))"),"
            switch status {
            case "ACTIVE":
                let campaign =
                    try server.must("CreateCampaign", ["name": "soak", "solutionVersionArn": version])["campaignArn"]
                    as! String
                let deployed = try server.waitUntilTerminal(
                    "DescribeCampaign", key: "campaignArn", arn: campaign, member: "campaign")
                guard deployed == "ACTIVE" else { return "the ACTIVE version's campaign ended \(deployed)" }
            case "CREATE FAILED": break
            default: return "the version is \(status) after the restart"
            }
            if index % 10 == 0 {
                let again = try train(server)
                let status = try server.waitUntilTerminal(
                    "DescribeSolutionVersion", key: "solutionVersionArn", arn: again, member: "solutionVersion")
                guard status == "ACTIVE" else { return "training after the restart ended \(status)" }
            }
            return nil
        }
    }
}
