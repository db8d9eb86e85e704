package import Testing

/// The size tags every test target shares (`swift test --filter` and `--skip` select by them).
extension Tag {
    /// Pure or in-process checks, well under a second.
    @Tag package static var small: Self
    /// Trains a small model or runs a live server in-process; a few seconds at most.
    @Tag package static var medium: Self
    /// Starts the built `tailor` binary (`tailor serve`, a crash soak); a second or more.
    @Tag package static var large: Self
}

extension Trait where Self == ConditionTrait {
    /// Runs a suite only beside an S3-compatible server (`scripts/with-s3` exports its endpoint and keys).
    package static var s3Store: Self {
        .enabled(if: TestS3.isAvailable, "needs TAILOR_TEST_S3_ENDPOINT (scripts/with-s3)")
    }
}
