"""boto3 cannot make `tailor serve` read or write outside the folders it was allowed."""

import json

import botocore.exceptions
import pytest

from test_getting_started import SCHEMA, write_interactions


@pytest.fixture()
def dataset(personalize, unique):
    group = personalize.create_dataset_group(name=f"{unique}-paths")["datasetGroupArn"]
    schema = personalize.create_schema(name=f"{unique}-paths", schema=json.dumps(SCHEMA))["schemaArn"]
    return personalize.create_dataset(
        name=f"{unique}-paths", schemaArn=schema, datasetGroupArn=group, datasetType="Interactions"
    )["datasetArn"]


@pytest.mark.parametrize("location", ["/etc/passwd", "/proc/self/environ", "../../../../../../etc/passwd", "/dev/zero"])
def test_an_import_outside_the_allowed_folders_is_refused(personalize, dataset, unique, location):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        personalize.create_dataset_import_job(
            jobName=f"{unique}-outside", datasetArn=dataset, dataSource={"dataLocation": location},
            roleArn="arn:aws:iam::000000000000:role/personalize",
        )
    error = raised.value.response["Error"]
    assert error["Code"] == "InvalidInputException"
    assert "outside the folders" in error["Message"]
    assert "root:" not in error["Message"]


def test_an_export_outside_the_allowed_folders_is_refused(personalize, dataset, unique, tmp_path):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        personalize.create_dataset_export_job(
            jobName=f"{unique}-export", datasetArn=dataset, roleArn="arn:aws:iam::000000000000:role/personalize",
            jobOutput={"s3DataDestination": {"path": str(tmp_path / ".." / ".." / ".." / "escaped")}},
        )
    assert raised.value.response["Error"]["Code"] == "InvalidInputException"
    assert not (tmp_path / ".." / ".." / ".." / "escaped").exists()


def test_an_import_inside_an_allowed_folder_runs(personalize, dataset, unique, tmp_path):
    write_interactions(tmp_path / "interactions.csv")
    job = personalize.create_dataset_import_job(
        jobName=f"{unique}-inside", datasetArn=dataset, dataSource={"dataLocation": str(tmp_path / "interactions.csv")},
        roleArn="arn:aws:iam::000000000000:role/personalize",
    )
    assert job["datasetImportJobArn"].endswith(f"{unique}-inside")
