"""Fixtures for the compatibility tests: boto3 clients of a running `tailor serve`.

`scripts/compat-test` starts two servers on free loopback ports and exports:

- TAILOR_ENDPOINT       the server without auth keys (--cors-origin http://localhost:3000 --allow-host tailor.test)
- TAILOR_AUTH_ENDPOINT  the server started with --auth-keys (region us-east-1, the default)
- TAILOR_AUTH_KEY_ID / TAILOR_AUTH_SECRET   the key it accepts
- TAILOR_BINARY         the `tailor` they run
"""

import os
import time
import uuid

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config

REGION = "us-east-1"
# No retries: a request that fails once must fail the test.
CONFIG = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=120)

# USER_ID, ITEM_ID, TIMESTAMP and EVENT_TYPE: the fields of the guide's smallest Interactions schema.
INTERACTION_FIELDS = [
    {"name": "USER_ID", "type": "string"},
    {"name": "ITEM_ID", "type": "string"},
    {"name": "TIMESTAMP", "type": "long"},
    {"name": "EVENT_TYPE", "type": "string"},
]


def avro_schema(name, fields):
    """The Avro record schema CreateSchema takes (as a dict; json.dumps it for the call): record `name` of `fields`."""
    return {
        "type": "record",
        "name": name,
        "namespace": "com.amazonaws.personalize.schema",
        "fields": fields,
        "version": "1.0",
    }


def _required(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run the tests through scripts/compat-test")
    return value


@pytest.fixture(scope="session")
def endpoint():
    return _required("TAILOR_ENDPOINT")


@pytest.fixture(scope="session")
def auth_endpoint():
    return _required("TAILOR_AUTH_ENDPOINT")


@pytest.fixture(scope="session")
def auth_key():
    return _required("TAILOR_AUTH_KEY_ID"), _required("TAILOR_AUTH_SECRET")


def make_client(service, endpoint, key_id="tailor-local", secret="tailor-local", **kwargs):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        config=kwargs.pop("config", CONFIG),
        **kwargs,
    )


@pytest.fixture(scope="session")
def personalize(endpoint):
    return make_client("personalize", endpoint)


@pytest.fixture(scope="session")
def personalize_runtime(endpoint):
    return make_client("personalize-runtime", endpoint)


@pytest.fixture(scope="session")
def personalize_events(endpoint):
    return make_client("personalize-events", endpoint)


@pytest.fixture
def unique():
    """A name prefix no other test uses (the server is shared by the session)."""
    return f"t{uuid.uuid4().hex[:8]}"


def wait_until_deleted(describe, timeout=60, interval=0.05):
    """Polls `describe()` (which returns a status) after a Delete until the resource is gone
    (ResourceNotFoundException), as a client of the service does; meanwhile the only statuses are
    DELETE PENDING and DELETE IN_PROGRESS. Returns the statuses seen."""
    deadline = time.monotonic() + timeout
    seen = []
    while True:
        try:
            status = describe()
        except botocore.exceptions.ClientError as error:
            assert error.response["Error"]["Code"] == "ResourceNotFoundException", error
            return seen
        assert status in ("DELETE PENDING", "DELETE IN_PROGRESS"), status
        seen.append(status)
        if time.monotonic() > deadline:
            raise TimeoutError(f"still {status} after {timeout} s")
        time.sleep(interval)


def wait_for(describe, timeout=300, interval=0.2):
    """Polls `describe()` (which returns a status) until it leaves PENDING / IN_PROGRESS."""
    deadline = time.monotonic() + timeout
    while True:
        status = describe()
        if not (status.endswith("PENDING") or status.endswith("IN_PROGRESS")):
            return status
        if time.monotonic() > deadline:
            raise TimeoutError(f"still {status} after {timeout} s")
        time.sleep(interval)


def settled(describe, timeout=300):
    """Polls `describe()` (which returns a resource as its Describe operation gives it) until the resource's status
    leaves PENDING / IN_PROGRESS, and returns that last description."""
    resource = None

    def status():
        nonlocal resource
        resource = describe()
        return resource["status"]

    wait_for(status, timeout=timeout)
    return resource


def import_and_wait(personalize, name, dataset_arn, path, role, **extra):
    """Runs the dataset import job `name` of the CSV at `path` into `dataset_arn` (CreateDatasetImportJob with
    `extra` arguments such as importMode) and returns the job as DescribeDatasetImportJob gives it once settled."""
    job_arn = personalize.create_dataset_import_job(
        jobName=name, datasetArn=dataset_arn, dataSource={"dataLocation": str(path)}, roleArn=role, **extra
    )["datasetImportJobArn"]
    return settled(lambda: personalize.describe_dataset_import_job(datasetImportJobArn=job_arn)["datasetImportJob"])


def imported_interactions(personalize, name, group_arn, schema_arn, path, role):
    """Creates the Interactions dataset `<name>-interactions` of `group_arn` with `schema_arn`, imports the CSV at
    `path` into it (job `<name>-import`), checks the import is ACTIVE and returns the dataset's ARN."""
    dataset_arn = personalize.create_dataset(
        name=f"{name}-interactions", schemaArn=schema_arn, datasetGroupArn=group_arn, datasetType="Interactions"
    )["datasetArn"]
    job = import_and_wait(personalize, f"{name}-import", dataset_arn, path, role)
    assert job["status"] == "ACTIVE", job.get("failureReason")
    return dataset_arn


def trained_version(personalize, name, group_arn, hyperparameters=None):
    """Creates the aws-user-personalization solution `name` of `group_arn` (hidden_dimension 32 unless
    `hyperparameters` say otherwise), trains one version, checks it is ACTIVE and returns the solution's and the
    version's ARNs."""
    solution_arn = personalize.create_solution(
        name=name,
        datasetGroupArn=group_arn,
        recipeArn="arn:aws:personalize:::recipe/aws-user-personalization",
        performAutoTraining=False,
        solutionConfig={"algorithmHyperParameters": hyperparameters or {"hidden_dimension": "32"}},
    )["solutionArn"]
    version_arn = personalize.create_solution_version(solutionArn=solution_arn)["solutionVersionArn"]
    version = settled(lambda: personalize.describe_solution_version(solutionVersionArn=version_arn)["solutionVersion"])
    assert version["status"] == "ACTIVE", version.get("failureReason")
    return solution_arn, version_arn
