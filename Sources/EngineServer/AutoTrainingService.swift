package import Engine
package import Logging
import ServiceLifecycle

/// Runs the engine's automatic-training scheduler on a timer, as a `Service` of `tailor serve`'s
/// service group: a pass at start, then one every `interval`, until graceful shutdown.
package struct AutoTrainingService: Service {
    package let engine: LocalEngine
    package let interval: Duration
    package let logger: Logger

    package init(engine: LocalEngine, interval: Duration, logger: Logger) {
        self.engine = engine
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        let engine = engine
        let interval = interval
        let logger = logger
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await Self.pass(engine, logger: logger)
                do { try await Task.sleep(for: interval) } catch { return }
            }
        }
    }

    private static func pass(_ engine: LocalEngine, logger: Logger) async {
        do {
            let report = try await engine.runDueAutoTraining()
            for training in report.trainings {
                logger.info(
                    "automatic training started",
                    metadata: [
                        "solution": "\(training.solutionArn)", "solutionVersion": "\(training.solutionVersionArn)",
                    ])
            }
            for update in report.campaignUpdates {
                logger.info(
                    "campaign moving to the latest solution version",
                    metadata: ["campaign": "\(update.campaignArn)", "solutionVersion": "\(update.solutionVersionArn)"])
            }
        } catch is CancellationError {
            return
        } catch {
            logger.warning("automatic training pass failed: \(error)")
        }
    }
}

extension AutoTrainingService: CustomStringConvertible {
    package var description: String { "AutoTrainingService(every \(interval))" }
}
