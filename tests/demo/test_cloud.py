"""The embedded cloud: the estate seeded into a real moto server over HTTP, ages included, and its process."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError
import pytest

from cloudforge.clock import Clock
from cloudforge.local.processes import is_alive
from cloudforge.settings import DEMO_ACCOUNTS, DEMO_REGIONS, READ_ROLE_NAME
from demo.cis_alarms import CIS_METRIC_FILTERS
from demo.cloud import find_embedded_cloud, start_embedded_cloud
from demo.estate import (
    AVAILABILITY_ZONES,
    GLOBAL_REGION,
    SUPPORT_POLICY,
    SUPPORT_ROLE,
    Estate,
    ResourceSpec,
    generate_estate,
)
from demo.seeding import DUMMY_CREDENTIALS, TRAIL_SELECTORS, seed_estate


def pages(client: Any, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
    for page in client.get_paginator(operation).paginate(**params):
        yield from page[key]


def instances(client: Any) -> list[dict[str, Any]]:
    return [i for r in pages(client, "describe_instances", "Reservations") for i in r["Instances"]]


# resource_type -> (service, how to list one region's resources; IAM: the account's, S3: by bucket region)
LISTERS: dict[str, tuple[str, Callable[[Any], list[dict[str, Any]]]]] = {
    "vpc": ("ec2", lambda c: list(pages(c, "describe_vpcs", "Vpcs"))),
    "subnet": ("ec2", lambda c: list(pages(c, "describe_subnets", "Subnets"))),
    "security_group": ("ec2", lambda c: list(pages(c, "describe_security_groups", "SecurityGroups"))),
    "ec2_instance": ("ec2", instances),
    "ebs_volume": ("ec2", lambda c: list(pages(c, "describe_volumes", "Volumes"))),
    "ebs_snapshot": ("ec2", lambda c: list(pages(c, "describe_snapshots", "Snapshots", OwnerIds=["self"]))),
    "elastic_ip": ("ec2", lambda c: c.describe_addresses()["Addresses"]),
    "s3_bucket": ("s3", lambda c: list(pages(c, "list_buckets", "Buckets", BucketRegion=c.meta.region_name))),
    "rds_instance": ("rds", lambda c: list(pages(c, "describe_db_instances", "DBInstances"))),
    "iam_user": ("iam", lambda c: list(pages(c, "list_users", "Users"))),
    "iam_role": ("iam", lambda c: list(pages(c, "list_roles", "Roles"))),
    "lambda_function": ("lambda", lambda c: list(pages(c, "list_functions", "Functions"))),
    "load_balancer": ("elbv2", lambda c: list(pages(c, "describe_load_balancers", "LoadBalancers"))),
    "kms_key": ("kms", lambda c: list(pages(c, "list_keys", "Keys"))),
    # one per account, whether a policy is set or not (the inventory judges its absence too)
    "iam_password_policy": ("iam", lambda c: [c.meta.region_name]),
    "cloudwatch_log_group": ("logs", lambda c: list(pages(c, "describe_log_groups", "logGroups"))),
    "cloudtrail_trail": ("cloudtrail", lambda c: c.describe_trails(includeShadowTrails=False)["trailList"]),
    "iam_account": ("iam", lambda c: [c.meta.region_name]),  # one per account
    "iam_policy": ("iam", lambda c: list(pages(c, "list_policies", "Policies", Scope="Local"))),
    "iam_server_certificate": ("iam", lambda c: c.list_server_certificates()["ServerCertificateMetadataList"]),
    "network_acl": ("ec2", lambda c: list(pages(c, "describe_network_acls", "NetworkAcls"))),
    "efs_file_system": ("efs", lambda c: list(pages(c, "describe_file_systems", "FileSystems"))),
    # one per account-region, on or off (the inventory judges both)
    "ebs_encryption_by_default": ("ec2", lambda c: [c.meta.region_name]),
    "config_recorder": ("config", lambda c: [c.meta.region_name]),
    "security_hub": ("securityhub", lambda c: [c.meta.region_name]),
    "guardduty_detector": ("guardduty", lambda c: [c.meta.region_name]),
    "access_analyzer": ("accessanalyzer", lambda c: [c.meta.region_name]),
    "cloudtrail_account": ("cloudtrail", lambda c: [c.meta.region_name]),  # one per account
}
GLOBAL_TYPES = {"cloudtrail_account"} | {t for t in LISTERS if t.startswith("iam_")}


def account_credentials(endpoint: str, account_id: str) -> dict[str, str]:
    sts = boto3.client("sts", region_name="us-east-1", endpoint_url=endpoint, **DUMMY_CREDENTIALS)
    arn = f"arn:aws:iam::{account_id}:role/{READ_ROLE_NAME}"
    credentials = sts.assume_role(RoleArn=arn, RoleSessionName="test")["Credentials"]
    return {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }


class Inventory:
    """Lists the seeded server per (account, region, resource_type), the way an inventory would."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.session = boto3.Session()  # one session for all clients: service models load once
        self.credentials = {a: account_credentials(endpoint, a) for a in DEMO_ACCOUNTS}
        self.clients: dict[tuple[str, str, str], Any] = {}

    def client(self, account_id: str, service: str, region: str) -> Any:
        region = "us-east-1" if region == GLOBAL_REGION else region
        if (account_id, service, region) not in self.clients:
            self.clients[(account_id, service, region)] = self.session.client(
                service, region_name=region, endpoint_url=self.endpoint, **self.credentials[account_id]
            )
        return self.clients[(account_id, service, region)]

    def list(self, account_id: str, region: str, resource_type: str) -> list[dict[str, Any]]:
        service, lister = LISTERS[resource_type]
        return lister(self.client(account_id, service, region))

    def counts(self) -> dict[tuple[str, str, str], int]:
        found = Counter()
        for account_id in DEMO_ACCOUNTS:
            for resource_type in LISTERS:
                for region in [GLOBAL_REGION] if resource_type in GLOBAL_TYPES else DEMO_REGIONS:
                    listed = self.list(account_id, region, resource_type)
                    found[(account_id, region, resource_type)] += len(listed)
        return {key: n for key, n in found.items() if n}


