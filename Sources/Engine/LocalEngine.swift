public import EngineAPI
public import Logging

/// The embedded Amazon Personalize: SQLite (GRDB) and model files in one data folder.
///
/// A thin front: ``send(_:)`` checks a request and hands it to the engine part for its operation. The parts are
/// values made from one ``EngineCore`` (the data folder, the job runner, the serving runtime): the control plane
/// (`ControlPlane/`), real-time serving (`Serving/`), streaming events (`Events/`), and the jobs (`Jobs/`,
/// `Training/`, `Scheduler/`).
///
/// Create* operations return at once; imports, training and deployments run in the background and
/// move the resource through Personalize's statuses, and so do deletions (`DELETE PENDING`,
/// `DELETE IN_PROGRESS`, then gone). A process that dies mid-job leaves the job to be marked
/// `CREATE FAILED` ("interrupted") the next time the folder is opened; a deletion it left is finished then.
public final class LocalEngine: PersonalizeService, PersonalizeHandler {
    package let core: EngineCore

    /// Opens the engine on `configuration.dataDirectory`, creating it if needed, and recovers jobs a
    /// previous process left unfinished. A `limits.json` in the folder overrides quotas of
    /// `configuration.limits` (``EngineLimits/apply(file:)``).
    ///
    /// - Throws: ``EngineError`` when the folder is unusable or used by another process.
    public init(configuration: EngineConfiguration, clock: any EngineClock = SystemClock(), logger: Logger) throws {
        core = try EngineCore(configuration: configuration, clock: clock, logger: logger)
        try core.resourceDeletion.finishInterruptedDeletions()
        try Recovery.markInterruptedJobs(in: core.database, at: clock.now())
    }

    /// Checks the request against the service model's constraints, then hands it to this engine's method for its
    /// operation (``PersonalizeOperation/dispatch(to:)``; the engine is a ``PersonalizeHandler``, so an operation
    /// without a method is a compile error, not a run-time one). No lock is taken here: each part reads and writes
    /// through SQLite transactions and the serving runtime's own locks.
    public func send<Operation: PersonalizeOperation>(_ request: Operation) async throws -> Operation.Response {
        try request.validateConstraints()
        return try await request.dispatch(to: self)
    }

    /// Waits until every background job started so far, and every job they start, has finished (for tests and the
    /// CLI's one-shot commands).
    public func waitForBackgroundJobs() async {
        await core.jobs.waitForJobs()
    }

    /// Stops the background work for an orderly exit: no job starts after this; timers and queued CPU work are
    /// cancelled (their jobs fail as interrupted); running work is awaited, so nothing is cut mid-write. The engine
    /// answers requests afterwards but starts no more background work.
    public func shutdown() async {
        await core.jobs.shutdown()
    }

    // MARK: Tailor's own operations, beyond Personalize's API

    /// Starts the automatic trainings that are due (`tailor serve`'s scheduler calls it every minute, `tailor
    /// engine tick` once).
    public func runDueAutoTraining() async throws -> AutoTrainingReport {
        try await core.autoTraining.runDueAutoTraining()
    }

    /// The offline metrics of a solution version, per recipe and fold (`tailor evaluate`).
    package func evaluationReport(solutionVersionArn: String) async throws -> EvaluationReport {
        try await core.trainingJobs.evaluationReport(solutionVersionArn: solutionVersionArn)
    }

    /// The rows of a metric attribution's report (`tailor engine attribution-report`).
    package func metricAttributionReport(arn: String) async throws -> [AttributionReportRow] {
        try await core.batchControl.metricAttributionReport(arn: arn)
    }

    /// Per campaign with candidate lists: the users precomputed, the bytes they hold and the seconds they took
    /// (`tailor serve`'s `/metrics`).
    package var candidateListSummary: [(campaignArn: String, users: Int, bytes: Int, seconds: Double)] {
        core.serving.candidateListSummary
    }
}

/// Each operation, handed to the part that does it.
extension LocalEngine {
    // MARK: Real-time serving (Serving/)
    public func getActionRecommendations(_ request: GetActionRecommendationsRequest) async throws
        -> GetActionRecommendationsResponse
    {
        try await core.realTimeServing.getActionRecommendations(request)
    }
    public func getPersonalizedRanking(_ request: GetPersonalizedRankingRequest) async throws
        -> GetPersonalizedRankingResponse
    {
        try await core.realTimeServing.getPersonalizedRanking(request)
    }
    public func getRecommendations(_ request: GetRecommendationsRequest) async throws -> GetRecommendationsResponse {
        try await core.realTimeServing.getRecommendations(request)
    }

