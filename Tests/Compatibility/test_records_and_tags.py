"""Individual records through `personalize-events` (PutItems, PutUsers, PutEvents), schema updates
(UpdateDataset) and tags, with boto3."""

import datetime
import json

import pytest

from conftest import INTERACTION_FIELDS, avro_schema


def schema(name, fields):
    return json.dumps(avro_schema(name, fields))


ITEMS_V1 = schema("Items", [{"name": "ITEM_ID", "type": "string"}, {"name": "PRICE", "type": "float"}])
ITEMS_V2 = schema(
    "Items",
    [
        {"name": "ITEM_ID", "type": "string"},
        {"name": "PRICE", "type": "float"},
        {"name": "BRAND", "type": ["null", "string"], "categorical": True},
    ],
)
USERS = schema(
    "Users",
    [{"name": "USER_ID", "type": "string"}, {"name": "MEMBERSHIP", "type": "string", "categorical": True}],
)
INTERACTIONS = schema("Interactions", INTERACTION_FIELDS)


@pytest.fixture
def group(personalize, unique):
    return personalize.create_dataset_group(name=unique)["datasetGroupArn"]


def dataset(personalize, group, unique, kind, schema_text):
    schema_arn = personalize.create_schema(name=f"{unique}-{kind.lower()}", schema=schema_text)["schemaArn"]
    return personalize.create_dataset(
        name=f"{unique}-{kind.lower()}", schemaArn=schema_arn, datasetGroupArn=group, datasetType=kind
    )["datasetArn"]


def test_put_items_and_users(personalize, personalize_events, group, unique):
    items = dataset(personalize, group, unique, "Items", ITEMS_V1)
    users = dataset(personalize, group, unique, "Users", USERS)
    personalize_events.put_items(
        datasetArn=items,
        items=[{"itemId": "a", "properties": json.dumps({"price": 3.5})}, {"itemId": "b", "properties": '{"price": 2}'}],
    )
    personalize_events.put_users(
        datasetArn=users, users=[{"userId": "u1", "properties": json.dumps({"membership": "gold"})}]
    )
    with pytest.raises(personalize_events.exceptions.InvalidInputException) as raised:
        personalize_events.put_items(datasetArn=items, items=[{"itemId": "c", "properties": '{"price": "cheap"}'}])
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "PRICE" in raised.value.response["Error"]["Message"]
    with pytest.raises(personalize_events.exceptions.InvalidInputException):
        personalize_events.put_items(datasetArn=users, items=[{"itemId": "c"}])


def test_update_dataset_to_a_compatible_schema(personalize, personalize_events, group, unique):
    items = dataset(personalize, group, unique, "Items", ITEMS_V1)
    schema_v2 = personalize.create_schema(name=f"{unique}-items-v2", schema=ITEMS_V2)["schemaArn"]
    personalize.update_dataset(datasetArn=items, schemaArn=schema_v2)
    described = personalize.describe_dataset(datasetArn=items)["dataset"]
    assert described["schemaArn"] == schema_v2
    personalize_events.put_items(
        datasetArn=items, items=[{"itemId": "a", "properties": json.dumps({"price": 1, "brand": "acme"})}]
    )


def test_put_events_needs_a_known_tracker(personalize, personalize_events, group, unique):
    dataset(personalize, group, unique, "Interactions", INTERACTIONS)
    tracker = personalize.create_event_tracker(name=unique, datasetGroupArn=group)
    event = {"eventType": "click", "itemId": "i1", "sentAt": datetime.datetime(2024, 1, 1)}
    personalize_events.put_events(trackingId=tracker["trackingId"], sessionId="s1", userId="u1", eventList=[event])
    with pytest.raises(personalize_events.exceptions.ResourceNotFoundException) as raised:
        personalize_events.put_events(trackingId="no-such-tracker", sessionId="s1", eventList=[event])
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(personalize.exceptions.ResourceAlreadyExistsException):
        personalize.create_event_tracker(name=f"{unique}-second", datasetGroupArn=group)
    trackers = personalize.list_event_trackers(datasetGroupArn=group)["eventTrackers"]
    assert [t["eventTrackerArn"] for t in trackers] == [tracker["eventTrackerArn"]]


def test_tags(personalize, unique):
    arn = personalize.create_dataset_group(name=unique, tags=[{"tagKey": "team", "tagValue": "recs"}])[
        "datasetGroupArn"
    ]
    personalize.tag_resource(resourceArn=arn, tags=[{"tagKey": "env", "tagValue": "dev"}])
    tags = personalize.list_tags_for_resource(resourceArn=arn)["tags"]
    assert sorted((t["tagKey"], t["tagValue"]) for t in tags) == [("env", "dev"), ("team", "recs")]
    personalize.untag_resource(resourceArn=arn, tagKeys=["env"])
    assert [t["tagKey"] for t in personalize.list_tags_for_resource(resourceArn=arn)["tags"]] == ["team"]
    with pytest.raises(personalize.exceptions.TooManyTagsException):
        personalize.tag_resource(resourceArn=arn, tags=[{"tagKey": f"k{i}", "tagValue": "v"} for i in range(50)])
