package import Hummingbird
import NIOCore

/// The request context of `tailor serve`: Hummingbird's basic context plus the address the request's
/// connection was accepted on, which the `Host` check compares with (``HostPolicy``).
package struct PersonalizeRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The IP address and port the connection was accepted on; nil when the request did not come over a
    /// socket (in-process tests).
    let local: (address: String, port: Int)?

    package init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        if let address = source.channel.localAddress, let ip = address.ipAddress, let port = address.port {
            local = (ip, port)
        } else {
            local = nil
        }
    }
}
