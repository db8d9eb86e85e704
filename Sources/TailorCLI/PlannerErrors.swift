import ArgumentParser
import EngineAPI
import Planner

/// Prints planner, state and engine errors as one clear line and exits 1.
enum PlannerErrors {
    static func reporting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }

    static func reporting<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }
}

/// Says when a dataset's source file is being fetched by its manifest's `fetch` command.
enum FetchReporter {
    @Sendable static func report(_ address: ResourceAddress, _ command: [String]) {
        printError("\(address): fetching its data: \(PendingFetch.display(command))")
    }
}