@pytest.fixture(scope="module")
def estate() -> Estate:
    return generate_estate()


@pytest.fixture(scope="module")
def seeded_at(clock: Clock) -> datetime:
    return clock.now()


@pytest.fixture(scope="module")
def inventory(estate: Estate, moto_endpoint: str, seeded_at: datetime) -> Inventory:
    seed_estate(estate, moto_endpoint, seeded_at)
    return Inventory(moto_endpoint)


def specs(estate: Estate, resource_type: str, account_id: str, region: str) -> list[ResourceSpec]:
    return [r for r in estate.of_type(resource_type) if (r.account_id, r.region) == (account_id, region)]


def days_ago(moment: datetime, seeded_at: datetime) -> int:
    """Whole days between a creation time AWS reports and the clock's time of seeding."""
    return (seeded_at - moment).days


def test_inventory_finds_exactly_the_expected_counts(estate: Estate, inventory: Inventory) -> None:
    assert inventory.counts() == estate.expected_counts()


def test_password_policies_are_set_as_the_estate_says(estate: Estate, inventory: Inventory) -> None:
    def seeded(account_id: str) -> tuple[int | None, int | None]:
        iam = inventory.client(account_id, "iam", GLOBAL_REGION)
        try:
            policy = iam.get_account_password_policy()["PasswordPolicy"]
        except iam.exceptions.NoSuchEntityException:
            return None, None
        return policy["MinimumPasswordLength"], policy["PasswordReusePrevention"]

    expected = {
        spec.account_id: (spec.attributes["minimum_password_length"], spec.attributes["password_reuse_prevention"])
        for spec in estate.of_type("iam_password_policy")
    }
    assert {account_id: seeded(account_id) for account_id in DEMO_ACCOUNTS} == expected
    assert sorted(expected.values(), key=str) == [(14, 24), (8, 24), (None, None)]


def test_log_groups_have_the_key_and_retention_the_estate_says(estate: Estate, inventory: Inventory) -> None:
    def seeded(spec: ResourceSpec) -> tuple[bool, int]:
        logs = inventory.client(spec.account_id, "logs", spec.region)
        [group] = logs.describe_log_groups(logGroupNamePrefix=spec.name)["logGroups"]
        return "kmsKeyId" in group, group.get("retentionInDays", 0)

    groups = estate.of_type("cloudwatch_log_group")
    expected = [(spec.attributes["kms_key"] is not None, spec.attributes["retention_days"]) for spec in groups]
    assert [seeded(spec) for spec in groups] == expected
    assert {kms for kms, _ in expected} == {True, False} and {days for _, days in expected} == {365, 30, 0}


