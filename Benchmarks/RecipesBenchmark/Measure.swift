#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Wall-clock and process CPU time of a piece of work.
struct Measured<Value> {
    let value: Value
    let wallSeconds: Double
    let cpuSeconds: Double
}

func measure<Value>(_ work: () throws -> Value) rethrows -> Measured<Value> {
    let wallStart = now(CLOCK_MONOTONIC)
    let cpuStart = now(CLOCK_PROCESS_CPUTIME_ID)
    let value = try work()
    return Measured(
        value: value, wallSeconds: now(CLOCK_MONOTONIC) - wallStart,
        cpuSeconds: now(CLOCK_PROCESS_CPUTIME_ID) - cpuStart)
}

private func now(_ clock: clockid_t) -> Double {
    var spec = timespec()
    clock_gettime(clock, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}
