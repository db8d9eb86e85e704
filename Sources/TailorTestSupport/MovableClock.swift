public import Engine
public import Foundation

/// An ``EngineClock`` that stands still until a test moves it.
///
/// `@unchecked Sendable`: `current` is only read and written under `lock`.
public final class MovableClock: EngineClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    /// A clock at `start` (by default the wall clock's time when it was made).
    public init(_ start: Date = Date()) {
        current = start
    }

    public func now() -> Date {
        lock.withLock { current }
    }

    /// Moves the clock forward by `interval` seconds.
    public func advance(by interval: TimeInterval) {
        lock.withLock { current += interval }
    }

    /// Moves the clock forward by `days` days.
    public func advance(days: Double) {
        advance(by: days * 86_400)
    }
}
