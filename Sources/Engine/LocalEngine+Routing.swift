import EngineAPI

extension LocalEngine {
    /// Dispatches a request to the handler of its operation.
    func route<Operation: PersonalizeOperation>(_ request: Operation) async throws -> any Sendable {
        switch request {
        // Dataset groups
        case let request as CreateDatasetGroupRequest: try await createDatasetGroup(request)
        case let request as DescribeDatasetGroupRequest: try await describeDatasetGroup(request)
        case let request as ListDatasetGroupsRequest: try await listDatasetGroups(request)
        case let request as DeleteDatasetGroupRequest: try await deleteDatasetGroup(request)
        // Schemas
        case let request as CreateSchemaRequest: try await createSchema(request)
        case let request as DescribeSchemaRequest: try await describeSchema(request)
        case let request as ListSchemasRequest: try await listSchemas(request)
        case let request as DeleteSchemaRequest: try await deleteSchema(request)
        // Datasets
        case let request as CreateDatasetRequest: try await createDataset(request)
        case let request as DescribeDatasetRequest: try await describeDataset(request)
        case let request as ListDatasetsRequest: try await listDatasets(request)
        case let request as DeleteDatasetRequest: try await deleteDataset(request)
        // Dataset import jobs
        case let request as CreateDatasetImportJobRequest: try await createDatasetImportJob(request)
        case let request as DescribeDatasetImportJobRequest: try await describeDatasetImportJob(request)
        case let request as ListDatasetImportJobsRequest: try await listDatasetImportJobs(request)
        // Dataset export jobs and data deletion jobs
        case let request as CreateDatasetExportJobRequest: try await createDatasetExportJob(request)
        case let request as DescribeDatasetExportJobRequest: try await describeDatasetExportJob(request)
        case let request as ListDatasetExportJobsRequest: try await listDatasetExportJobs(request)
        case let request as CreateDataDeletionJobRequest: try await createDataDeletionJob(request)
        case let request as DescribeDataDeletionJobRequest: try await describeDataDeletionJob(request)
        case let request as ListDataDeletionJobsRequest: try await listDataDeletionJobs(request)
        // Recipes
        case let request as ListRecipesRequest: try listRecipes(request)
        case let request as DescribeRecipeRequest: try describeRecipe(request)
        case let request as DescribeAlgorithmRequest: try describeAlgorithm(request)
        case let request as DescribeFeatureTransformationRequest: try describeFeatureTransformation(request)
        // Solutions and versions
        case let request as CreateSolutionRequest: try await createSolution(request)
        case let request as DescribeSolutionRequest: try await describeSolution(request)
        case let request as ListSolutionsRequest: try await listSolutions(request)
        case let request as DeleteSolutionRequest: try await deleteSolution(request)
        case let request as CreateSolutionVersionRequest: try await createSolutionVersion(request)
        case let request as DescribeSolutionVersionRequest: try await describeSolutionVersion(request)
        case let request as ListSolutionVersionsRequest: try await listSolutionVersions(request)
        case let request as GetSolutionMetricsRequest: try await getSolutionMetrics(request)
        // Campaigns
        case let request as CreateCampaignRequest: try await createCampaign(request)
        case let request as DescribeCampaignRequest: try await describeCampaign(request)
        case let request as ListCampaignsRequest: try await listCampaigns(request)
        case let request as UpdateCampaignRequest: try await updateCampaign(request)
        case let request as DeleteCampaignRequest: try await deleteCampaign(request)
        case let request as StopSolutionVersionCreationRequest: try await stopSolutionVersionCreation(request)
        case let request as UpdateSolutionRequest: try await updateSolution(request)
        case let request as UpdateDatasetRequest: try await updateDataset(request)
        // Event trackers and individual records
        case let request as CreateEventTrackerRequest: try await createEventTracker(request)
        case let request as DescribeEventTrackerRequest: try await describeEventTracker(request)
        case let request as ListEventTrackersRequest: try await listEventTrackers(request)
        case let request as DeleteEventTrackerRequest: try await deleteEventTracker(request)
        case let request as PutEventsRequest: try await putEvents(request)
        case let request as PutUsersRequest: try await putUsers(request)
        case let request as PutItemsRequest: try await putItems(request)
        case let request as PutActionsRequest: try await putActions(request)
        case let request as PutActionInteractionsRequest: try await putActionInteractions(request)
        // Filters
        case let request as CreateFilterRequest: try await createFilter(request)
        case let request as DescribeFilterRequest: try await describeFilter(request)
        case let request as ListFiltersRequest: try await listFilters(request)
        case let request as DeleteFilterRequest: try await deleteFilter(request)
        // Metric attributions
        case let request as CreateMetricAttributionRequest: try await createMetricAttribution(request)
        case let request as DescribeMetricAttributionRequest: try await describeMetricAttribution(request)
        case let request as ListMetricAttributionsRequest: try await listMetricAttributions(request)
        case let request as ListMetricAttributionMetricsRequest: try await listMetricAttributionMetrics(request)
        case let request as UpdateMetricAttributionRequest: try await updateMetricAttribution(request)
        case let request as DeleteMetricAttributionRequest: try await deleteMetricAttribution(request)
        // Tags
        case let request as TagResourceRequest: try await tagResource(request)
        case let request as UntagResourceRequest: try await untagResource(request)
        case let request as ListTagsForResourceRequest: try await listTagsForResource(request)
        // Runtime
        case let request as GetRecommendationsRequest: try await getRecommendations(request)
        case let request as GetPersonalizedRankingRequest: try await getPersonalizedRanking(request)
        case let request as GetActionRecommendationsRequest: try await getActionRecommendations(request)
        // Recommenders
        case let request as CreateRecommenderRequest: try await createRecommender(request)
        case let request as DescribeRecommenderRequest: try await describeRecommender(request)
        case let request as ListRecommendersRequest: try await listRecommenders(request)
        case let request as UpdateRecommenderRequest: try await updateRecommender(request)
        case let request as StartRecommenderRequest: try await startRecommender(request)
        case let request as StopRecommenderRequest: try await stopRecommender(request)
        case let request as DeleteRecommenderRequest: try await deleteRecommender(request)
        // Batch
        case let request as CreateBatchInferenceJobRequest: try await createBatchInferenceJob(request)
        case let request as DescribeBatchInferenceJobRequest: try await describeBatchInferenceJob(request)
        case let request as ListBatchInferenceJobsRequest: try await listBatchInferenceJobs(request)
        case let request as CreateBatchSegmentJobRequest: try await createBatchSegmentJob(request)
        case let request as DescribeBatchSegmentJobRequest: try await describeBatchSegmentJob(request)
        case let request as ListBatchSegmentJobsRequest: try await listBatchSegmentJobs(request)
        default:
            throw PersonalizeError(
                PersonalizeErrorCode(rawValue: "UnknownOperationException"),
                "The embedded engine does not implement \(Operation.operation.name) yet.")
        }
    }
}
