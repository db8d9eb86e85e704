package import Foundation

/// Signs requests with AWS Signature Version 4 for one set of credentials, region and service.
package struct SigV4Signer: Sendable {
    package var credentials: SigV4Credentials
    package var region: String
    package var service: String

    package init(credentials: SigV4Credentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The headers that sign `request` at `date`: `X-Amz-Date`, `X-Amz-Security-Token` for temporary
    /// credentials, and `Authorization`.
    ///
    /// Every header of `request` is signed except those botocore leaves out (`user-agent`, `expect`,
    /// `transfer-encoding`, `x-amzn-trace-id`); `request.headers` must include `host`.
    ///
    /// - Parameters:
    ///   - request: The request as it will be sent, without the headers this returns.
    ///   - date: The signing time.
    /// - Returns: The headers to add, in order.
    package func signingHeaders(for request: SigV4Request, at date: Date) -> [(name: String, value: String)] {
        let timestamp = SigV4Timestamp.string(from: date)
        var added: [(name: String, value: String)] = [("X-Amz-Date", timestamp)]
        if let token = credentials.sessionToken { added.append(("X-Amz-Security-Token", token)) }
        var signed = request
        signed.headers = request.headers.filter { $0.name.lowercased() != "x-amz-date" } + added
        let names = Set(signed.headers.map { $0.name.lowercased() }).subtracting(Self.unsignedHeaders).sorted()
        let scope = SigV4Scope(date: String(timestamp.prefix(8)), region: region, service: service)
        let signature = SigV4.signature(
            for: signed, signedHeaders: names, timestamp: timestamp, scope: scope,
            secretAccessKey: credentials.secretAccessKey)
        let authorization = SigV4Authorization(
            accessKeyID: credentials.accessKeyID, scope: scope, signedHeaders: names, signature: signature)
        return added + [("Authorization", authorization.headerValue)]
    }

    /// Headers botocore never signs.
    private static let unsignedHeaders: Set<String> = [
        "authorization", "expect", "transfer-encoding", "user-agent", "x-amzn-trace-id",
    ]
}

/// `X-Amz-Date` values: `yyyyMMdd'T'HHmmss'Z'` in UTC.
package enum SigV4Timestamp {
    /// Formats `date`.
    package static func string(from date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String {
            let value = value ?? 0
            return value < 10 ? "0\(value)" : "\(value)"
        }
        let year = String(parts.year ?? 0)
        return year + two(parts.month) + two(parts.day) + "T" + two(parts.hour) + two(parts.minute)
            + two(parts.second) + "Z"
    }

    /// Parses a timestamp; nil when it is not `yyyyMMdd'T'HHmmss'Z'`.
    package static func date(from string: String) -> Date? {
        let characters = Array(string.utf8)
        guard characters.count == 16, characters[8] == UInt8(ascii: "T"), characters[15] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(characters[index]) - Int(UInt8(ascii: "0"))
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15)
        else { return nil }
        let components = DateComponents(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components), string == Self.string(from: date) else { return nil }
        return date
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        return calendar
    }()
}
