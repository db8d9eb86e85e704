"""What botocore sends passes; what a browser page, a rebound DNS name or a hand-made request could send is
refused in the AWS error shape: other content types, unlisted origins and hosts, unsigned payloads and
targets, credential scopes for other regions, and requests that are not valid HTTP/1.1."""

import http.client
import json
import os
import socket
import subprocess
import urllib.parse

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from conftest import CONFIG, REGION, make_client

# The open server lists this origin and this extra host name (scripts/compat-test).
ALLOWED_ORIGIN = "http://localhost:3000"
ALLOWED_HOST = "tailor.test"
EVENT = json.dumps(
    {"trackingId": "t", "sessionId": "s", "eventList": [{"eventType": "click", "sentAt": 1700000000}]}
)


def post(endpoint, path, body, headers, host=None):
    """POSTs with exactly `headers` (and `Host: host` when given); returns status, headers and JSON body."""
    url = urllib.parse.urlparse(endpoint)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    connection.putrequest("POST", path, skip_host=host is not None, skip_accept_encoding=True)
    if host is not None:
        connection.putheader("Host", host)
    for name, value in headers.items():
        connection.putheader(name, value)
    data = body.encode() if isinstance(body, str) else body
    connection.putheader("Content-Length", str(len(data)))
    connection.endheaders(data)
    response = connection.getresponse()
    raw = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, json.loads(raw) if raw else None


def options(endpoint, origin):
    url = urllib.parse.urlparse(endpoint)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    connection.request(
        "OPTIONS",
        "/",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-amz-target,x-amz-date,authorization",
        },
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}


def test_botocore_sends_the_protocols_content_types_and_signs_them(auth_endpoint, auth_key):
    key_id, secret = auth_key
    seen = []

    def record(request, **_):
        seen.append(request)

    for service, call in [
        ("personalize", lambda c: c.list_recipes()),
        ("personalize-runtime", lambda c: c.get_recommendations(campaignArn="arn:aws:personalize:::campaign/x")),
        (
            "personalize-events",
            lambda c: c.put_events(
                trackingId="t", sessionId="s", eventList=[{"eventType": "click", "sentAt": 1700000000}]
            ),
        ),
    ]:
        client = make_client(service, auth_endpoint, key_id, secret)
        client.meta.events.register("before-send", record)
        try:
            call(client)
        except ClientError:
            pass
    def header(request, name):
        value = request.headers[name]
        return value.decode() if isinstance(value, bytes) else value

    control, runtime, events = seen
    assert header(control, "Content-Type") == "application/x-amz-json-1.1"
    assert header(runtime, "Content-Type") == "application/json"
    assert header(events, "Content-Type") == "application/json"
    assert "SignedHeaders=content-type;host;x-amz-date;x-amz-target," in header(control, "Authorization")
    for request in (runtime, events):
        assert "SignedHeaders=content-type;host;x-amz-date," in header(request, "Authorization")


def test_a_text_plain_event_is_refused(endpoint):
    status, headers, body = post(endpoint, "/events", EVENT, {"Content-Type": "text/plain"})
    assert (status, headers["x-amzn-errortype"], body["__type"]) == (
        415,
        "UnsupportedMediaTypeException",
        "UnsupportedMediaTypeException",
    )
    status, _, body = post(endpoint, "/", "{}", {"Content-Type": "text/plain", "X-Amz-Target": "AmazonPersonalize.ListRecipes"})
    assert (status, body["__type"]) == (400, "UnknownOperationException")
    status, _, _ = post(
        endpoint,
        "/",
        "{}",
        {"Content-Type": "application/x-amz-json-1.1; charset=utf-8", "X-Amz-Target": "AmazonPersonalize.ListRecipes"},
    )
    assert status == 200


def test_cross_origin_requests_need_a_listed_origin(endpoint):
    status, headers, body = post(
        endpoint, "/events", EVENT, {"Content-Type": "text/plain", "Origin": "https://attacker.example"}
    )
    assert (status, body["__type"]) == (403, "AccessDeniedException")
    assert "access-control-allow-origin" not in headers

    status, headers = options(endpoint, "https://attacker.example")
    assert status == 403 and "access-control-allow-origin" not in headers

    status, headers = options(endpoint, ALLOWED_ORIGIN)
    assert status == 204
    assert headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "x-amz-target" in headers["access-control-allow-headers"]
    status, headers, _ = post(
        endpoint,
        "/",
        "{}",
        {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AmazonPersonalize.ListRecipes",
            "Origin": ALLOWED_ORIGIN,
        },
    )
    assert status == 200 and headers["access-control-allow-origin"] == ALLOWED_ORIGIN


