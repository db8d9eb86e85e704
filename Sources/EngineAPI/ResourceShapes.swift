// The shapes of Describe and List operations, which the generated conformances in `Summaries+Generated.swift` give
// to every request, response and summary of the service models that has them.

/// A List operation's request: where its page starts and how many items it may hold.
public protocol PagedRequest: Sendable {
    /// The token of the previous page's response, nil for the first page.
    var nextToken: String? { get set }
    /// The most items the page may hold, nil for the operation's default.
    var maxResults: Int? { get }
}

/// A List operation's response: one page of items and the token of the next page.
public protocol PagedResponse: Sendable {
    associatedtype Item: Sendable
    /// The page's items (empty when the response has none).
    var items: [Item] { get }
    /// The token of the next page, nil on the last page.
    var nextToken: String? { get }
}

/// A resource as a List operation returns it: its name (a job's `jobName`) and its ARN.
public protocol ListedResource: Sendable {
    var listedName: String? { get }
    var listedArn: String? { get }
}

/// A Describe operation's response: the one resource it describes.
public protocol DescribeResponse: Sendable {
    associatedtype Resource: Sendable
    /// The resource (nil when the response has none).
    var resource: Resource? { get }
}

/// A resource or job that reports where it is in its lifecycle (`ACTIVE`, `CREATE FAILED`, ...) and, when it
/// failed, why.
public protocol StatusReporting: Sendable {
    var status: String? { get }
    var failureReason: String? { get }
}