def test_trails_log_validated_and_encrypted_as_the_estate_says(estate: Estate, inventory: Inventory) -> None:
    def seeded(spec: ResourceSpec) -> tuple[bool, bool, bool, str]:
        cloudtrail = inventory.client(spec.account_id, "cloudtrail", spec.region)
        [trail] = cloudtrail.describe_trails(trailNameList=[spec.name])["trailList"]
        logging = cloudtrail.get_trail_status(Name=spec.name)["IsLogging"]
        return logging, trail["LogFileValidationEnabled"], trail.get("KmsKeyId") is not None, trail["S3BucketName"]

    trails = estate.of_type("cloudtrail_trail")
    expected = [(True, s.attributes["log_file_validation"], s.attributes["kms_key"] is not None,
                 s.attributes["bucket"]) for s in trails]
    assert [seeded(spec) for spec in trails] == expected
    assert [(validated, encrypted) for _, validated, encrypted, _ in expected] == [
        (True, True), (False, True), (True, False)]


def test_trails_deliver_to_the_cis_alarms_the_estate_says(estate: Estate, inventory: Inventory) -> None:
    """Alarmed: every CIS metric filter on the trail's log group, each alarm notifying a topic a queue is
    subscribed to; unsubscribed: the same without the queue; None: the trail delivers nowhere."""

    def seeded(spec: ResourceSpec) -> tuple[str | None, list[tuple[str, str, list[str]]], int]:
        client = partial(inventory.client, spec.account_id, region=spec.region)
        [trail] = client("cloudtrail").describe_trails(trailNameList=[spec.name])["trailList"]
        group = spec.attributes["log_group"]
        filters = [
            (f["filterName"], f["filterPattern"], [a["AlarmName"] for a in client("cloudwatch").describe_alarms_for_metric(
                MetricName=f["metricTransformations"][0]["metricName"], Namespace="CISBenchmark")["MetricAlarms"]])
            for f in client("logs").describe_metric_filters(logGroupName=group)["metricFilters"]
        ]
        topics = client("sns").list_topics()["Topics"]
        subscribed = sum(len(client("sns").list_subscriptions_by_topic(TopicArn=t["TopicArn"])["Subscriptions"])
                         for t in topics)
        return trail.get("CloudWatchLogsLogGroupArn"), sorted(filters), subscribed

    cis = sorted((name, pattern, [f"cis-{name}"]) for name, pattern in CIS_METRIC_FILTERS.values())
    trails = estate.of_type("cloudtrail_trail")
    expected = [
        (None if s.attributes["monitoring"] is None else
         f"arn:aws:logs:{s.region}:{s.account_id}:log-group:{s.attributes['log_group']}:*",
         [] if s.attributes["monitoring"] is None else cis,
         int(s.attributes["monitoring"] == "alarmed"))
        for s in trails
    ]
    assert [seeded(spec) for spec in trails] == expected
    assert [s.attributes["monitoring"] for s in trails] == ["alarmed", "unsubscribed", None]
    assert len(cis) == 15
def test_root_users_support_roles_and_policies_are_as_the_estate_says(estate: Estate, inventory: Inventory) -> None:
    def seeded(account_id: str) -> tuple:
        iam = inventory.client(account_id, "iam", GLOBAL_REGION)
        summary = iam.get_account_summary()["SummaryMap"]
        devices = [d["SerialNumber"] for d in pages(iam, "list_virtual_mfa_devices", "VirtualMFADevices")]
        support = iam.list_entities_for_policy(PolicyArn=SUPPORT_POLICY, EntityFilter="Role")["PolicyRoles"]
        attached = {
            (policy["PolicyName"], user["UserName"])
            for user in pages(iam, "list_users", "Users")
            for policy in iam.list_attached_user_policies(UserName=user["UserName"])["AttachedPolicies"]
        }
        return (
            summary["AccountMFAEnabled"],
            summary["AccountAccessKeysPresent"],
            f"arn:aws:iam::{account_id}:mfa/root-account-mfa-device" in devices,
            [role["RoleName"] for role in support],
            attached,
        )

    def expected(account_id: str) -> tuple:
        [account] = [s for s in estate.of_type("iam_account") if s.account_id == account_id]
        mfa = account.attributes["root_mfa"]
        support = [s.name for s in estate.of_type("iam_role") if s.account_id == account_id and s.name == SUPPORT_ROLE]
        attached = {
            (s.name, user) for s in estate.of_type("iam_policy") if s.account_id == account_id for user in s.attributes["users"]
        }
        return int(mfa is not None), int(account.attributes["root_access_keys"]), mfa == "virtual", support, attached

    assert {a: seeded(a) for a in DEMO_ACCOUNTS} == {a: expected(a) for a in DEMO_ACCOUNTS}
    roots = sorted((s.attributes["root_mfa"] or "", s.attributes["root_access_keys"]) for s in estate.of_type("iam_account"))
    assert roots == [("", True), ("hardware", False), ("virtual", False)]


