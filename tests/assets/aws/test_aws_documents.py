"""Document shaping and error scrubbing: the pure parts of the AWS inventory."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError, ConnectTimeoutError, EndpointConnectionError

from assets.aws.collectors import document, json_safe, normalise_tags
from assets.aws.errors import describe_error, redact

SORTED = [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "web"}]


@pytest.mark.parametrize(
    "tags",
    [
        [
            {"Key": "team", "Value": "web"},
            {"Key": "env", "Value": "prod"},
        ],  # EC2, RDS TagList, S3 TagSet, IAM
        [{"TagKey": "team", "TagValue": "web"}, {"TagKey": "env", "TagValue": "prod"}],  # KMS
        {"team": "web", "env": "prod"},  # Lambda
    ],
)
def test_every_tag_shape_normalises_to_sorted_key_value_pairs(tags) -> None:
    assert normalise_tags(tags) == SORTED


def test_missing_tags_and_values_normalise_to_empty() -> None:
    assert normalise_tags(None) == normalise_tags([]) == normalise_tags({}) == []
    assert normalise_tags([{"Key": "flag"}]) == [{"Key": "flag", "Value": ""}]


def test_document_is_json_safe_with_utc_timestamps_and_uniform_tags() -> None:
    paris = timezone(timedelta(hours=2))
    shape = {
        "ResponseMetadata": {"RequestId": "x"},
        "Created": datetime(2024, 5, 1, 12, 0, tzinfo=paris),
        "Nested": [{"When": datetime(2024, 5, 1, 10, 0, tzinfo=UTC)}, date(2024, 5, 2)],
        "TagList": [{"Key": "team", "Value": "web"}, {"Key": "env", "Value": "prod"}],
    }
    assert document(shape, shape["TagList"], Extra=None) == {
        "Created": "2024-05-01T10:00:00+00:00",
        "Nested": [{"When": "2024-05-01T10:00:00+00:00"}, "2024-05-02"],
        "TagList": [{"Key": "team", "Value": "web"}, {"Key": "env", "Value": "prod"}],
        "Extra": None,
        "Tags": SORTED,
    }
    assert json_safe((1, "a")) == [1, "a"]


def test_error_messages_lose_every_credential() -> None:
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    text = (
        "key AKIAIOSFODNN7EXAMPLE and ASIAV2IO3UAA7ZBN5JSX, secret "
        + secret
        + ", header Credential=AKIDEXAMPLE/20240101/us-east-1/ec2/aws4_request, Signature=abc123"
        + ", url https://user:hunter2@example.com/x, token tok-123"
    )
    redacted = redact(text, secrets=["tok-123"])
    for leaked in (
        "AKIAIOSFODNN7EXAMPLE",
        "ASIAV2IO3UAA7ZBN5JSX",
        secret,
        "AKIDEXAMPLE",
        "abc123",
        "hunter2",
        "tok-123",
    ):
        assert leaked not in redacted
    assert redacted.startswith(
        "key [redacted] and [redacted], secret [redacted], header Credential=[redacted]"
    )
    assert "https://[redacted]@example.com/x" in redacted
    assert len(redact("word " * 1000)) == 1000


def test_errors_are_classified_by_aws_code_or_failure_kind() -> None:
    denied = ClientError(
        {"Error": {"Code": "AccessDenied", "Message": "no for AKIAIOSFODNN7EXAMPLE"}}, "ListUsers"
    )
    assert describe_error(denied) == (
        "AccessDenied",
        "An error occurred (AccessDenied) when calling the ListUsers operation: no for [redacted]",
    )
    assert (
        describe_error(ConnectTimeoutError(endpoint_url="https://ec2.eu-west-1.amazonaws.com"))[0]
        == "Timeout"
    )
    assert (
        describe_error(EndpointConnectionError(endpoint_url="http://127.0.0.1:9"))[0]
        == "EndpointConnectionError"
    )
    assert describe_error(ValueError("vpc in eu-west-1: resource vpc-1 listed twice")) == (
        "ValueError",
        "vpc in eu-west-1: resource vpc-1 listed twice",
    )
