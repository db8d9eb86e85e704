"""The getting-started flow with S3 URIs, as Personalize sample code runs it with only `endpoint_url` changed.

boto3's S3 client uploads the data to an S3-compatible server (moto's, with SigV4 required, started by
scripts/with-s3), `tailor serve --s3-endpoint` imports it from a prefix, trains, runs batch inference from
`s3://.../input.json` into `s3://.../output/`, exports the dataset to S3, and boto3 reads the outputs back from
S3. A job whose object is missing fails with the service's failureReason.
"""

import json
import os

import pytest

from conftest import INTERACTION_FIELDS, avro_schema, make_client, settled, trained_version
from test_getting_started import write_interactions

ROLE = "arn:aws:iam::000000000000:role/PersonalizeRole"

pytestmark = pytest.mark.skipif(
    not os.environ.get("TAILOR_TEST_S3_ENDPOINT"), reason="needs an S3 server (scripts/with-s3 scripts/compat-test)"
)


@pytest.fixture(scope="module")
def s3():
    return make_client(
        "s3",
        os.environ.get("TAILOR_TEST_S3_ENDPOINT"),
        key_id=os.environ.get("TAILOR_TEST_S3_ACCESS_KEY_ID"),
        secret=os.environ.get("TAILOR_TEST_S3_SECRET_ACCESS_KEY"),
    )


def test_import_train_batch_and_export_through_s3(personalize, s3, tmp_path, unique):
    bucket = f"{unique}-personalize"
    s3.create_bucket(Bucket=bucket)
    history = write_interactions(tmp_path / "interactions.csv")
    lines = (tmp_path / "interactions.csv").read_text().splitlines()
    header, rows = lines[0], lines[1:]
    half = len(rows) // 2
    # A folder of two CSV files, as the guide's E1 describes it ("omit the file name").
    s3.put_object(Bucket=bucket, Key="training/part-1.csv", Body="\n".join([header] + rows[:half]) + "\n")
    s3.upload_file(str(tmp_path / "interactions.csv"), bucket, "whole/interactions.csv")
    s3.put_object(Bucket=bucket, Key="training/part-2.csv", Body="\n".join([header] + rows[half:]) + "\n")

    group_arn = personalize.create_dataset_group(name=f"{unique}-s3")["datasetGroupArn"]
    schema_arn = personalize.create_schema(
        name=f"{unique}-s3", schema=json.dumps(avro_schema("Interactions", INTERACTION_FIELDS))
    )["schemaArn"]
    dataset_arn = personalize.create_dataset(
        name=f"{unique}-s3", schemaArn=schema_arn, datasetGroupArn=group_arn, datasetType="Interactions"
    )["datasetArn"]

    job_arn = personalize.create_dataset_import_job(
        jobName=f"{unique}-import",
        datasetArn=dataset_arn,
        dataSource={"dataLocation": f"s3://{bucket}/training/"},
        roleArn=ROLE,
    )["datasetImportJobArn"]
    job = settled(lambda: personalize.describe_dataset_import_job(datasetImportJobArn=job_arn)["datasetImportJob"])
    assert job["status"] == "ACTIVE", job.get("failureReason")
    assert job["dataSource"]["dataLocation"] == f"s3://{bucket}/training/"

    missing_arn = personalize.create_dataset_import_job(
        jobName=f"{unique}-missing",
        datasetArn=dataset_arn,
        dataSource={"dataLocation": f"s3://{bucket}/nothing/here.csv"},
        roleArn=ROLE,
        importMode="INCREMENTAL",
    )["datasetImportJobArn"]
    missing = settled(
        lambda: personalize.describe_dataset_import_job(datasetImportJobArn=missing_arn)["datasetImportJob"]
    )
    assert missing["status"] == "CREATE FAILED"
    assert missing["failureReason"] == f"Invalid Data location. No object at s3://{bucket}/nothing/here.csv."

    _, version_arn = trained_version(personalize, f"{unique}-s3", group_arn)

    s3.put_object(Bucket=bucket, Key="batch/input.json", Body='{"userId": "user1"}\n{"userId": "user2"}\n')
    batch_arn = personalize.create_batch_inference_job(
        jobName=f"{unique}-batch",
        solutionVersionArn=version_arn,
        numResults=10,
        jobInput={"s3DataSource": {"path": f"s3://{bucket}/batch/input.json"}},
        jobOutput={"s3DataDestination": {"path": f"s3://{bucket}/batch/output/"}},
        roleArn=ROLE,
    )["batchInferenceJobArn"]
    batch = settled(lambda: personalize.describe_batch_inference_job(batchInferenceJobArn=batch_arn)["batchInferenceJob"])
    assert batch["status"] == "ACTIVE", batch.get("failureReason")
    output = s3.get_object(Bucket=bucket, Key="batch/output/input.json.out")["Body"].read().decode()
    results = [json.loads(line) for line in output.splitlines()]
    assert [result["input"]["userId"] for result in results] == ["user1", "user2"]
    for result in results:
        items = result["output"]["recommendedItems"]
        assert len(items) == 10
        assert not set(items) & history[result["input"]["userId"]]

    export_arn = personalize.create_dataset_export_job(
        jobName=f"{unique}-export",
        datasetArn=dataset_arn,
        ingestionMode="BULK",
        roleArn=ROLE,
        jobOutput={"s3DataDestination": {"path": f"s3://{bucket}/export/"}},
    )["datasetExportJobArn"]
    export = settled(lambda: personalize.describe_dataset_export_job(datasetExportJobArn=export_arn)["datasetExportJob"])
    assert export["status"] == "ACTIVE", export.get("failureReason")
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket, Prefix="export/")["Contents"]]
    assert keys == [f"export/{unique}-export_part_00000.csv"]
    local = tmp_path / "exported.csv"
    s3.download_file(bucket, keys[0], str(local))
    exported = local.read_text().splitlines()
    assert exported[0].split(",")[:2] == ["USER_ID", "ITEM_ID"]
    assert len(exported) == len(lines)