    // MARK: Streaming events (Events/)
    public func putActionInteractions(_ request: PutActionInteractionsRequest) async throws -> EmptyResponse {
        try await core.eventIngestion.putActionInteractions(request)
    }
    public func putActions(_ request: PutActionsRequest) async throws -> EmptyResponse {
        try await core.eventIngestion.putActions(request)
    }
    public func putEvents(_ request: PutEventsRequest) async throws -> EmptyResponse {
        try await core.eventIngestion.putEvents(request)
    }
    public func putItems(_ request: PutItemsRequest) async throws -> EmptyResponse {
        try await core.eventIngestion.putItems(request)
    }
    public func putUsers(_ request: PutUsersRequest) async throws -> EmptyResponse {
        try await core.eventIngestion.putUsers(request)
    }

    // MARK: Datasets (ControlPlane/DatasetControl)
    public func createDataDeletionJob(_ request: CreateDataDeletionJobRequest) async throws
        -> CreateDataDeletionJobResponse
    {
        try await core.datasetControl.createDataDeletionJob(request)
    }
    public func createDataset(_ request: CreateDatasetRequest) async throws -> CreateDatasetResponse {
        try await core.datasetControl.createDataset(request)
    }
    public func createDatasetExportJob(_ request: CreateDatasetExportJobRequest) async throws
        -> CreateDatasetExportJobResponse
    {
        try await core.datasetControl.createDatasetExportJob(request)
    }
    public func createDatasetGroup(_ request: CreateDatasetGroupRequest) async throws -> CreateDatasetGroupResponse {
        try await core.datasetControl.createDatasetGroup(request)
    }
    public func createDatasetImportJob(_ request: CreateDatasetImportJobRequest) async throws
        -> CreateDatasetImportJobResponse
    {
        try await core.datasetControl.createDatasetImportJob(request)
    }
    public func createEventTracker(_ request: CreateEventTrackerRequest) async throws -> CreateEventTrackerResponse {
        try await core.datasetControl.createEventTracker(request)
    }
    public func createFilter(_ request: CreateFilterRequest) async throws -> CreateFilterResponse {
        try await core.datasetControl.createFilter(request)
    }
    public func createSchema(_ request: CreateSchemaRequest) async throws -> CreateSchemaResponse {
        try await core.datasetControl.createSchema(request)
    }
    public func deleteDataset(_ request: DeleteDatasetRequest) async throws -> EmptyResponse {
        try await core.datasetControl.deleteDataset(request)
    }
    public func deleteDatasetGroup(_ request: DeleteDatasetGroupRequest) async throws -> EmptyResponse {
        try await core.datasetControl.deleteDatasetGroup(request)
    }
    public func deleteEventTracker(_ request: DeleteEventTrackerRequest) async throws -> EmptyResponse {
        try await core.datasetControl.deleteEventTracker(request)
    }
    public func deleteFilter(_ request: DeleteFilterRequest) async throws -> EmptyResponse {
        try await core.datasetControl.deleteFilter(request)
    }
    public func deleteSchema(_ request: DeleteSchemaRequest) async throws -> EmptyResponse {
        try await core.datasetControl.deleteSchema(request)
    }
    public func describeDataDeletionJob(_ request: DescribeDataDeletionJobRequest) async throws
        -> DescribeDataDeletionJobResponse
    {
        try await core.datasetControl.describeDataDeletionJob(request)
    }
    public func describeDataset(_ request: DescribeDatasetRequest) async throws -> DescribeDatasetResponse {
        try await core.datasetControl.describeDataset(request)
    }
    public func describeDatasetExportJob(_ request: DescribeDatasetExportJobRequest) async throws
        -> DescribeDatasetExportJobResponse
    {
        try await core.datasetControl.describeDatasetExportJob(request)
    }
    public func describeDatasetGroup(_ request: DescribeDatasetGroupRequest) async throws
        -> DescribeDatasetGroupResponse
    {
        try await core.datasetControl.describeDatasetGroup(request)
    }
    public func describeDatasetImportJob(_ request: DescribeDatasetImportJobRequest) async throws
        -> DescribeDatasetImportJobResponse
    {
        try await core.datasetControl.describeDatasetImportJob(request)
    }
    public func describeEventTracker(_ request: DescribeEventTrackerRequest) async throws
        -> DescribeEventTrackerResponse
    {
        try await core.datasetControl.describeEventTracker(request)
    }
    public func describeFilter(_ request: DescribeFilterRequest) async throws -> DescribeFilterResponse {
        try await core.datasetControl.describeFilter(request)
    }
    public func describeSchema(_ request: DescribeSchemaRequest) async throws -> DescribeSchemaResponse {
        try await core.datasetControl.describeSchema(request)
    }
    public func listDataDeletionJobs(_ request: ListDataDeletionJobsRequest) async throws
        -> ListDataDeletionJobsResponse
    {
        try await core.datasetControl.listDataDeletionJobs(request)
    }
    public func listDatasetExportJobs(_ request: ListDatasetExportJobsRequest) async throws
        -> ListDatasetExportJobsResponse
    {
        try await core.datasetControl.listDatasetExportJobs(request)
    }
    public func listDatasetGroups(_ request: ListDatasetGroupsRequest) async throws -> ListDatasetGroupsResponse {
        try await core.datasetControl.listDatasetGroups(request)
    }
    public func listDatasetImportJobs(_ request: ListDatasetImportJobsRequest) async throws
        -> ListDatasetImportJobsResponse
    {
        try await core.datasetControl.listDatasetImportJobs(request)
    }
    public func listDatasets(_ request: ListDatasetsRequest) async throws -> ListDatasetsResponse {
        try await core.datasetControl.listDatasets(request)
    }
    public func listEventTrackers(_ request: ListEventTrackersRequest) async throws -> ListEventTrackersResponse {
        try await core.datasetControl.listEventTrackers(request)
    }
    public func listFilters(_ request: ListFiltersRequest) async throws -> ListFiltersResponse {
        try await core.datasetControl.listFilters(request)
    }
    public func listSchemas(_ request: ListSchemasRequest) async throws -> ListSchemasResponse {
        try await core.datasetControl.listSchemas(request)
    }