def test_hosts_other_than_the_listening_address_are_refused(endpoint):
    port = urllib.parse.urlparse(endpoint).port
    target = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AmazonPersonalize.ListRecipes"}
    for host in [f"127.0.0.1:{port}", f"localhost:{port}", ALLOWED_HOST, f"{ALLOWED_HOST}:8443"]:
        assert post(endpoint, "/", "{}", target, host=host)[0] == 200, host
    for host in [f"attacker.example:{port}", "attacker.example", f"localhost:{port + 1 if port < 65535 else 1}"]:
        status, _, body = post(endpoint, "/", "{}", target, host=host)
        assert (status, body["__type"]) == (403, "AccessDeniedException"), host


class UnsignedPayloadAuth(SigV4Auth):
    """Signs `UNSIGNED-PAYLOAD` instead of the body's hash, as S3 clients may."""

    def payload(self, request):
        return "UNSIGNED-PAYLOAD"


class UnsignedTargetAuth(SigV4Auth):
    """Leaves X-Amz-Target out of the signed headers."""

    def headers_to_sign(self, request):
        headers = super().headers_to_sign(request)
        del headers["x-amz-target"]
        return headers


def signed(auth_endpoint, key_id, secret, body, auth=SigV4Auth):
    request = AWSRequest(
        method="POST",
        url=auth_endpoint + "/",
        data=body,
        headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AmazonPersonalize.ListRecipes"},
    )
    if auth is UnsignedPayloadAuth:
        request.headers["X-Amz-Content-SHA256"] = "UNSIGNED-PAYLOAD"
    auth(Credentials(key_id, secret), "personalize", REGION).add_auth(request)
    return {k: v for k, v in request.headers.items() if k.lower() != "host"}


def test_an_unsigned_payload_is_refused(auth_endpoint, auth_key):
    key_id, secret = auth_key
    status, _, body = post(auth_endpoint, "/", "{}", signed(auth_endpoint, key_id, secret, "{}", UnsignedPayloadAuth))
    assert (status, body["__type"]) == (403, "InvalidSignatureException")
    assert "UNSIGNED-PAYLOAD" in body["message"]


def test_an_unsigned_target_is_refused(auth_endpoint, auth_key):
    key_id, secret = auth_key
    headers = signed(auth_endpoint, key_id, secret, "{}", UnsignedTargetAuth)
    headers["X-Amz-Target"] = "AmazonPersonalize.ListDatasetGroups"
    status, _, body = post(auth_endpoint, "/", "{}", headers)
    assert (status, body["__type"]) == (403, "InvalidSignatureException")
    assert body["message"] == "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization."


def test_a_scope_for_another_region_is_refused(auth_endpoint, auth_key):
    key_id, secret = auth_key
    personalize = boto3.client(
        "personalize",
        endpoint_url=auth_endpoint,
        region_name="eu-west-1",
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        config=CONFIG,
    )
    with pytest.raises(ClientError) as raised:
        personalize.list_recipes()
    error = raised.value.response
    assert (error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"]) == ("InvalidSignatureException", 403)
    assert error["Error"]["Message"].startswith("Credential should be scoped to a valid region, not 'eu-west-1'.")


def raw_exchange(endpoint, data):
    url = urllib.parse.urlparse(endpoint)
    with socket.create_connection((url.hostname, url.port), timeout=30) as connection:
        connection.sendall(data)
        connection.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), json.loads(body)


def test_malformed_http_is_answered_in_the_aws_shape(endpoint):
    port = urllib.parse.urlparse(endpoint).port
    for data in [
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/x-amz-json-1.1\r\n"
        b"X-Amz-Target: AmazonPersonalize.ListRecipes\x00\r\nContent-Length: 2\r\n\r\n{}" % port,
        b"HELLO\r\n\r\n",
        b"POST /events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Length: 99999999999999999999999\r\n\r\n" % port,
    ]:
        status, body = raw_exchange(endpoint, data)
        assert status == 400 and body["__type"] == "SerializationException", data


def test_huge_numbers_are_a_serialization_error(personalize_runtime):
    for number in ["12345678901234567890", "-9223372036854775809"]:
        status, headers, body = post(
            personalize_runtime.meta.endpoint_url,
            "/recommendations",
            '{"campaignArn": "arn:aws:personalize:::campaign/x", "numResults": %s}' % number,
            {"Content-Type": "application/json"},
        )
        assert (status, headers["x-amzn-errortype"]) == (400, "SerializationException"), number


def test_serve_refuses_a_public_address_without_keys():
    binary = os.environ.get("TAILOR_BINARY")
    if not binary:
        pytest.skip("TAILOR_BINARY is not set")
    result = subprocess.run(
        [binary, "serve", "--host", "0.0.0.0", "--port", "0", "--data-dir", "/nonexistent/tailor-compat"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TAILOR_AUTH_ACCESS_KEY_ID": "", "TAILOR_AUTH_SECRET_ACCESS_KEY": ""},
    )
    assert result.returncode != 0
    assert "--insecure-no-auth" in result.stderr and "--auth-keys" in result.stderr