def test_console_users_have_a_login_profile_as_the_estate_says(estate: Estate, inventory: Inventory) -> None:
    def has_console(spec: ResourceSpec) -> bool:
        iam = inventory.client(spec.account_id, "iam", GLOBAL_REGION)
        try:
            return bool(iam.get_login_profile(UserName=spec.name)["LoginProfile"])
        except iam.exceptions.NoSuchEntityException:
            return False

    users = estate.of_type("iam_user")
    assert [has_console(u) for u in users] == [u.attributes["console_password"] for u in users]
    assert 0 < sum(u.attributes["console_password"] for u in users) < len(users)
def test_region_settings_are_seeded_as_the_estate_says(estate: Estate, inventory: Inventory) -> None:
    def seeded(account_id: str, region: str) -> tuple[bool, str | None, bool, str | None]:
        ec2, config = (inventory.client(account_id, s, region) for s in ("ec2", "config"))
        recorders = config.describe_configuration_recorders()["ConfigurationRecorders"]
        recording = config.describe_configuration_recorder_status()["ConfigurationRecordersStatus"]
        recorder = None
        if recorders:
            partial = not recorders[0]["recordingGroup"]["allSupported"]
            recorder = "partial" if partial else "recording" if recording[0]["recording"] else "stopped"
        try:
            inventory.client(account_id, "securityhub", region).describe_hub()
            hub = True
        except ClientError:
            hub = False
        guardduty = inventory.client(account_id, "guardduty", region)
        detectors = guardduty.list_detectors()["DetectorIds"]
        status = guardduty.get_detector(DetectorId=detectors[0])["Status"] if detectors else None
        detector = {"ENABLED": "enabled", "DISABLED": "suspended", None: None}[status]
        return ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"], recorder, hub, detector

    def expected(account_id: str, region: str) -> tuple[bool, str | None, bool, str | None]:
        [ebs, config, hub, detector] = (
            specs(estate, kind, account_id, region)[0].attributes
            for kind in ("ebs_encryption_by_default", "config_recorder", "security_hub", "guardduty_detector")
        )
        return ebs["enabled"], config["recorder"], hub["enabled"], detector["detector"]

    places = [(account_id, region) for account_id in DEMO_ACCOUNTS for region in DEMO_REGIONS]
    assert {p: seeded(*p) for p in places} == {p: expected(*p) for p in places}
    # partial recorders are started, so that only what they record fails them
    assert Counter(expected(*p)[1] for p in places) == {"recording": 3, "stopped": 2, "partial": 2, None: 2}


def test_trails_record_the_events_the_estate_says(estate: Estate, inventory: Inventory) -> None:
    def seeded(spec: ResourceSpec) -> dict[str, list]:
        answer = inventory.client(spec.account_id, "cloudtrail", spec.region).get_event_selectors(TrailName=spec.name)
        return {key: answer[key] for key in ("EventSelectors", "AdvancedEventSelectors") if answer[key]}

    trails = estate.of_type("cloudtrail_trail")
    assert [seeded(spec) for spec in trails] == [TRAIL_SELECTORS[s.attributes["events"]] or {} for s in trails]
    assert [s.attributes["events"] for s in trails] == ["default", "write", "all"]
    accounts = {s.account_id: s.attributes["trail_events"] for s in estate.of_type("cloudtrail_account")}
    assert accounts == {a: tuple(t.attributes["events"] for t in trails if t.account_id == a) for a in DEMO_ACCOUNTS}


def test_access_analyzers_are_seeded_as_the_estate_says(estate: Estate, inventory: Inventory) -> None:
    """Served by demo.access_analyzer (moto has no Access Analyzer), per account-region."""
    def seeded(account_id: str, region: str) -> list[tuple[str, str]]:
        analyzers = inventory.client(account_id, "accessanalyzer", region).list_analyzers()["analyzers"]
        return [(a["type"], a["status"]) for a in analyzers]

    places = [(account_id, region) for account_id in DEMO_ACCOUNTS for region in DEMO_REGIONS]
    kinds = {p: specs(estate, "access_analyzer", *p)[0].attributes["analyzer"] for p in places}
    assert {p: seeded(*p) for p in places} == {p: [(k, "ACTIVE")] if k else [] for p, k in kinds.items()}
    assert Counter(kinds.values()) == {"ACCOUNT": 3, None: 3, "ACCOUNT_UNUSED_ACCESS": 3}


