"""The developer guide's getting-started flow for a custom dataset group, with boto3 (SDK for Python).

Dataset group, schema, Interactions dataset, import job from a local CSV, solution
(aws-user-personalization), solution version, offline metrics, campaign, recommendations from the
`personalize-runtime` client, and an event tracker whose events (`personalize-events` PutEvents)
change the next recommendations, waiting on statuses as the guide does.
"""

import datetime
import json
import random

from conftest import INTERACTION_FIELDS, avro_schema, settled, trained_version, wait_for, wait_until_deleted

USERS = 60
ITEMS = 200
PER_USER = 20
CLUSTERS = 4

SCHEMA = avro_schema("Interactions", INTERACTION_FIELDS)


def write_interactions(path):
    """1,200 interactions of 60 users; each user mostly picks items of their own taste cluster."""
    rng = random.Random(7)
    rows = ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE"]
    history = {}
    timestamp = 1_700_000_000
    for user in range(USERS):
        chosen = set()
        while len(chosen) < PER_USER:
            cluster = user % CLUSTERS if rng.random() < 0.9 else rng.randrange(CLUSTERS)
            chosen.add(rng.randrange(ITEMS // CLUSTERS) * CLUSTERS + cluster)
        for item in sorted(chosen):
            timestamp += 60
            rows.append(f"user{user},item{item},{timestamp},click")
        history[f"user{user}"] = {f"item{item}" for item in chosen}
    path.write_text("\n".join(rows) + "\n")
    return history


def cluster_of(item_id):
    return int(item_id[len("item"):]) % CLUSTERS


def test_custom_dataset_group_end_to_end(personalize, personalize_runtime, personalize_events, tmp_path, unique):
    history = write_interactions(tmp_path / "interactions.csv")
    assert sum(len(items) for items in history.values()) >= 1000

    # 1. Dataset group.
    group_arn = personalize.create_dataset_group(name=f"{unique}-shop")["datasetGroupArn"]
    status = wait_for(
        lambda: personalize.describe_dataset_group(datasetGroupArn=group_arn)["datasetGroup"]["status"]
    )
    assert status == "ACTIVE"

    # 2. Schema and Interactions dataset.
    schema_arn = personalize.create_schema(name=f"{unique}-interactions", schema=json.dumps(SCHEMA))["schemaArn"]
    described_schema = personalize.describe_schema(schemaArn=schema_arn)["schema"]
    assert json.loads(described_schema["schema"])["fields"][0]["name"] == "USER_ID"
    dataset_arn = personalize.create_dataset(
        name=f"{unique}-interactions",
        schemaArn=schema_arn,
        datasetGroupArn=group_arn,
        datasetType="Interactions",
    )["datasetArn"]
    datasets = personalize.list_datasets(datasetGroupArn=group_arn)["datasets"]
    assert [d["datasetArn"] for d in datasets] == [dataset_arn]

    # 3. Bulk import from a local file (where the service reads s3://).
    job_arn = personalize.create_dataset_import_job(
        jobName=f"{unique}-import",
        datasetArn=dataset_arn,
        dataSource={"dataLocation": str(tmp_path / "interactions.csv")},
        roleArn="arn:aws:iam::000000000000:role/PersonalizeRole",
        importMode="FULL",
    )["datasetImportJobArn"]
    job = settled(lambda: personalize.describe_dataset_import_job(datasetImportJobArn=job_arn)["datasetImportJob"])
    assert job["status"] == "ACTIVE", job.get("failureReason")
    jobs = personalize.list_dataset_import_jobs(datasetArn=dataset_arn)["datasetImportJobs"]
    assert [j["datasetImportJobArn"] for j in jobs] == [job_arn]

    # 4. Solution and a trained solution version.
    solution_arn, version_arn = trained_version(personalize, f"{unique}-picks", group_arn)
    latest = personalize.describe_solution(solutionArn=solution_arn)["solution"]["latestSolutionVersion"]
    assert latest["solutionVersionArn"] == version_arn

    # 5. Offline metrics.
    metrics = personalize.get_solution_metrics(solutionVersionArn=version_arn)
    assert metrics["solutionVersionArn"] == version_arn
    values = metrics["metrics"]
    for name in [
        "precision_at_5",
        "precision_at_10",
        "precision_at_25",
        "normalized_discounted_cumulative_gain_at_5",
        "normalized_discounted_cumulative_gain_at_10",
        "normalized_discounted_cumulative_gain_at_25",
        "mean_reciprocal_rank_at_25",
        "coverage",
    ]:
        assert 0.0 <= values[name] <= 1.0, name
    assert values["normalized_discounted_cumulative_gain_at_10"] > 0.0

    # 6. Campaign.
    campaign_arn = personalize.create_campaign(
        name=f"{unique}-picks", solutionVersionArn=version_arn, minProvisionedTPS=1
    )["campaignArn"]
    status = wait_for(lambda: personalize.describe_campaign(campaignArn=campaign_arn)["campaign"]["status"])
    assert status == "ACTIVE"

    # 7. Recommendations through personalize-runtime.
    response = personalize_runtime.get_recommendations(campaignArn=campaign_arn, userId="user3", numResults=10)
    items = response["itemList"]
    assert len(items) == 10
    assert response["recommendationId"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    # Exploration (weight 0.3 by default) places 2 of 10 items among the others, with reason "Exploration";
    # the others keep the model's order.
    explored = [item for item in items if item.get("reason") == ["Exploration"]]
    assert len(explored) == 2, items
    scores = [item["score"] for item in items if "reason" not in item]
    assert scores == sorted(scores, reverse=True)
    ids = [item["itemId"] for item in items]
    assert not set(ids) & history["user3"], "items the user already interacted with are not recommended"
    assert sum(1 for item in ids if cluster_of(item) == 3 % CLUSTERS) >= 7, ids

    # 8. Real time: an event tracker, and a new user's clicks recorded with personalize-events.
    tracker = personalize.create_event_tracker(name=f"{unique}-tracker", datasetGroupArn=group_arn)
    tracker_arn, tracking_id = tracker["eventTrackerArn"], tracker["trackingId"]
    status = wait_for(
        lambda: personalize.describe_event_tracker(eventTrackerArn=tracker_arn)["eventTracker"]["status"]
    )
    assert status == "ACTIVE"
    clicked = [f"item{index * CLUSTERS + 2}" for index in range(10)]
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    response = personalize_events.put_events(
        trackingId=tracking_id,
        userId="newcomer",
        sessionId="session-1",
        eventList=[
            {"eventType": "click", "itemId": item, "sentAt": start + datetime.timedelta(seconds=index)}
            for index, item in enumerate(clicked)
        ],
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    after = personalize_runtime.get_recommendations(campaignArn=campaign_arn, userId="newcomer", numResults=10)
    after_ids = [item["itemId"] for item in after["itemList"]]
    assert sum(1 for item in after_ids if cluster_of(item) == 2) >= 8, after_ids
    assert not set(after_ids) & set(clicked), "items the user just clicked are left out"

    # 9. Clean up as the guide does: tracker, campaign, solution, dataset, schema, dataset group.
    # Deletions go through DELETE PENDING and DELETE IN_PROGRESS; a parent waits for its children to be gone.
    personalize.delete_event_tracker(eventTrackerArn=tracker_arn)
    personalize.delete_campaign(campaignArn=campaign_arn)
    wait_until_deleted(lambda: personalize.describe_campaign(campaignArn=campaign_arn)["campaign"]["status"])
    personalize.delete_solution(solutionArn=solution_arn)
    personalize.delete_dataset(datasetArn=dataset_arn)
    wait_until_deleted(lambda: personalize.describe_dataset(datasetArn=dataset_arn)["dataset"]["status"])
    wait_until_deleted(lambda: personalize.describe_solution(solutionArn=solution_arn)["solution"]["status"])
    wait_until_deleted(
        lambda: personalize.describe_event_tracker(eventTrackerArn=tracker_arn)["eventTracker"]["status"])
    personalize.delete_schema(schemaArn=schema_arn)
    personalize.delete_dataset_group(datasetGroupArn=group_arn)
    wait_until_deleted(
        lambda: personalize.describe_dataset_group(datasetGroupArn=group_arn)["datasetGroup"]["status"])
    names = [g["name"] for g in personalize.list_dataset_groups()["datasetGroups"]]
    assert f"{unique}-shop" not in names
