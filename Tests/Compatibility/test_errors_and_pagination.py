"""botocore raises the service's exception classes for Tailor's errors, and pages with nextToken."""

import json

import pytest

from conftest import INTERACTION_FIELDS, avro_schema

MISSING_GROUP = "arn:aws:personalize:us-east-1:000000000000:dataset-group/does-not-exist"
MISSING_CAMPAIGN = "arn:aws:personalize:us-east-1:000000000000:campaign/does-not-exist"
SCHEMA = json.dumps(avro_schema("Interactions", INTERACTION_FIELDS[:3]))


def test_resource_not_found(personalize):
    with pytest.raises(personalize.exceptions.ResourceNotFoundException) as raised:
        personalize.describe_dataset_group(datasetGroupArn=MISSING_GROUP)
    error = raised.value.response
    assert error["Error"]["Code"] == "ResourceNotFoundException"
    assert MISSING_GROUP in error["Error"]["Message"]
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert len(error["ResponseMetadata"]["RequestId"]) == 36


def test_resource_already_exists(personalize, unique):
    personalize.create_dataset_group(name=unique)
    with pytest.raises(personalize.exceptions.ResourceAlreadyExistsException):
        personalize.create_dataset_group(name=unique)


def test_invalid_input(personalize):
    # botocore checks lengths, not patterns: the server refuses the space.
    with pytest.raises(personalize.exceptions.InvalidInputException) as raised:
        personalize.create_dataset_group(name="no spaces allowed")
    assert raised.value.response["Error"]["Message"]
    with pytest.raises(personalize.exceptions.InvalidInputException) as raised:
        personalize.create_schema(name="broken", schema='{"type": "record", "name": "Interactions", "fields": []}')


def test_resource_in_use(personalize, unique):
    group = personalize.create_dataset_group(name=unique)["datasetGroupArn"]
    schema = personalize.create_schema(name=unique, schema=SCHEMA)["schemaArn"]
    personalize.create_dataset(
        name=unique, schemaArn=schema, datasetGroupArn=group, datasetType="Interactions"
    )
    with pytest.raises(personalize.exceptions.ResourceInUseException):
        personalize.delete_dataset_group(datasetGroupArn=group)


def test_invalid_next_token(personalize):
    with pytest.raises(personalize.exceptions.InvalidNextTokenException):
        personalize.list_dataset_groups(nextToken="not-a-token")


def test_runtime_errors_use_rest_json_statuses(personalize_runtime):
    with pytest.raises(personalize_runtime.exceptions.ResourceNotFoundException) as raised:
        personalize_runtime.get_recommendations(campaignArn=MISSING_CAMPAIGN, userId="u1")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert raised.value.response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"] == "ResourceNotFoundException"
    with pytest.raises(personalize_runtime.exceptions.InvalidInputException) as raised:
        personalize_runtime.get_recommendations(campaignArn=MISSING_CAMPAIGN, userId="u1", numResults=0)
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_pagination_with_next_token(personalize, unique):
    names = {f"{unique}-{index}" for index in range(5)}
    for name in sorted(names):
        personalize.create_dataset_group(name=name)

    seen, token, pages = [], None, 0
    while True:
        kwargs = {"maxResults": 2}
        if token:
            kwargs["nextToken"] = token
        page = personalize.list_dataset_groups(**kwargs)
        assert len(page["datasetGroups"]) <= 2
        seen += [group["name"] for group in page["datasetGroups"]]
        pages += 1
        token = page.get("nextToken")
        if not token:
            break
    assert names <= set(seen)
    assert len(seen) == len(set(seen)), "no group listed twice"
    assert pages >= 3

    paginated = [
        group["name"]
        for page in personalize.get_paginator("list_dataset_groups").paginate(PaginationConfig={"PageSize": 2})
        for group in page["datasetGroups"]
    ]
    assert sorted(paginated) == sorted(seen)


def test_list_recipes_and_describe_recipe(personalize):
    recipes = {r["name"]: r for r in personalize.list_recipes()["recipes"]}
    assert "aws-user-personalization" in recipes
    recipe = personalize.describe_recipe(recipeArn=recipes["aws-user-personalization"]["recipeArn"])["recipe"]
    assert recipe["name"] == "aws-user-personalization"
    assert recipe["status"] == "ACTIVE"
