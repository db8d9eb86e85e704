"""AWS Signature V4 with auth on: botocore-signed requests pass; forged, unsigned and wrongly keyed
ones are refused with the service's exceptions."""

import json
import urllib.error
import urllib.request

import pytest
from botocore import UNSIGNED
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from conftest import REGION, make_client


def test_signed_requests_pass(auth_endpoint, auth_key, unique):
    key_id, secret = auth_key
    personalize = make_client("personalize", auth_endpoint, key_id, secret)
    assert any(r["name"] == "aws-user-personalization" for r in personalize.list_recipes()["recipes"])
    arn = personalize.create_dataset_group(name=unique)["datasetGroupArn"]
    assert personalize.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["name"] == unique
    # REST-JSON is signed too: the request passes auth and reaches the engine.
    runtime = make_client("personalize-runtime", auth_endpoint, key_id, secret)
    with pytest.raises(runtime.exceptions.ResourceNotFoundException):
        runtime.get_recommendations(campaignArn="arn:aws:personalize:us-east-1:000000000000:campaign/x", userId="u")


def test_session_tokens_are_signed_over(auth_endpoint, auth_key):
    key_id, secret = auth_key
    personalize = make_client("personalize", auth_endpoint, key_id, secret, aws_session_token="session-token")
    personalize.list_recipes()


def error_of(call):
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response["Error"]["Code"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_wrong_secret_is_refused(auth_endpoint, auth_key):
    key_id, _ = auth_key
    personalize = make_client("personalize", auth_endpoint, key_id, "guessed-secret")
    assert error_of(personalize.list_recipes) == ("InvalidSignatureException", 403)
    runtime = make_client("personalize-runtime", auth_endpoint, key_id, "guessed-secret")

    def recommend():
        runtime.get_recommendations(campaignArn="arn:aws:personalize:::campaign/x", userId="u")

    assert error_of(recommend) == ("InvalidSignatureException", 403)


def test_unknown_access_key_is_refused(auth_endpoint):
    personalize = make_client("personalize", auth_endpoint, "AKIDUNKNOWN", "secret")
    assert error_of(personalize.list_recipes) == ("UnrecognizedClientException", 403)


def test_unsigned_requests_are_refused(auth_endpoint):
    personalize = make_client(
        "personalize", auth_endpoint, config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1})
    )
    assert error_of(personalize.list_recipes) == ("MissingAuthenticationTokenException", 403)


def signed_request(auth_endpoint, key_id, secret, body):
    request = AWSRequest(
        method="POST",
        url=auth_endpoint + "/",
        data=body,
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AmazonPersonalize.CreateDatasetGroup",
        },
    )
    SigV4Auth(Credentials(key_id, secret), "personalize", REGION).add_auth(request)
    return request


def send(request, body):
    prepared = urllib.request.Request(request.url, data=body, headers=dict(request.headers), method="POST")
    try:
        with urllib.request.urlopen(prepared, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_botocore_signature_verifies_and_a_forged_body_does_not(auth_endpoint, auth_key, unique):
    key_id, secret = auth_key
    body = json.dumps({"name": unique}).encode()
    request = signed_request(auth_endpoint, key_id, secret, body)
    status, answer = send(request, body)
    assert status == 200, answer
    assert answer["datasetGroupArn"].endswith(f"dataset-group/{unique}")

    # The same signature over a different body: refused.
    forged = json.dumps({"name": unique + "-forged"}).encode()
    request = signed_request(auth_endpoint, key_id, secret, body)
    status, answer = send(request, forged)
    assert (status, answer["__type"]) == (403, "InvalidSignatureException")


def test_health_needs_no_signature(auth_endpoint):
    with urllib.request.urlopen(auth_endpoint + "/health", timeout=10) as response:
        assert response.status == 200
        assert json.loads(response.read()) == {"status": "ok"}
