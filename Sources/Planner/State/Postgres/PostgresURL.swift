import Foundation
import NIOSSL
import PostgresNIO

/// A PostgreSQL connection URL in libpq's form, `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=require`.
///
/// Missing parts default as libpq's do: the user to `PGUSER` or `USER`, the password to `PGPASSWORD`, the host
/// to `localhost`, the port to 5432, the database to the user's name, `sslmode` to `prefer`. `?host=/dir` connects
/// through the Unix socket in `/dir`. ``masked`` is the URL with its password replaced by `***`: the only form
/// messages, lock records and logs ever show.
package struct PostgresURL: Sendable, Hashable {
    /// How to use TLS, as libpq's `sslmode`.
    package enum SSLMode: String, Sendable, Hashable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    package var username: String
    package var password: String?
    package var host: String
    package var port: Int
    package var database: String?
    /// The folder of the server's Unix socket (`?host=/dir`), instead of TCP.
    package var socketDirectory: String?
    package var sslMode: SSLMode
    /// A file of trusted CA certificates (`?sslrootcert=`), for `verify-ca` and `verify-full`.
    package var rootCertificate: String?
    /// Seconds to wait for the connection (`?connect_timeout=`; default 10).
    package var connectTimeout: Int
    /// The URL as written, its password masked.
    package let masked: String

    private static let parameters = ["sslmode", "host", "port", "sslrootcert", "connect_timeout"]

    /// Parses `text`.
    ///
    /// - Parameters:
    ///   - text: The URL.
    ///   - environment: The process environment, for `PGUSER`, `USER` and `PGPASSWORD`.
    /// - Throws: ``PostgresURLError`` saying what is wrong (never quoting the password).
    package init(_ text: String, environment: [String: String] = [:]) throws(PostgresURLError) {
        masked = Self.mask(text)
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw PostgresURLError(
                "'\(masked)' is not a URL like postgres://USER:PASSWORD@HOST:PORT/DATABASE (percent-encode special "
                    + "characters such as @ : / in the password)")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresURLError("'\(masked)' is not a postgres:// URL (its scheme is '\(scheme)')")
        }
        username =
            components.percentEncodedUser?.removingPercentEncoding ?? environment["PGUSER"] ?? environment["USER"]
            ?? "postgres"
        password = components.percentEncodedPassword?.removingPercentEncoding ?? environment["PGPASSWORD"]
        host = components.percentEncodedHost?.removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = components.port ?? 5432
        let path = components.percentEncodedPath.removingPercentEncoding ?? ""
        database = path.count > 1 ? String(path.dropFirst()) : nil
        sslMode = .prefer
        connectTimeout = 10
        for item in components.queryItems ?? [] {
            try apply(item.name, item.value ?? "")
        }
        guard (1...65535).contains(port) else { throw PostgresURLError("'\(masked)': port \(port) is out of range") }
    }

    private mutating func apply(_ name: String, _ value: String) throws(PostgresURLError) {
        switch name {
        case "sslmode":
            guard let mode = SSLMode(rawValue: value) else {
                throw PostgresURLError(
                    "'\(masked)': unknown sslmode '\(value)'"
                        + Suggestion.didYouMean(value, in: SSLMode.allCases.map(\.rawValue))
                        + " (sslmodes: \(SSLMode.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            sslMode = mode
        case "host":
            if value.hasPrefix("/") { socketDirectory = value } else { host = value }
        case "port":
            guard let number = Int(value) else {
                throw PostgresURLError("'\(masked)': port '\(value)' is not a number")
            }
            port = number
        case "sslrootcert":
            rootCertificate = value
        case "connect_timeout":
            guard let seconds = Int(value), seconds > 0 else {
                throw PostgresURLError("'\(masked)': connect_timeout '\(value)' is not a positive number of seconds")
            }
            connectTimeout = seconds
        default:
            throw PostgresURLError(
                "'\(masked)': unknown parameter '\(name)'" + Suggestion.didYouMean(name, in: Self.parameters)
                    + " (parameters: \(Self.parameters.joined(separator: ", ")))")
        }
    }

    /// The connection settings for PostgresNIO.
    ///
    /// - Throws: ``PostgresURLError`` when the TLS settings cannot be made (an unreadable `sslrootcert`).
    func configuration() throws(PostgresURLError) -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketDirectory {
            configuration = .init(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: username, password: password,
                database: database)
        } else {
            configuration = .init(
                host: host, port: port, username: username, password: password, database: database, tls: try tls())
        }
        configuration.options.connectTimeout = .seconds(Int64(connectTimeout))
        return configuration
    }

    private func tls() throws(PostgresURLError) -> PostgresConnection.Configuration.TLS {
        guard sslMode != .disable else { return .disable }
        var tls = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable, .allow, .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let rootCertificate { tls.trustRoots = .file(rootCertificate) }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: tls)
        } catch {
            throw PostgresURLError("'\(masked)': cannot set up TLS: \(error)")
        }
        switch sslMode {
        case .disable, .allow, .prefer: return .prefer(context)
        case .require, .verifyCA, .verifyFull: return .require(context)
        }
    }

    /// `text` with the password of any `scheme://user:password@` in it replaced by `***`.
    package static func mask(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let scheme = rest.range(of: "://") {
            result += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                result += authority[...colon] + "***" + authority[at...]
                rest = rest[authorityEnd...]
            }
        }
        return result + rest
    }
}

/// A PostgreSQL URL that cannot be used, and why.
package struct PostgresURLError: Error, Sendable, Hashable, CustomStringConvertible {
    package var description: String

    init(_ description: String) {
        self.description = description
    }
}
