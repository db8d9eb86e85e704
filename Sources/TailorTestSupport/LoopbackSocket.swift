#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TCP connection to `127.0.0.1`, opened with the system calls themselves, for tests and benchmarks that must
/// send bytes no HTTP library would send.
public enum LoopbackSocket {
    /// Connects to `port` on `127.0.0.1` (`TCP_NODELAY` set); returns the descriptor, which the caller closes.
    ///
    /// - Throws: ``LoopbackSocketError`` naming the call that failed and why.
    public static func connect(port: Int) throws(LoopbackSocketError) -> Int32 {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw LoopbackSocketError("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                #if canImport(Glibc)
                    Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #else
                    Darwin.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #endif
            }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw LoopbackSocketError("connect to port \(port): \(reason)")
        }
        return descriptor
    }
}

/// Why ``LoopbackSocket/connect(port:)`` failed.
public struct LoopbackSocketError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
