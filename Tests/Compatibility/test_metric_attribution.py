"""Metric attribution with boto3 (guide §4): create/describe/list/update/delete, the service's exceptions, events
that carry metricAttribution.eventAttributionSource, and the report an INCREMENTAL import publishes with
publishAttributionMetricsToS3 (the embedded engine writes it into a local folder)."""

import csv
import datetime
import json

import pytest

from conftest import INTERACTION_FIELDS, avro_schema, import_and_wait, wait_for, wait_until_deleted

ROLE = "arn:aws:iam::000000000000:role/PersonalizeRole"
SCHEMA = avro_schema(
    "Interactions",
    INTERACTION_FIELDS
    + [
        {"name": "EVENT_VALUE", "type": ["null", "float"]},
        {"name": "EVENT_ATTRIBUTION_SOURCE", "type": ["null", "string"]},
    ],
)


def interactions(path, start, count, source=""):
    rows = ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,EVENT_ATTRIBUTION_SOURCE"]
    for n in range(count):
        kind = "purchase" if n % 4 == 0 else "click"
        rows.append(f"user{n % 40},item{n % 25},{start + n},{kind},2.5,{source}")
    path.write_text("\n".join(rows) + "\n")


def import_job(personalize, name, dataset_arn, path, mode, publish=False):
    job = import_and_wait(
        personalize, name, dataset_arn, path, ROLE, importMode=mode, publishAttributionMetricsToS3=publish
    )
    return job["status"]


def test_metric_attribution_lifecycle_events_and_published_report(personalize, personalize_events, unique, tmp_path):
    group_arn = personalize.create_dataset_group(name=f"{unique}-impact")["datasetGroupArn"]
    schema_arn = personalize.create_schema(name=f"{unique}-interactions", schema=json.dumps(SCHEMA))["schemaArn"]
    dataset_arn = personalize.create_dataset(
        name=f"{unique}-interactions", schemaArn=schema_arn, datasetGroupArn=group_arn, datasetType="Interactions"
    )["datasetArn"]
    now = int(datetime.datetime.now(datetime.timezone.utc).timestamp())
    interactions(tmp_path / "history.csv", now - 86_400, 1000)
    assert import_job(personalize, f"{unique}-history", dataset_arn, tmp_path / "history.csv", "FULL") == "ACTIVE"

    reports = tmp_path / "reports"
    attribution_arn = personalize.create_metric_attribution(
        name=f"{unique}-impact",
        datasetGroupArn=group_arn,
        metrics=[
            {"eventType": "click", "metricName": "CLICKS", "expression": "SAMPLECOUNT()"},
            {"eventType": "purchase", "metricName": "VALUE", "expression": "SUM(Interactions.EVENT_VALUE)"},
        ],
        metricsOutputConfig={"roleArn": ROLE, "s3DataDestination": {"path": f"file://{reports}"}},
    )["metricAttributionArn"]
    describe = personalize.describe_metric_attribution
    assert wait_for(lambda: describe(metricAttributionArn=attribution_arn)["metricAttribution"]["status"]) == "ACTIVE"
    described = describe(metricAttributionArn=attribution_arn)["metricAttribution"]
    assert described["datasetGroupArn"] == group_arn
    assert described["metricsOutputConfig"]["roleArn"] == ROLE

    with pytest.raises(personalize.exceptions.ResourceAlreadyExistsException):
        personalize.create_metric_attribution(
            name=f"{unique}-second",
            datasetGroupArn=group_arn,
            metrics=[{"eventType": "click", "metricName": "C", "expression": "SAMPLECOUNT()"}],
            metricsOutputConfig={"roleArn": ROLE},
        )
    with pytest.raises(personalize.exceptions.ResourceInUseException):
        personalize.delete_dataset_group(datasetGroupArn=group_arn)
    listed = personalize.list_metric_attributions(datasetGroupArn=group_arn)["metricAttributions"]
    assert [a["metricAttributionArn"] for a in listed] == [attribution_arn]
    page = personalize.list_metric_attribution_metrics(metricAttributionArn=attribution_arn, maxResults=1)
    assert [m["metricName"] for m in page["metrics"]] == ["CLICKS"]
    rest = personalize.list_metric_attribution_metrics(metricAttributionArn=attribution_arn, nextToken=page["nextToken"])
    assert [m["metricName"] for m in rest["metrics"]] == ["VALUE"]

    tracker = personalize.create_event_tracker(name=f"{unique}-tracker", datasetGroupArn=group_arn)
    personalize_events.put_events(
        trackingId=tracker["trackingId"],
        userId="user1",
        sessionId="session1",
        eventList=[
            {
                "eventType": "click",
                "itemId": "item3",
                "sentAt": datetime.datetime.fromtimestamp(now, datetime.timezone.utc),
                "metricAttribution": {"eventAttributionSource": "newsletter"},
            }
        ],
    )

    interactions(tmp_path / "more.csv", now, 1000, source="partner")
    assert import_job(personalize, f"{unique}-more", dataset_arn, tmp_path / "more.csv", "INCREMENTAL", True) == "ACTIVE"
    files = sorted(reports.iterdir())
    assert len(files) == 1 and files[0].name.startswith("AggregatedAttributionMetrics - BULK - ")
    with files[0].open() as handle:
        rows = list(csv.DictReader(handle))
    assert {r["METRIC_NAME"] for r in rows} == {"CLICKS", "VALUE"}
    assert {r["EVENT_ATTRIBUTION_SOURCE"] for r in rows} == {"partner"}
    assert sum(float(r["VALUE"]) for r in rows if r["METRIC_NAME"] == "CLICKS") == 750.0
    assert sum(float(r["VALUE"]) for r in rows if r["METRIC_NAME"] == "VALUE") == 250 * 2.5
    assert all(r["EVENT_TYPE"] in ("CLICK", "PURCHASE") and int(r["TIMESTAMP"]) % 900 == 0 for r in rows)

    personalize.update_metric_attribution(
        metricAttributionArn=attribution_arn,
        removeMetrics=["VALUE"],
        addMetrics=[{"eventType": "purchase", "metricName": "PURCHASES", "expression": "SAMPLECOUNT()"}],
    )
    assert wait_for(lambda: describe(metricAttributionArn=attribution_arn)["metricAttribution"]["status"]) == "ACTIVE"
    names = [m["metricName"] for m in personalize.list_metric_attribution_metrics(metricAttributionArn=attribution_arn)["metrics"]]
    assert names == ["CLICKS", "PURCHASES"]
    with pytest.raises(personalize.exceptions.InvalidInputException):
        personalize.update_metric_attribution(metricAttributionArn=attribution_arn, removeMetrics=["NOPE"])

    personalize.delete_metric_attribution(metricAttributionArn=attribution_arn)
    wait_until_deleted(lambda: describe(metricAttributionArn=attribution_arn)["metricAttribution"]["status"])
    personalize.delete_event_tracker(eventTrackerArn=tracker["eventTrackerArn"])
    personalize.delete_dataset(datasetArn=dataset_arn)
    wait_until_deleted(lambda: personalize.describe_dataset(datasetArn=dataset_arn)["dataset"]["status"])
    wait_until_deleted(
        lambda: personalize.describe_event_tracker(eventTrackerArn=tracker["eventTrackerArn"])["eventTracker"]["status"])
    personalize.delete_dataset_group(datasetGroupArn=group_arn)
