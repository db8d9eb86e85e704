package import Logging

/// `StreamLogHandler`'s lines on standard error, with the logger's own metadata kept as it is until a line is
/// written.
///
/// Hummingbird sets a request ID on each request's logger, and `StreamLogHandler` formats its whole metadata
/// whenever it is set: a cost on every request, for lines a server at `info` mostly never writes. Here the
/// metadata is handed to the stream handler with each line instead, which writes it the same way.
package struct ServerLogHandler: LogHandler {
    private var stream: StreamLogHandler
    package var metadata: Logger.Metadata = [:]

    package init(label: String) {
        stream = StreamLogHandler.standardError(label: label)
    }

    /// Writes to `stream` instead (for tests).
    package init(label: String, stream: any TextOutputStream & Sendable) {
        self.stream = StreamLogHandler(label: label, stream: stream)
    }

    package var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    package var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty {
            event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        }
        stream.log(event: event)
    }
}
