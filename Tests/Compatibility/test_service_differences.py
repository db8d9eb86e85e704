"""Differences from the service found by running the aws-samples notebooks against `tailor serve`, with boto3.

`tailor serve` keeps a deleted resource visible for a short window (DELETE PENDING, then DELETE IN_PROGRESS),
so the samples' clean-up loops, which wait while Describe still finds the resource, end as on the service.
"""

import botocore.exceptions
import pytest

from conftest import wait_until_deleted


def test_list_recipes_by_domain_and_describe_a_domain_recipe(personalize):
    recipes = personalize.list_recipes(domain="ECOMMERCE")["recipes"]
    assert {r["name"] for r in recipes} == {
        "aws-ecomm-popular-items-by-views",
        "aws-ecomm-popular-items-by-purchases",
        "aws-ecomm-frequently-bought-together",
        "aws-ecomm-customers-who-viewed-x-also-viewed",
        "aws-ecomm-recommended-for-you",
    }
    assert all(r["domain"] == "ECOMMERCE" for r in recipes)
    arn = "arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you"
    recipe = personalize.describe_recipe(recipeArn=arn)["recipe"]
    assert recipe["recipeArn"] == arn
    assert recipe["status"] == "ACTIVE"


def test_a_deleted_dataset_group_is_delete_pending_until_it_is_gone(personalize, unique):
    name = f"{unique}-bye"
    arn = personalize.create_dataset_group(name=name)["datasetGroupArn"]
    personalize.delete_dataset_group(datasetGroupArn=arn)
    assert personalize.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"] == "DELETE PENDING"
    with pytest.raises(personalize.exceptions.ResourceAlreadyExistsException):
        personalize.create_dataset_group(name=name)
    seen = wait_until_deleted(
        lambda: personalize.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"])
    assert seen[0] == "DELETE PENDING"
    with pytest.raises(botocore.exceptions.ClientError):
        personalize.describe_dataset_group(datasetGroupArn=arn)
    personalize.create_dataset_group(name=name)
