import Testing

extension Tag {
    /// Pure, sub-millisecond checks.
    @Tag static var small: Self
    /// Trains a small model; well under a second.
    @Tag static var medium: Self
}
