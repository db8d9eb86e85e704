/// The exception names of Amazon Personalize's service models.
public struct PersonalizeErrorCode: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let invalidInputException = Self(rawValue: "InvalidInputException")
    public static let invalidNextTokenException = Self(rawValue: "InvalidNextTokenException")
    public static let limitExceededException = Self(rawValue: "LimitExceededException")
    public static let resourceAlreadyExistsException = Self(rawValue: "ResourceAlreadyExistsException")
    public static let resourceInUseException = Self(rawValue: "ResourceInUseException")
    public static let resourceNotFoundException = Self(rawValue: "ResourceNotFoundException")
    public static let tooManyTagKeysException = Self(rawValue: "TooManyTagKeysException")
    public static let tooManyTagsException = Self(rawValue: "TooManyTagsException")
    /// Not in the service models: an unexpected failure inside the engine.
    public static let internalFailure = Self(rawValue: "InternalFailure")
}

/// An error as Amazon Personalize reports it: an exception name and a message that says what to fix.
public struct PersonalizeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The exception name, e.g. `ResourceNotFoundException`.
    public let code: PersonalizeErrorCode
    /// The message.
    public let message: String

    public init(_ code: PersonalizeErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    public static func invalidInput(_ message: String) -> Self { Self(.invalidInputException, message) }
    public static func notFound(_ message: String) -> Self { Self(.resourceNotFoundException, message) }
    public static func alreadyExists(_ message: String) -> Self { Self(.resourceAlreadyExistsException, message) }
    public static func inUse(_ message: String) -> Self { Self(.resourceInUseException, message) }
    public static func limitExceeded(_ message: String) -> Self { Self(.limitExceededException, message) }
}
