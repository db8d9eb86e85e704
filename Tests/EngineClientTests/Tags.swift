import Testing

extension Testing.Tag {
    /// Pure, well under a second.
    @Tag static var small: Self
    /// Starts the built `tailor serve`; a second or two.
    @Tag static var large: Self
}