    // MARK: Models (ControlPlane/ModelControl)
    public func createCampaign(_ request: CreateCampaignRequest) async throws -> CreateCampaignResponse {
        try await core.modelControl.createCampaign(request)
    }
    public func createSolution(_ request: CreateSolutionRequest) async throws -> CreateSolutionResponse {
        try await core.modelControl.createSolution(request)
    }
    public func createSolutionVersion(_ request: CreateSolutionVersionRequest) async throws
        -> CreateSolutionVersionResponse
    {
        try await core.modelControl.createSolutionVersion(request)
    }
    public func deleteCampaign(_ request: DeleteCampaignRequest) async throws -> EmptyResponse {
        try await core.modelControl.deleteCampaign(request)
    }
    public func deleteSolution(_ request: DeleteSolutionRequest) async throws -> EmptyResponse {
        try await core.modelControl.deleteSolution(request)
    }
    public func describeAlgorithm(_ request: DescribeAlgorithmRequest) async throws -> DescribeAlgorithmResponse {
        try core.modelControl.describeAlgorithm(request)
    }
    public func describeCampaign(_ request: DescribeCampaignRequest) async throws -> DescribeCampaignResponse {
        try await core.modelControl.describeCampaign(request)
    }
    public func describeFeatureTransformation(_ request: DescribeFeatureTransformationRequest) async throws
        -> DescribeFeatureTransformationResponse
    {
        try core.modelControl.describeFeatureTransformation(request)
    }
    public func describeRecipe(_ request: DescribeRecipeRequest) async throws -> DescribeRecipeResponse {
        try core.modelControl.describeRecipe(request)
    }
    public func describeSolution(_ request: DescribeSolutionRequest) async throws -> DescribeSolutionResponse {
        try await core.modelControl.describeSolution(request)
    }
    public func describeSolutionVersion(_ request: DescribeSolutionVersionRequest) async throws
        -> DescribeSolutionVersionResponse
    {
        try await core.modelControl.describeSolutionVersion(request)
    }
    public func getSolutionMetrics(_ request: GetSolutionMetricsRequest) async throws -> GetSolutionMetricsResponse {
        try await core.modelControl.getSolutionMetrics(request)
    }
    public func listCampaigns(_ request: ListCampaignsRequest) async throws -> ListCampaignsResponse {
        try await core.modelControl.listCampaigns(request)
    }
    public func listRecipes(_ request: ListRecipesRequest) async throws -> ListRecipesResponse {
        try core.modelControl.listRecipes(request)
    }
    public func listSolutionVersions(_ request: ListSolutionVersionsRequest) async throws
        -> ListSolutionVersionsResponse
    {
        try await core.modelControl.listSolutionVersions(request)
    }
    public func listSolutions(_ request: ListSolutionsRequest) async throws -> ListSolutionsResponse {
        try await core.modelControl.listSolutions(request)
    }
    public func stopSolutionVersionCreation(_ request: StopSolutionVersionCreationRequest) async throws
        -> EmptyResponse
    {
        try await core.modelControl.stopSolutionVersionCreation(request)
    }
    public func updateCampaign(_ request: UpdateCampaignRequest) async throws -> UpdateCampaignResponse {
        try await core.modelControl.updateCampaign(request)
    }
    public func updateDataset(_ request: UpdateDatasetRequest) async throws -> UpdateDatasetResponse {
        try await core.datasetControl.updateDataset(request)
    }
    public func updateSolution(_ request: UpdateSolutionRequest) async throws -> UpdateSolutionResponse {
        try await core.modelControl.updateSolution(request)
    }

