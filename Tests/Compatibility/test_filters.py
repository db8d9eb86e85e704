"""Filters with boto3: create_filter, describe/list/delete, and get_recommendations with filterArn and
filterValues, including an event recorded a moment ago with personalize-events (guide §3.2, §3.10).

A popularity-count campaign makes the unfiltered order known: user j interacted with items 0 … 49-j,
so item k has 50-k interactions and the order is item0, item1, ….
"""

import datetime
import json

import pytest

from conftest import INTERACTION_FIELDS, avro_schema, imported_interactions, wait_for, wait_until_deleted

USERS = 50
SCHEMA = avro_schema("Interactions", INTERACTION_FIELDS)
POPULARITY = [f"item{k}" for k in range(USERS)]


def event_type(user, item):
    return "purchase" if (user + item) % 3 == 0 else "click"


def write_interactions(path):
    rows = ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE"]
    for user in range(USERS):
        for item in range(USERS - user):
            rows.append(f"user{user},item{item},{1_700_000_000 + user * 100 + item},{event_type(user, item)}")
    path.write_text("\n".join(rows) + "\n")
    assert len(rows) - 1 >= 1000


def deploy(personalize, unique, tmp_path):
    """Dataset group, Interactions import, popularity-count solution version and campaign."""
    write_interactions(tmp_path / "interactions.csv")
    group_arn = personalize.create_dataset_group(name=f"{unique}-filters")["datasetGroupArn"]
    schema_arn = personalize.create_schema(name=f"{unique}-interactions", schema=json.dumps(SCHEMA))["schemaArn"]
    role = "arn:aws:iam::000000000000:role/PersonalizeRole"
    imported_interactions(personalize, unique, group_arn, schema_arn, tmp_path / "interactions.csv", role)
    solution_arn = personalize.create_solution(
        name=f"{unique}-popular",
        datasetGroupArn=group_arn,
        recipeArn="arn:aws:personalize:::recipe/aws-popularity-count",
    )["solutionArn"]
    version_arn = personalize.create_solution_version(solutionArn=solution_arn)["solutionVersionArn"]
    describe_version = personalize.describe_solution_version
    status = wait_for(lambda: describe_version(solutionVersionArn=version_arn)["solutionVersion"]["status"])
    assert status == "ACTIVE"
    campaign_arn = personalize.create_campaign(name=f"{unique}-popular", solutionVersionArn=version_arn)["campaignArn"]
    assert wait_for(lambda: personalize.describe_campaign(campaignArn=campaign_arn)["campaign"]["status"]) == "ACTIVE"
    return group_arn, campaign_arn


def test_filters_end_to_end(personalize, personalize_runtime, personalize_events, tmp_path, unique):
    group_arn, campaign_arn = deploy(personalize, unique, tmp_path)

    # The guide's F1 with a parameter, tagged like the other resources.
    filter_arn = personalize.create_filter(
        name=f"{unique}-no-type",
        datasetGroupArn=group_arn,
        filterExpression="EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($EVENT_TYPE)",
        tags=[{"tagKey": "team", "tagValue": "recs"}],
    )["filterArn"]
    status = wait_for(lambda: personalize.describe_filter(filterArn=filter_arn)["filter"]["status"])
    assert status == "ACTIVE"
    described = personalize.describe_filter(filterArn=filter_arn)["filter"]
    assert described["datasetGroupArn"] == group_arn
    assert described["filterExpression"].startswith("EXCLUDE ItemID")
    listed = personalize.list_filters(datasetGroupArn=group_arn)["Filters"]
    assert [f["filterArn"] for f in listed] == [filter_arn]
    assert personalize.list_tags_for_resource(resourceArn=filter_arn)["tags"] == [{"tagKey": "team", "tagValue": "recs"}]

    def recommend(user, **kwargs):
        response = personalize_runtime.get_recommendations(campaignArn=campaign_arn, userId=user, numResults=10, **kwargs)
        return [item["itemId"] for item in response["itemList"]]

    user = 45
    purchased = {f"item{k}" for k in range(USERS - user) if event_type(user, k) == "purchase"}
    assert purchased
    assert recommend(f"user{user}") == POPULARITY[:10]
    got = recommend(f"user{user}", filterArn=filter_arn, filterValues={"EVENT_TYPE": '"purchase"'})
    assert got == [item for item in POPULARITY if item not in purchased][:10]
    both = recommend(f"user{user}", filterArn=filter_arn, filterValues={"EVENT_TYPE": '"purchase", "click"'})
    assert both == [item for item in POPULARITY if int(item[4:]) >= USERS - user][:10]

    # A purchase recorded a moment ago is filtered out on the next request.
    tracking_id = personalize.create_event_tracker(name=f"{unique}-tracker", datasetGroupArn=group_arn)["trackingId"]
    personalize_events.put_events(
        trackingId=tracking_id,
        userId="newcomer",
        sessionId="s1",
        eventList=[{"eventType": "purchase", "itemId": "item0", "sentAt": datetime.datetime(2024, 1, 1)}],
    )
    got = recommend("newcomer", filterArn=filter_arn, filterValues={"EVENT_TYPE": '"purchase"'})
    assert got == POPULARITY[1:11]

    # Errors: an invalid expression names the token and its position; an unknown filter is not found.
    with pytest.raises(personalize.exceptions.InvalidInputException) as raised:
        personalize.create_filter(
            name=f"{unique}-bad", datasetGroupArn=group_arn, filterExpression='EXCLUDE ItemID WHER Items.X IN ("a")'
        )
    assert "'WHER'" in raised.value.response["Error"]["Message"]
    assert "at character 16" in raised.value.response["Error"]["Message"]
    with pytest.raises(personalize_runtime.exceptions.ResourceNotFoundException):
        recommend("user1", filterArn=filter_arn.replace("no-type", "missing"))

    with pytest.raises(personalize.exceptions.ResourceInUseException):
        personalize.delete_dataset_group(datasetGroupArn=group_arn)
    personalize.delete_filter(filterArn=filter_arn)
    wait_until_deleted(lambda: personalize.describe_filter(filterArn=filter_arn)["filter"]["status"])
    assert personalize.list_filters(datasetGroupArn=group_arn)["Filters"] == []
