import Foundation

/// The S3-compatible server the S3 data plane's tests use: `scripts/test` starts a throwaway one (moto's server,
/// `scripts/with-s3`, with SigV4 required) and sets `TAILOR_TEST_S3_ENDPOINT` and the access key it accepts.
/// Suites that need it are enabled only when it is set, so a plain `swift test` lists them as skipped with the
/// reason rather than passing them.
public enum TestS3 {
    /// The server's endpoint, `http://127.0.0.1:PORT`.
    public static let endpoint: String? = variable("TAILOR_TEST_S3_ENDPOINT")
    /// The access key the server accepts.
    public static let accessKeyID: String? = variable("TAILOR_TEST_S3_ACCESS_KEY_ID")
    /// Its secret.
    public static let secretAccessKey: String? = variable("TAILOR_TEST_S3_SECRET_ACCESS_KEY")

    /// Whether a server is available.
    public static var isAvailable: Bool { endpoint != nil && accessKeyID != nil && secretAccessKey != nil }

    /// The environment a process (or ``S3Configuration/standard(endpoint:environment:)``) needs to reach the
    /// server with its key: `TAILOR_S3_ENDPOINT`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`.
    public static var environment: [String: String] {
        [
            "TAILOR_S3_ENDPOINT": endpoint ?? "", "AWS_ACCESS_KEY_ID": accessKeyID ?? "",
            "AWS_SECRET_ACCESS_KEY": secretAccessKey ?? "", "AWS_REGION": "us-east-1",
        ]
    }

    /// A bucket name no other test uses.
    public static func uniqueBucket(_ label: String) -> String {
        "tailor-\(label.lowercased())-\(UUID().uuidString.prefix(8).lowercased())"
    }

    private static func variable(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}
