"""A small hand-built AWS inventory for the policy runtime tests, each resource planted with known problems.

Tests take what the engine alone says about these documents (``engine_findings``) as the truth the runtime
must store, and follow single findings through their lifecycle.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from psycopg import sql

from cloudforge.warehouse import connect, ensure_schema
from policies.documents import from_inventory
from policies.evaluate import Evaluator, Finding

ACCOUNT, REGION = "111111111111", "us-east-1"
COMPLETE = {"team": "data", "project": "lake", "env": "prod", "owner": "data@example.com"}
ALL_BLOCKED = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def tags(values: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in sorted(values.items())]


# (account, region, resource type, resource id, raw document)
LOGS_BUCKET = (
    ACCOUNT,
    REGION,
    "s3_bucket",
    "logs",
    {  # no encryption, public access not blocked, no owner
        "Name": "logs",
        "ServerSideEncryptionConfiguration": None,
        "Versioning": {"Status": "Enabled"},
        "PublicAccessBlockConfiguration": None,
        "Tags": tags({**COMPLETE, "owner": ""}),
    },
)
SECURE_BUCKET = (
    ACCOUNT,
    REGION,
    "s3_bucket",
    "secure",
    {  # compliant
        "Name": "secure",
        "Versioning": {"Status": "Enabled", "MFADelete": "Enabled"},
        "ServerSideEncryptionConfiguration": {
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
        "PublicAccessBlockConfiguration": ALL_BLOCKED,
        "Tags": tags(COMPLETE),
    },
)
SSH_GROUP = (
    ACCOUNT,
    REGION,
    "security_group",
    "sg-ssh",
    {  # SSH from the internet
        "GroupId": "sg-ssh",
        "GroupName": "bastion",
        "VpcId": "vpc-1",
        "Tags": tags(COMPLETE),
        "IpPermissions": [
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
        "IpPermissionsEgress": [],
    },
)
PUBLIC_DB = (
    "222222222222",
    "eu-west-1",
    "rds_instance",
    "orders",
    {  # publicly accessible, else compliant
        "DBInstanceIdentifier": "orders",
        "Engine": "postgres",
        "DBInstanceClass": "db.t3.micro",
        "StorageEncrypted": True,
        "PubliclyAccessible": True,
        "BackupRetentionPeriod": 7,
        "MultiAZ": True,
        "DeletionProtection": True,
        "AutoMinorVersionUpgrade": True,
        "Tags": tags(COMPLETE),
    },
)
INVENTORY = (LOGS_BUCKET, SECURE_BUCKET, SSH_GROUP, PUBLIC_DB)


def key_of(row: tuple) -> str:
    account, region, resource_type, resource_id, _ = row
    return f"aws/{account}/{region}/{resource_type}/{resource_id}"


def engine_findings(evaluator: Evaluator, rows: Iterable[tuple], now) -> list[Finding]:
    """What the engine alone says about these raw documents: what the runtime must have stored."""
    documents = [(key_of(row), row[2], from_inventory(row[2], row[4])) for row in rows]
    return evaluator.evaluate(documents, now)


def load_inventory(url: str, rows: Iterable[tuple]) -> None:
    """Make raw_aws.resources hold exactly ``rows``, as a completed inventory sync would."""
    columns = ("account_id", "region", "resource_type", "resource_id", "document", "sync_id", "synced_at")
    copy = sql.SQL("COPY raw_aws.resources ({}) FROM STDIN").format(
        sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with connect(url, autocommit=True) as conn:
        ensure_schema(conn)
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("TRUNCATE raw_aws.resources")
            with cur.copy(copy) as copier:
                for account, region, resource_type, resource_id, document in rows:
                    copier.write_row(
                        (
                            account,
                            region,
                            resource_type,
                            resource_id,
                            json.dumps(document),
                            "00000000-0000-0000-0000-000000000001",
                            "2026-01-01T00:00:00Z",
                        )
                    )