    // MARK: Recommenders (ControlPlane/RecommenderControl)
    public func createRecommender(_ request: CreateRecommenderRequest) async throws -> CreateRecommenderResponse {
        try await core.recommenderControl.createRecommender(request)
    }
    public func deleteRecommender(_ request: DeleteRecommenderRequest) async throws -> EmptyResponse {
        try await core.recommenderControl.deleteRecommender(request)
    }
    public func describeRecommender(_ request: DescribeRecommenderRequest) async throws -> DescribeRecommenderResponse {
        try await core.recommenderControl.describeRecommender(request)
    }
    public func listRecommenders(_ request: ListRecommendersRequest) async throws -> ListRecommendersResponse {
        try await core.recommenderControl.listRecommenders(request)
    }
    public func startRecommender(_ request: StartRecommenderRequest) async throws -> StartRecommenderResponse {
        try await core.recommenderControl.startRecommender(request)
    }
    public func stopRecommender(_ request: StopRecommenderRequest) async throws -> StopRecommenderResponse {
        try await core.recommenderControl.stopRecommender(request)
    }
    public func updateRecommender(_ request: UpdateRecommenderRequest) async throws -> UpdateRecommenderResponse {
        try await core.recommenderControl.updateRecommender(request)
    }

    // MARK: Batch jobs and metric attributions (ControlPlane/BatchControl)
    public func createBatchInferenceJob(_ request: CreateBatchInferenceJobRequest) async throws
        -> CreateBatchInferenceJobResponse
    {
        try await core.batchControl.createBatchInferenceJob(request)
    }
    public func createBatchSegmentJob(_ request: CreateBatchSegmentJobRequest) async throws
        -> CreateBatchSegmentJobResponse
    {
        try await core.batchControl.createBatchSegmentJob(request)
    }
    public func createMetricAttribution(_ request: CreateMetricAttributionRequest) async throws
        -> CreateMetricAttributionResponse
    {
        try await core.batchControl.createMetricAttribution(request)
    }
    public func deleteMetricAttribution(_ request: DeleteMetricAttributionRequest) async throws -> EmptyResponse {
        try await core.batchControl.deleteMetricAttribution(request)
    }
    public func describeBatchInferenceJob(_ request: DescribeBatchInferenceJobRequest) async throws
        -> DescribeBatchInferenceJobResponse
    {
        try await core.batchControl.describeBatchInferenceJob(request)
    }
    public func describeBatchSegmentJob(_ request: DescribeBatchSegmentJobRequest) async throws
        -> DescribeBatchSegmentJobResponse
    {
        try await core.batchControl.describeBatchSegmentJob(request)
    }
    public func describeMetricAttribution(_ request: DescribeMetricAttributionRequest) async throws
        -> DescribeMetricAttributionResponse
    {
        try await core.batchControl.describeMetricAttribution(request)
    }
    public func listBatchInferenceJobs(_ request: ListBatchInferenceJobsRequest) async throws
        -> ListBatchInferenceJobsResponse
    {
        try await core.batchControl.listBatchInferenceJobs(request)
    }
    public func listBatchSegmentJobs(_ request: ListBatchSegmentJobsRequest) async throws
        -> ListBatchSegmentJobsResponse
    {
        try await core.batchControl.listBatchSegmentJobs(request)
    }
    public func listMetricAttributionMetrics(_ request: ListMetricAttributionMetricsRequest) async throws
        -> ListMetricAttributionMetricsResponse
    {
        try await core.batchControl.listMetricAttributionMetrics(request)
    }
    public func listMetricAttributions(_ request: ListMetricAttributionsRequest) async throws
        -> ListMetricAttributionsResponse
    {
        try await core.batchControl.listMetricAttributions(request)
    }
    public func updateMetricAttribution(_ request: UpdateMetricAttributionRequest) async throws
        -> UpdateMetricAttributionResponse
    {
        try await core.batchControl.updateMetricAttribution(request)
    }

    // MARK: Tags (ControlPlane/TagControl)
    public func listTagsForResource(_ request: ListTagsForResourceRequest) async throws -> ListTagsForResourceResponse {
        try await core.tagControl.listTagsForResource(request)
    }
    public func tagResource(_ request: TagResourceRequest) async throws -> TagResourceResponse {
        try await core.tagControl.tagResource(request)
    }
    public func untagResource(_ request: UntagResourceRequest) async throws -> UntagResourceResponse {
        try await core.tagControl.untagResource(request)
    }
}
