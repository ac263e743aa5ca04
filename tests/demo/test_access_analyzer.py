"""The embedded cloud's IAM Access Analyzer (moto has none), driven by the real boto3 client over HTTP."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from cloudforge.clock import Clock
from demo.access_analyzer import ACCESS_ANALYZER
from demo.seeding import account_client

ACCOUNT, OTHER = "461046104610", "572057205720"  # accounts no other test uses (the shared moto server keeps state)


@pytest.fixture
def analyzers(moto_endpoint: str):
    """A client in ACCOUNT, eu-west-1; the accounts' analyzers are forgotten afterwards."""
    yield account_client(moto_endpoint, ACCOUNT, "accessanalyzer", "eu-west-1")
    ACCESS_ANALYZER.forget([ACCOUNT, OTHER])


def test_analyzers_are_kept_per_account_and_region(analyzers, moto_endpoint: str, clock: Clock) -> None:
    created = analyzers.create_analyzer(analyzerName="external", type="ACCOUNT", tags={"team": "security"})
    analyzers.create_analyzer(analyzerName="unused", type="ACCOUNT_UNUSED_ACCESS")
    assert created["arn"] == f"arn:aws:access-analyzer:eu-west-1:{ACCOUNT}:analyzer/external"
    listed = analyzers.list_analyzers()["analyzers"]
    assert [(a["name"], a["type"], a["status"], a["tags"]) for a in listed] == [
        ("external", "ACCOUNT", "ACTIVE", {"team": "security"}), ("unused", "ACCOUNT_UNUSED_ACCESS", "ACTIVE", {})]
    assert listed[0]["createdAt"].date() == clock.today()  # parsed by botocore as the model's timestamp
    assert [a["name"] for a in analyzers.list_analyzers(type="ACCOUNT_UNUSED_ACCESS")["analyzers"]] == ["unused"]
    elsewhere = (account_client(moto_endpoint, ACCOUNT, "accessanalyzer", "us-east-1"),
                 account_client(moto_endpoint, OTHER, "accessanalyzer", "eu-west-1"))
    assert [client.list_analyzers()["analyzers"] for client in elsewhere] == [[], []]


def test_errors_are_the_services_own(analyzers, moto_endpoint: str) -> None:
    analyzers.create_analyzer(analyzerName="external", type="ACCOUNT")
    with pytest.raises(analyzers.exceptions.ConflictException, match="Analyzer external already exists"):
        analyzers.create_analyzer(analyzerName="external", type="ACCOUNT")
    with pytest.raises(analyzers.exceptions.ValidationException, match="invalid type 'EVERYTHING'"):
        analyzers.create_analyzer(analyzerName="wide", type="EVERYTHING")
    with pytest.raises(ClientError, match="answers only CreateAnalyzer and ListAnalyzers"):
        analyzers.get_analyzer(analyzerName="external")
    # requests signed for other services still reach moto
    assert account_client(moto_endpoint, ACCOUNT, "s3", "eu-west-1").list_buckets()["Buckets"] == []
