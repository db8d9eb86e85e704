import Testing

extension Testing.Tag {
    /// In-process, well under a second.
    @Tag static var small: Self
    /// Trains a small model or runs a live server; a few seconds at most.
    @Tag static var medium: Self
}
