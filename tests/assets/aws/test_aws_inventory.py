"""sync_inventory against a real moto server and a real PostgreSQL: rows, documents, failures, reruns."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta

import psycopg
import pytest
from support.aws_estate import (
    ACCOUNTS,
    REGIONS,
    ROOT_USAGE,
    SORTED_TAGS,
    TRAIL_EVENTS,
    Estate,
    bucket_policy,
    inventory_settings,
)
from support.aws_proxy import access_denied_in, assume_role_denied, refusing_proxy, throttled

from assets.aws.collectors import RESOURCE_TYPES
from assets.aws.inventory import store_slice, sync_inventory
from cloudforge.clock import Clock
from cloudforge.warehouse import ensure_schema

pytestmark = pytest.mark.usefixtures("aws_credentials")

REGIONAL_TYPES = sorted(name for name, kind in RESOURCE_TYPES.items() if not kind.is_global)
GLOBAL_TYPES = sorted(name for name, kind in RESOURCE_TYPES.items() if kind.is_global)
SLICES_PER_ACCOUNT = len(REGIONAL_TYPES) * len(REGIONS) + len(GLOBAL_TYPES)  # global types once each
EC2_TYPES = {"ec2_instance", "ebs_volume", "ebs_snapshot", "elastic_ip", "security_group", "vpc", "subnet",
             "network_acl", "ebs_encryption_by_default"}
JSON_TYPES = ("lambda_function", "kms_key", "cloudwatch_log_group", "cloudtrail_trail", "config_recorder", "security_hub",
              "guardduty_detector", "efs_file_system", "access_analyzer")
DENIED_CODE = dict.fromkeys(JSON_TYPES, "AccessDeniedException") | {name: "UnauthorizedOperation" for name in EC2_TYPES}


def keyed(url: str, query: str, width: int) -> dict[tuple, tuple]:
    """The rows of ``query`` as {first ``width`` columns: the other columns}."""
    with psycopg.connect(url) as conn:
        return {tuple(row[:width]): tuple(row[width:]) for row in conn.execute(query)}


def loaded(url: str) -> dict[tuple[str, str, str, str], tuple]:
    """raw_aws.resources by key -> (arn, document, sync_id)."""
    query = """
        SELECT account_id, region, resource_type, resource_id, arn, document, sync_id::text
        FROM raw_aws.resources
    """
    return keyed(url, query, 4)


def slice_outcomes(url: str) -> dict[tuple[str, str, str], tuple]:
    """raw_aws.sync_slices by slice -> (status, row_count, last_success_at)."""
    query = """
        SELECT account_id, region, resource_type, status, row_count, last_success_at
        FROM raw_aws.sync_slices
    """
    return keyed(url, query, 3)


def by_slice(rows: dict) -> dict[tuple[str, str, str], set[str]]:
    slices = defaultdict(set)
    for account, region, resource_type, resource_id in rows:
        slices[(account, region, resource_type)].add(resource_id)
    return dict(slices)


def test_sync_loads_every_slice_with_exactly_its_resources(aws_estate: Estate, synced) -> None:
    inventory_db, report, progress = synced

    assert report.failures == []
    assert len(report.slices) == len(aws_estate.slices) == 2 * SLICES_PER_ACCOUNT
    assert {(s.account_id, s.region, s.resource_type): s.row_count for s in report.slices} == {
        key: len(ids) for key, ids in aws_estate.slices.items()
    }
    assert progress == [(n, len(aws_estate.slices)) for n in range(1, len(aws_estate.slices) + 1)]
    rows = loaded(inventory_db)
    assert by_slice(rows) == {key: ids for key, ids in aws_estate.slices.items() if ids}
    assert report.total_rows == len(rows)
    assert {row[2] for row in rows.values()} == {report.sync_id}
    assert {key: outcome[:2] for key, outcome in slice_outcomes(inventory_db).items()} == {
        key: ("ok", len(ids)) for key, ids in aws_estate.slices.items()
    }
    with psycopg.connect(inventory_db) as conn:
        assert conn.execute("SELECT count(*) FROM raw_aws.sync_errors").fetchone() == (0,)

    account, region = ACCOUNTS[0], REGIONS[1]
    instance = aws_estate.ids[f"instance {account} {region}"]
    snapshot = aws_estate.ids[f"snapshot {account} {region}"]
    bucket = aws_estate.ids[f"bucket {account} {region}"]
    expected_arns = {
        (account, region, "ec2_instance", instance): f"arn:aws:ec2:{region}:{account}:instance/{instance}",
        (account, region, "ebs_snapshot", snapshot): f"arn:aws:ec2:{region}::snapshot/{snapshot}",
        (account, region, "s3_bucket", bucket): f"arn:aws:s3:::{bucket}",
        (account, "global", "iam_user", "alice"): f"arn:aws:iam::{account}:user/alice",
    }
    assert {key: rows[key][0] for key in expected_arns} == expected_arns


def test_documents_carry_uniform_tags_and_enrichment(aws_estate: Estate, synced) -> None:
    rows = loaded(synced[0])

    assert {key: rows[key][1]["Tags"] for key in aws_estate.tags} == aws_estate.tags
    assert all(isinstance(document["Tags"], list) for _, document, _ in rows.values())

    rich, plain = ACCOUNTS[0], ACCOUNTS[1]
    east, west = REGIONS
    # the API's own tag fields stay as they were
    assert rows[(rich, east, "rds_instance", "cf-db")][1]["TagList"] == [
        {"Key": "team", "Value": "platform"},
        {"Key": "env", "Value": "prod"},
        {"Key": "Name", "Value": "cf"},
    ]
    instance = rows[(rich, west, "ec2_instance", aws_estate.ids[f"instance {rich} {west}"])][1]
    assert instance["State"]["Name"] == "running"
    # each attached volume's encryption is added from describe_volumes (moto's default: unencrypted)
    assert [m["Ebs"]["Encrypted"] for m in instance["BlockDeviceMappings"]] == [False]
    assert datetime.fromisoformat(instance["LaunchTime"]).utcoffset().total_seconds() == 0

    alice = rows[(rich, "global", "iam_user", "alice")][1]
    assert [device["SerialNumber"] for device in alice["MFADevices"]] == [aws_estate.ids["alice mfa"]]
    [key] = alice["AccessKeys"]
    assert (key["AccessKeyId"], key["Status"], key["LastUsedDate"]) == (
        aws_estate.ids["alice key"],
        "Active",
        None,
    )
    assert datetime.fromisoformat(key["CreateDate"]).tzinfo is not None
    assert "SecretAccessKey" not in key
    assert alice["LoginProfile"]["UserName"] == "alice"
    bob = rows[(rich, "global", "iam_user", "bob")][1]
    assert (bob["MFADevices"], bob["AccessKeys"], bob["LoginProfile"]) == ([], [], None)
    # the rich account set a password policy; the plain one has none, and its document says so
    set_policy = rows[(rich, "global", "iam_password_policy", rich)]
    assert set_policy[0] is None
    assert {key: set_policy[1]["PasswordPolicy"][key] for key in ("MinimumPasswordLength", "PasswordReusePrevention",
            "RequireSymbols", "RequireNumbers")} == {
        "MinimumPasswordLength": 14, "PasswordReusePrevention": 24, "RequireSymbols": True, "RequireNumbers": False}
    assert rows[(plain, "global", "iam_password_policy", plain)][1] == {"PasswordPolicy": None, "Tags": []}
    # alice's own policies; the root user and support role per account (moto's report has no root row)
    assert [p["PolicyName"] for p in alice["AttachedPolicies"]] == ["cf-admin"]
    assert alice["PolicyNames"] == ["cf-inline"]
    assert (bob["AttachedPolicies"], bob["PolicyNames"]) == ([], [])
    assert rows[(rich, "global", "iam_account", rich)][:2] == (None, {
        "AccountSummary": {"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 1},
        "RootUser": None,
        "RootVirtualMFADevice": f"arn:aws:iam::{rich}:mfa/root-account-mfa-device",
        "SupportRoles": ["cf-app"],
        "Tags": [],
    })
    assert rows[(plain, "global", "iam_account", plain)][1] == {
        "AccountSummary": {"AccountMFAEnabled": 0, "AccountAccessKeysPresent": 0},
        "RootUser": None,
        "RootVirtualMFADevice": None,
        "SupportRoles": [],
        "Tags": [],
    }
    arn, admin = rows[(rich, "global", "iam_policy", "cf-admin")][:2]
    assert (arn, admin["AttachmentCount"], admin["Document"]["Statement"]) == (
        f"arn:aws:iam::{rich}:policy/cf-admin", 1, [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
    )
    arn, certificate = rows[(rich, "global", "iam_server_certificate", "cf-web")][:2]
    # moto reports a fixed expiry, whatever the certificate says
    assert (arn, certificate["Expiration"]) == (f"arn:aws:iam::{rich}:server-certificate/cf-web", "2012-05-08T01:02:03.004000+00:00")

    configured = rows[(rich, east, "s3_bucket", aws_estate.ids[f"bucket {rich} {east}"])][1]
    assert configured["BucketRegion"] == east
    assert configured["ServerSideEncryptionConfiguration"]["Rules"][0][
        "ApplyServerSideEncryptionByDefault"
    ] == {"SSEAlgorithm": "AES256"}
    assert configured["Versioning"] == {"Status": "Enabled"}
    assert configured["PublicAccessBlockConfiguration"] == dict.fromkeys(
        ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
    )
    name = aws_estate.ids[f"bucket {rich} {east}"]
    assert json.loads(configured["Policy"]) == bucket_policy(name)
    assert configured["LoggingEnabled"] == {"TargetBucket": name, "TargetPrefix": "access/"}
    bare = rows[(plain, west, "s3_bucket", aws_estate.ids[f"bucket {plain} {west}"])][1]
    assert (
        bare["BucketRegion"],
        bare["ServerSideEncryptionConfiguration"],
        bare["Versioning"],
        bare["PublicAccessBlockConfiguration"],
        bare["LoggingEnabled"],
        bare["Policy"],
        [grant["Permission"] for grant in bare["Grants"]],
        bare["Tags"],
    ) == (west, None, None, None, None, None, ["FULL_CONTROL"], [])

    rotated = rows[(rich, east, "kms_key", aws_estate.ids[f"key {rich} {east}"])][1]
    assert (rotated["KeyRotationEnabled"], rotated["Aliases"], rotated["KeyState"]) == (
        True,
        [f"alias/cf-{east}"],
        "Enabled",
    )
    unrotated = rows[(plain, west, "kms_key", aws_estate.ids[f"key {plain} {west}"])][1]
    assert unrotated["KeyRotationEnabled"] is False
    # a log group's KMS key and retention are absent from the API's answer when not set
    key_arn = f"arn:aws:kms:{east}:{rich}:key/{aws_estate.ids[f'key {rich} {east}']}"
    encrypted = rows[(rich, east, "cloudwatch_log_group", f"/cf/{east}")]
    assert (encrypted[0], encrypted[1]["kmsKeyId"], encrypted[1]["retentionInDays"]) == (
        f"arn:aws:logs:{east}:{rich}:log-group:/cf/{east}", key_arn, 400)
    bare_group = rows[(plain, west, "cloudwatch_log_group", f"/cf/{west}")][1]
    assert ("kmsKeyId" in bare_group, "retentionInDays" in bare_group) == (False, False)
    # the multi-region trail is in its home region's slice only (the slices above hold one trail each)
    trail_arn, trail = rows[(rich, east, "cloudtrail_trail", f"cf-trail-{east}")][:2]
    assert trail_arn == f"arn:aws:cloudtrail:{east}:{rich}:trail/cf-trail-{east}"
    assert (trail["IsMultiRegionTrail"], trail["IsLogging"], trail["LogFileValidationEnabled"], trail["KmsKeyId"],
            trail["S3BucketLogging"]["LoggingEnabled"]["TargetPrefix"]) == (True, True, True, key_arn, "access/")
    bare_trail = rows[(plain, west, "cloudtrail_trail", f"cf-trail-{west}")][1]
    assert (bare_trail["IsMultiRegionTrail"], bare_trail["IsLogging"], bare_trail.get("KmsKeyId"),
            bare_trail["S3BucketLogging"]) == (False, False, None, {"LoggingEnabled": None})
    # what each trail records (get_event_selectors): moto gives a trail without selectors none of either kind
    assert (trail["EventSelectors"], trail["AdvancedEventSelectors"]) == ([], TRAIL_EVENTS)
    assert (bare_trail["EventSelectors"], bare_trail["AdvancedEventSelectors"]) == ([], [])
    # the account's multi-region trails wherever their home: the rich account's one, none in the plain one
    account_trails = rows[(rich, "global", "cloudtrail_account", rich)][1]["MultiRegionTrails"]
    assert [(t["TrailARN"], t["HomeRegion"], t["IsLogging"], t["AdvancedEventSelectors"]) for t in account_trails] == [
        (trail_arn, east, True, TRAIL_EVENTS)]
    assert rows[(plain, "global", "cloudtrail_account", plain)][1:2] == ({"MultiRegionTrails": [], "Tags": []},)
    # its log group's metric filters, each with the alarms on its metric and their subscribed SNS actions
    topic = f"arn:aws:sns:{east}:{rich}:cf-"
    assert trail["CloudWatchLogsLogGroupArn"] == f"arn:aws:logs:{east}:{rich}:log-group:/cf/{east}:*"
    assert [(f["filterName"], f["filterPattern"], [(a["AlarmName"], a["SubscribedTopics"]) for a in f["Alarms"]])
            for f in trail["MetricFilters"]] == [
        ("root-usage", ROOT_USAGE, [("root-paged", [f"{topic}security"]), ("root-quiet", [])]),
        ("unwatched", "ERROR", []),
    ]
    assert (bare_trail.get("CloudWatchLogsLogGroupArn"), bare_trail["MetricFilters"]) == (None, [])
    assert rows[(rich, east, "lambda_function", "cf-fn")][1]["Runtime"] == "python3.12"
    balancer = rows[(rich, east, "load_balancer", "cf-web")][1]
    assert balancer["Tags"] == SORTED_TAGS
    instance = aws_estate.ids[f"instance {rich} {east}"]
    assert [(group["TargetGroupName"], group["Targets"]) for group in balancer["TargetGroups"]] == [
        ("cf-web", [{"Id": instance, "Port": 80, "State": "healthy"}])
    ]


def test_security_settings_are_documents_whether_on_or_off(aws_estate: Estate, synced) -> None:
    rows = loaded(synced[0])
    rich, plain = ACCOUNTS[0], ACCOUNTS[1]
    east, west = REGIONS

    def settings(account: str, region: str) -> tuple:
        doc = {kind: rows[(account, region, kind, account)] for kind in
               ("ebs_encryption_by_default", "config_recorder", "security_hub", "guardduty_detector")}
        assert {arn for arn, _, _ in doc.values()} == {None}
        recorders = doc["config_recorder"][1]
        return (
            doc["ebs_encryption_by_default"][1]["EbsEncryptionByDefault"],
            [(r["name"], r["recordingGroup"]["allSupported"]) for r in recorders["ConfigurationRecorders"]],
            [(s["name"], s["recording"]) for s in recorders["ConfigurationRecordersStatus"]],
            (doc["security_hub"][1]["Hub"] or {}).get("HubArn"),
            [(d["DetectorId"], d["Status"]) for d in doc["guardduty_detector"][1]["Detectors"]],
        )

    assert settings(rich, east) == (
        True, [("default", True)], [("default", True)], f"arn:aws:securityhub:{east}:{rich}:hub/default",
        [(aws_estate.ids[f"detector {rich} {east}"], "ENABLED")],
    )
    assert settings(rich, west) == settings(plain, east) == (False, [], [], None, [])
    # IAM Access Analyzer, served by demo.access_analyzer (moto has none) to the real boto3 client
    analyzers = {(a, r): rows[(a, r, "access_analyzer", a)][1]["Analyzers"] for a in (rich, plain) for r in (east, west)}
    assert {place: [(x["name"], x["type"], x["status"], x["arn"]) for x in found] for place, found in analyzers.items()} == {
        (rich, east): [("cf-external", "ACCOUNT", "ACTIVE", f"arn:aws:access-analyzer:{east}:{rich}:analyzer/cf-external")],
        (rich, west): [], (plain, east): [], (plain, west): []}

    vpc = rows[(rich, east, "vpc", aws_estate.ids[f"vpc {rich} {east}"])][1]
    assert [(f["FlowLogId"], f["FlowLogStatus"], f["TrafficType"]) for f in vpc["FlowLogs"]] == [
        (aws_estate.ids[f"flow log {rich} {east}"], "ACTIVE", "REJECT")
    ]
    assert rows[(rich, west, "vpc", aws_estate.ids[f"vpc {rich} {west}"])][1]["FlowLogs"] == []
    acl_id = aws_estate.ids[f"acl {rich} {east}"]
    arn, acl, _ = rows[(rich, east, "network_acl", acl_id)]
    assert arn == f"arn:aws:ec2:{east}:{rich}:network-acl/{acl_id}"
    assert [(e["RuleNumber"], e["RuleAction"], e["Protocol"], e.get("PortRange"), e["CidrBlock"])
            for e in acl["Entries"] if not e["Egress"]] == [(100, "allow", "6", {"From": 443, "To": 443}, "0.0.0.0/0")]
    file_system_id = aws_estate.ids[f"file system {rich} {east}"]
    arn, file_system, _ = rows[(rich, east, "efs_file_system", file_system_id)]
    assert arn == f"arn:aws:elasticfilesystem:{east}:{rich}:file-system/{file_system_id}"
    assert (file_system["Encrypted"], file_system["Name"]) == (True, "cf")


def test_rerun_loads_identical_rows(aws_estate: Estate, inventory_db: str, clock: Clock) -> None:
    settings = inventory_settings(aws_estate.endpoint)
    first = sync_inventory(settings, inventory_db, clock=clock)
    before = loaded(inventory_db)
    second = sync_inventory(settings, inventory_db, clock=clock)
    after = loaded(inventory_db)

    assert first.sync_id != second.sync_id
    assert {row[2] for row in after.values()} == {second.sync_id}
    assert {key: row[:2] for key, row in after.items()} == {key: row[:2] for key, row in before.items()}
    assert [(s.account_id, s.region, s.resource_type, s.row_count) for s in second.slices] == [
        (s.account_id, s.region, s.resource_type, s.row_count) for s in first.slices
    ]


def test_denied_region_fails_its_slices_and_keeps_their_rows(aws_estate: Estate, inventory_db: str, clock: Clock) -> None:
    baseline = sync_inventory(inventory_settings(aws_estate.endpoint), inventory_db, clock=clock)
    rows_before, slices_before = loaded(inventory_db), slice_outcomes(inventory_db)
    denied = REGIONS[1]
    with refusing_proxy(aws_estate.endpoint, access_denied_in(denied)) as proxy:
        report = sync_inventory(inventory_settings(proxy.url), inventory_db, clock=clock)
    rows_after, slices_after = loaded(inventory_db), slice_outcomes(inventory_db)

    expected_failures = {
        (account, denied, name): DENIED_CODE.get(name, "AccessDenied")
        for account in ACCOUNTS
        for name in REGIONAL_TYPES
    }
    assert {
        (f.account_id, f.region, f.resource_type): f.error_code for f in report.failures
    } == expected_failures
    assert report.slices_ok == 2 * SLICES_PER_ACCOUNT - len(expected_failures)
    for failure in report.failures:  # the proxy echoed the caller's key id; it must not be stored
        assert "ASIA" not in failure.message and "[redacted]" in failure.message, failure.message
    # an access error is final: one request per EC2 slice, no retries
    assert proxy.refused[(denied, "ec2", "UnauthorizedOperation")] == 2 * len(EC2_TYPES)

    # the denied region still serves the rows of the previous sync, the others were reloaded
    assert {key: row for key, row in rows_after.items() if key[1] == denied} == {
        key: row for key, row in rows_before.items() if key[1] == denied
    }
    assert {row[2] for key, row in rows_after.items() if key[1] == denied} == {baseline.sync_id}
    assert {row[2] for key, row in rows_after.items() if key[1] != denied} == {report.sync_id}
    assert {key: row[:2] for key, row in rows_after.items()} == {
        key: row[:2] for key, row in rows_before.items()
    }

    # failed slices keep the count and success time of the rows they still hold
    assert {key: outcome for key, outcome in slices_after.items() if key in expected_failures} == {
        key: ("failed", *slices_before[key][1:]) for key in expected_failures
    }
    assert {outcome[0] for key, outcome in slices_after.items() if key not in expected_failures} == {"ok"}
    with psycopg.connect(inventory_db) as conn:
        errors = conn.execute(
            "SELECT account_id, region, resource_type, error_code, message FROM raw_aws.sync_errors"
            " WHERE sync_id = %s",
            (report.sync_id,),
        ).fetchall()
    assert {tuple(row[:3]): row[3] for row in errors} == expected_failures
    assert {row[4] for row in errors} == {failure.message for failure in report.failures}


def test_refused_assume_role_fails_every_slice_of_that_account(aws_estate: Estate, inventory_db: str, clock: Clock) -> None:
    refused = ACCOUNTS[1]
    with refusing_proxy(aws_estate.endpoint, assume_role_denied(refused)) as proxy:
        report = sync_inventory(inventory_settings(proxy.url), inventory_db, clock=clock)

    assert {(f.account_id, f.error_code) for f in report.failures} == {(refused, "AccessDenied")}
    assert report.slices_failed == SLICES_PER_ACCOUNT
    assert {account for account, *_ in loaded(inventory_db)} == {ACCOUNTS[0]}
    assert proxy.refused == {("us-east-1", "sts", "AccessDenied"): 1}  # assumed once, not once per slice


def test_throttling_is_retried_then_fails_only_its_slices(aws_estate: Estate, inventory_db: str, clock: Clock) -> None:
    region = REGIONS[1]
    with refusing_proxy(aws_estate.endpoint, throttled(region, "kms")) as proxy:
        report = sync_inventory(inventory_settings(proxy.url, max_attempts=2), inventory_db, clock=clock)

    assert {(f.account_id, f.region, f.resource_type, f.error_code) for f in report.failures} == {
        (account, region, "kms_key", "ThrottlingException") for account in ACCOUNTS
    }
    assert proxy.refused == {(region, "kms", "ThrottlingException"): 2 * 2}  # max_attempts per account


def test_sync_can_be_limited_to_some_types(aws_estate: Estate, inventory_db: str, clock: Clock) -> None:
    settings = inventory_settings(aws_estate.endpoint)
    report = sync_inventory(settings, inventory_db, clock=clock, resource_types=["vpc", "iam_role"])

    expected = {key: ids for key, ids in aws_estate.slices.items() if key[2] in {"vpc", "iam_role"}}
    assert {(s.account_id, s.region, s.resource_type) for s in report.slices} == expected.keys()
    assert by_slice(loaded(inventory_db)) == expected
    with pytest.raises(ValueError, match=r"unknown AWS resource types \['vpcs'\]; known: ec2_instance, "):
        sync_inventory(settings, inventory_db, clock=clock, resource_types=["vpcs"])


def test_rows_the_warehouse_rejects_fail_their_slice_and_keep_its_rows(inventory_db: str, clock: Clock) -> None:
    key = {"account_id": ACCOUNTS[0], "region": REGIONS[0], "resource_type": "ec2_instance"}
    first_at, second_at = clock.now() - timedelta(hours=1), clock.now()
    good = [("i-1", None, '{"InstanceId": "i-1"}'), ("i-2", None, '{"InstanceId": "i-2"}')]
    with psycopg.connect(inventory_db) as conn:
        ensure_schema(conn)
        stored = store_slice(conn, "00000000-0000-0000-0000-000000000001", key, good, now=first_at)
        # jsonb refuses the NUL character: the COPY fails after the slice's record was sent with the DELETE
        rejected = [("i-3", None, '{"note": "\\u0000"}')]
        refused = store_slice(conn, "00000000-0000-0000-0000-000000000002", key, rejected, now=second_at)

    assert (stored.ok, stored.row_count) == (True, 2)
    assert (refused.ok, refused.error_code, refused.row_count) == (False, "UntranslatableCharacter", None)
    assert {k[3]: row[2] for k, row in loaded(inventory_db).items()} == {
        "i-1": "00000000-0000-0000-0000-000000000001", "i-2": "00000000-0000-0000-0000-000000000001"
    }
    assert slice_outcomes(inventory_db) == {tuple(key.values()): ("failed", 2, first_at)}
    with psycopg.connect(inventory_db) as conn:
        errors = conn.execute("SELECT sync_id::text, error_code FROM raw_aws.sync_errors").fetchall()
    assert errors == [("00000000-0000-0000-0000-000000000002", "UntranslatableCharacter")]