def test_default_subnets_follow_the_zones_moto_serves(inventory: Inventory) -> None:
    for region in DEMO_REGIONS:
        ec2 = inventory.client(DEMO_ACCOUNTS[0], "ec2", region)
        zones = tuple(z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"])
        assert zones == AVAILABILITY_ZONES[region]


AGE_FIELDS = {  # resource_type -> (the field naming it in AWS, if any; the field with its creation time)
    "ebs_snapshot": ("Description", "StartTime"),
    "rds_instance": ("DBInstanceIdentifier", "InstanceCreateTime"),
    "ec2_instance": (None, "LaunchTime"),
    "ebs_volume": (None, "CreateTime"),
}


def test_backdated_ages_come_back_through_the_api(
    estate: Estate, inventory: Inventory, seeded_at: datetime
) -> None:
    for account_id in DEMO_ACCOUNTS:
        iam = inventory.client(account_id, "iam", GLOBAL_REGION)
        for user in specs(estate, "iam_user", account_id, GLOBAL_REGION):
            keys = iam.list_access_keys(UserName=user.name)["AccessKeyMetadata"]
            key_ages = sorted(days_ago(k["CreateDate"], seeded_at) for k in keys)
            assert key_ages == sorted(user.attributes["access_key_ages_days"])
            created = iam.get_user(UserName=user.name)["User"]["CreateDate"]
            assert days_ago(created, seeded_at) == user.age_days
        for region in DEMO_REGIONS:
            for resource_type, (name_key, time_key) in AGE_FIELDS.items():
                listed = inventory.list(account_id, region, resource_type)
                wanted = specs(estate, resource_type, account_id, region)
                if name_key:
                    found = {r[name_key]: days_ago(r[time_key], seeded_at) for r in listed}
                    assert found == {s.name: s.age_days for s in wanted}
                else:  # no name in AWS: compare the ages as multisets
                    ages = sorted(days_ago(r[time_key], seeded_at) for r in listed)
                    assert ages == sorted(s.age_days for s in wanted)


def test_resources_carry_their_tags_and_settings(estate: Estate, inventory: Inventory) -> None:
    for bucket in estate.of_type("s3_bucket"):
        s3 = inventory.client(bucket.account_id, "s3", bucket.region)
        tags = s3.get_bucket_tagging(Bucket=bucket.name)["TagSet"] if bucket.raw_tags else []
        assert {t["Key"]: t["Value"] for t in tags} == bucket.raw_tags
        versioning = s3.get_bucket_versioning(Bucket=bucket.name).get("Status") == "Enabled"
        assert versioning == bucket.attributes["versioning"]
    for user in estate.of_type("iam_user"):
        iam = inventory.client(user.account_id, "iam", GLOBAL_REGION)
        tags = iam.list_user_tags(UserName=user.name)["Tags"]
        assert {t["Key"]: t["Value"] for t in tags} == user.raw_tags
        assert bool(iam.list_mfa_devices(UserName=user.name)["MFADevices"]) == user.attributes["has_mfa"]
    for account_id in DEMO_ACCOUNTS:
        for region in DEMO_REGIONS:
            ingress = {
                g["GroupName"]: sorted(
                    (p["FromPort"], r["CidrIp"]) for p in g["IpPermissions"] for r in p["IpRanges"]
                )
                for g in inventory.list(account_id, region, "security_group")
                if g["GroupName"] != "default"
            }
            groups = specs(estate, "security_group", account_id, region)
            groups = [g for g in groups if g.managed_by == "estate"]
            assert ingress == {g.name: sorted(g.attributes["ingress"]) for g in groups}

            fields = ("PubliclyAccessible", "StorageEncrypted", "BackupRetentionPeriod", "PerformanceInsightsEnabled")
            databases = {
                d["DBInstanceIdentifier"]: [d[f] for f in fields]
                for d in inventory.list(account_id, region, "rds_instance")
            }
            settings = ("publicly_accessible", "encrypted", "backup_retention_days", "performance_insights")
            wanted = specs(estate, "rds_instance", account_id, region)
            assert databases == {d.name: [d.attributes[s] for s in settings] for d in wanted}

            kms = inventory.client(account_id, "kms", region)
            rotation = Counter(
                kms.get_key_rotation_status(KeyId=k["KeyId"])["KeyRotationEnabled"]
                for k in inventory.list(account_id, region, "kms_key")
            )
            keys = specs(estate, "kms_key", account_id, region)
            assert rotation == Counter(k.attributes["rotation_enabled"] for k in keys)


def test_seeding_refuses_a_server_outside_this_process(estate: Estate) -> None:
    with pytest.raises(RuntimeError, match="not started in this process by start_moto_server"):
        seed_estate(estate, "http://127.0.0.1:9", datetime(2026, 1, 1, tzinfo=UTC))


IDS = ("vpc", "ec2_instance")


def resource_ids(endpoint: str) -> dict[str, list[str]]:
    """IDs moto generated: VPCs, instances and access keys of the first account."""
    inventory, account_id = Inventory(endpoint), DEMO_ACCOUNTS[0]
    iam = inventory.client(account_id, "iam", GLOBAL_REGION)
    listed = {t: [r for region in DEMO_REGIONS for r in inventory.list(account_id, region, t)] for t in IDS}
    return {
        "vpc": sorted(v["VpcId"] for v in listed["vpc"]),
        "ec2_instance": sorted(i["InstanceId"] for i in listed["ec2_instance"]),
        "access_key": sorted(
            k["AccessKeyId"]
            for u in inventory.list(account_id, GLOBAL_REGION, "iam_user")
            for k in iam.list_access_keys(UserName=u["UserName"])["AccessKeyMetadata"]
        ),
    }


@pytest.mark.e2e  # three embedded cloud processes, each started and seeded until it serves
def test_embedded_cloud_process_serves_is_reused_stops_and_restarts_identically(
    tmp_path: Path, clock: Clock
) -> None:
    """The process runs on the clock it is given: seeded (and billed) as of the session's pinned date."""
    estate = generate_estate(seed=7, size=30)
    cloud = start_embedded_cloud(tmp_path, seed=7, size=30, clock=clock, timeout=240)
    try:
        state = json.loads((tmp_path / "cloud.json").read_text())
        described = {"endpoint_url": cloud.endpoint_url, "pid": cloud.pid, "seeded_at": cloud.seeded_at}
        assert state == described | {"seed": 7, "size": 30, "pinned_date": clock.today().isoformat()}
        assert datetime.fromisoformat(cloud.seeded_at).date() == clock.today()
        assert cloud.pid != os.getpid() and cloud.endpoint_url.startswith("http://127.0.0.1:")
        again = start_embedded_cloud(tmp_path, seed=7, size=30, clock=clock)
        assert again == cloud == find_embedded_cloud(tmp_path)
        first_ids = resource_ids(cloud.endpoint_url)
        in_first_account = [r.resource_type for r in estate.resources if r.account_id == DEMO_ACCOUNTS[0]]
        assert {t: len(first_ids[t]) for t in IDS} == {t: in_first_account.count(t) for t in IDS}
        with pytest.raises(RuntimeError, match="not started in this process"):
            seed_estate(estate, cloud.endpoint_url, clock.now())
    finally:
        (find_embedded_cloud(tmp_path) or cloud).stop()  # stopping a found cloud, as another process would
    assert not (tmp_path / "cloud.json").exists()
    assert find_embedded_cloud(tmp_path) is None
    with pytest.raises(ProcessLookupError):
        os.kill(cloud.pid, 0)

    restarted = start_embedded_cloud(tmp_path, seed=7, size=30, clock=clock, timeout=240)
    try:
        assert restarted.pid != cloud.pid
        assert resource_ids(restarted.endpoint_url) == first_ids
        # pinned to another date, the cloud is seeded again for it rather than reused
        tomorrow = Clock(today=clock.today() + timedelta(days=1))
        moved = start_embedded_cloud(tmp_path, seed=7, size=30, clock=tomorrow, timeout=240)
        assert moved.pid != restarted.pid and not is_alive(restarted.pid)
        assert datetime.fromisoformat(moved.seeded_at).date() == tomorrow.today()
    finally:
        (find_embedded_cloud(tmp_path) or restarted).stop()


def test_a_cloud_that_dies_reports_why(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match=r"exited with code 1(.|\n)*estate size must be positive"):
        start_embedded_cloud(tmp_path, seed=1, size=0, timeout=60)
    assert find_embedded_cloud(tmp_path) is None


def test_a_damaged_state_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "cloud.json").write_text('{"endpoint_url": "http://127.0.0.1:9"}')
    with pytest.raises(ValueError, match="cloud.json does not describe an embedded cloud"):
        find_embedded_cloud(tmp_path)
