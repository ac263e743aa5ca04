"""Resource health from the cloud's own status, per (account, region), through the inventory's assume-role
sessions: EC2 instance and system status checks, RDS instance status, and load balancer target health.

Each slice is collected whole or recorded as failed (the error redacted of credentials); a failed slice keeps
its previous results, the others still load.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import psycopg

from assets.aws.clients import AccountSession, open_account
from assets.aws.errors import describe_error
from assets.health.store import CheckResult, Status, record_slice
from cloudforge.clock import Clock
from cloudforge.settings import AwsSettings

# The words each API uses, sorted into healthy / unhealthy; anything else (initializing, insufficient-data,
# a database being modified) is unknown.
EC2_STATUS: dict[str, Status] = {"ok": "healthy", "impaired": "unhealthy"}
RDS_HEALTHY = {"available", "backing-up", "maintenance", "modifying", "upgrading", "storage-optimization"}
RDS_UNHEALTHY = {"failed", "incompatible-network", "incompatible-option-group", "incompatible-parameters",
                 "incompatible-restore", "inaccessible-encryption-credentials", "restore-error", "storage-full"}
TARGET_STATUS: dict[str, Status] = {"healthy": "healthy", "unhealthy": "unhealthy", "unused": "unhealthy",
                                    "unavailable": "unhealthy"}


def ec2_checks(session: AccountSession, region: str) -> Iterator[CheckResult]:
    """Instance and system status checks of the running instances (stopped ones have none)."""
    ec2 = session.client("ec2", region)
    for page in ec2.get_paginator("describe_instance_status").paginate():
        for status in page["InstanceStatuses"]:
            instance_id = status["InstanceId"]
            for kind, key in (("ec2_instance_status", "InstanceStatus"), ("ec2_system_status", "SystemStatus")):
                word = status.get(key, {}).get("Status", "not-applicable")
                yield CheckResult(kind, session.account_id, region, "ec2_instance", instance_id, instance_id,
                                  EC2_STATUS.get(word, "unknown"), word)


def rds_checks(session: AccountSession, region: str) -> Iterator[CheckResult]:
    """The status of every DB instance; stopped ones are left out (stopping is a choice, not ill health)."""
    rds = session.client("rds", region)
    for page in rds.get_paginator("describe_db_instances").paginate():
        for db in page["DBInstances"]:
            word, name = db["DBInstanceStatus"], db["DBInstanceIdentifier"]
            if word in {"stopped", "stopping", "starting"}:
                continue
            status: Status = "healthy" if word in RDS_HEALTHY else "unhealthy" if word in RDS_UNHEALTHY else "unknown"
            yield CheckResult("rds_instance_status", session.account_id, region, "rds_instance", name, name,
                              status, word)


def target_checks(session: AccountSession, region: str) -> Iterator[CheckResult]:
    """The health of every registered target of every target group, as the load balancer sees it."""
    elb = session.client("elbv2", region)
    for page in elb.get_paginator("describe_target_groups").paginate():
        for group in page["TargetGroups"]:
            arn = group["TargetGroupArn"]
            resource_type = "ec2_instance" if group.get("TargetType", "instance") == "instance" else None
            for target in elb.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]:
                health = target["TargetHealth"]
                word = health["State"]
                detail = ": ".join(part for part in (word, health.get("Description")) if part)
                yield CheckResult("target_health", session.account_id, region, resource_type,
                                  target["Target"]["Id"], arn, TARGET_STATUS.get(word, "unknown"), detail)


@dataclass
class HealthReport:
    """What a collection did: checks per status, and the slices that failed with why."""

    counts: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    slices_ok: int = 0


def collect_cloud_health(aws: AwsSettings, conn: psycopg.Connection, clock: Clock) -> HealthReport:
    """Every (account, region) slice's checks into raw_health; a slice that fails is recorded and skipped."""
    report = HealthReport()
    for account in aws.accounts:
        try:
            session = open_account(aws, account)
        except Exception as exc:  # a refused role: every region of the account fails with the reason
            code, message = describe_error(exc)
            for region in aws.regions:
                slice_key = f"aws/{account.id}/{region}"
                record_slice(conn, slice_key, None, clock.now(), f"{code}: {message}")
                report.failed[slice_key] = f"{code}: {message}"
            continue
        for region in aws.regions:
            slice_key = f"aws/{account.id}/{region}"
            try:
                results = [*ec2_checks(session, region), *rds_checks(session, region), *target_checks(session, region)]
            except Exception as exc:
                code, message = describe_error(exc, session.secrets())
                record_slice(conn, slice_key, None, clock.now(), f"{code}: {message}")
                report.failed[slice_key] = f"{code}: {message}"
                continue
            record_slice(conn, slice_key, results, clock.now())
            report.slices_ok += 1
            for result in results:
                report.counts[result.status] = report.counts.get(result.status, 0) + 1
    return report
