"""The aws CLI (awscli from PyPI) against `tailor serve`."""

import json
import os
import subprocess


def aws(endpoint, *arguments, key_id="tailor-local", secret="tailor-local"):
    environment = dict(
        os.environ,
        AWS_ACCESS_KEY_ID=key_id,
        AWS_SECRET_ACCESS_KEY=secret,
        AWS_DEFAULT_REGION="us-east-1",
        AWS_MAX_ATTEMPTS="1",
    )
    return subprocess.run(
        ["aws", *arguments, "--endpoint-url", endpoint, "--output", "json"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_list_recipes(endpoint):
    result = aws(endpoint, "personalize", "list-recipes")
    assert result.returncode == 0, result.stderr
    names = [recipe["name"] for recipe in json.loads(result.stdout)["recipes"]]
    assert "aws-user-personalization" in names
    assert "aws-popularity-count" in names


def test_create_and_describe_dataset_group(endpoint, unique):
    created = aws(endpoint, "personalize", "create-dataset-group", "--name", unique)
    assert created.returncode == 0, created.stderr
    arn = json.loads(created.stdout)["datasetGroupArn"]
    described = aws(endpoint, "personalize", "describe-dataset-group", "--dataset-group-arn", arn)
    assert described.returncode == 0, described.stderr
    assert json.loads(described.stdout)["datasetGroup"]["status"] == "ACTIVE"


def test_errors_name_the_exception(endpoint):
    result = aws(
        endpoint,
        "personalize",
        "describe-dataset-group",
        "--dataset-group-arn",
        "arn:aws:personalize:us-east-1:000000000000:dataset-group/nope",
    )
    assert result.returncode != 0
    assert "ResourceNotFoundException" in result.stderr


def test_runtime_through_the_cli(endpoint):
    result = aws(
        endpoint,
        "personalize-runtime",
        "get-recommendations",
        "--campaign-arn",
        "arn:aws:personalize:us-east-1:000000000000:campaign/nope",
        "--user-id",
        "u1",
    )
    assert result.returncode != 0
    assert "ResourceNotFoundException" in result.stderr


def test_signed_cli_calls_pass_auth(auth_endpoint, auth_key):
    key_id, secret = auth_key
    signed = aws(auth_endpoint, "personalize", "list-recipes", key_id=key_id, secret=secret)
    assert signed.returncode == 0, signed.stderr
    forged = aws(auth_endpoint, "personalize", "list-recipes", key_id=key_id, secret="guessed")
    assert forged.returncode != 0
    assert "InvalidSignatureException" in forged.stderr
