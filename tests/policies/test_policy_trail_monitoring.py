"""CIS section 4 on plans: metric filters, alarms and SNS subscriptions joined to the trail whose log group
they watch, by reference (the fixture: what `terraform show -json` gives for resources created together) or
by known value, and each CF-AWS-CW-003..017 policy firing on the fixture."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cloudforge.clock import Clock
from policies.check import check_plan
from policies.config import PolicyConfig
from policies.documents import from_plan

FIXTURE = Path(__file__).parent / "fixtures" / "trail_monitoring.plan.json"
POLICIES = [f"CF-AWS-CW-{n:03d}" for n in range(3, 18)]  # CIS v3 4.1 to 4.15, in order
# what aws_cloudtrail.watched's log group declares for each policy, in order
SUBSCRIBED, SILENT, UNALARMED, NO_FILTER = (
    POLICIES[:4] + POLICIES[12:],
    POLICIES[4:7],
    POLICIES[7:10],
    POLICIES[10:12],
)
WHAT = dict(
    zip(
        POLICIES,
        (
            "unauthorized API calls",
            "console sign-in without MFA",
            "use of the root user",
            "IAM policy changes",
            "CloudTrail configuration changes",
            "console authentication failures",
            "disabling or scheduled deletion of KMS keys",
            "S3 bucket policy changes",
            "AWS Config configuration changes",
            "security group changes",
            "network ACL changes",
            "network gateway changes",
            "route table changes",
            "VPC changes",
            "AWS Organizations changes",
        ),
    )
)
FILTER_NAMES = dict(
    zip(
        POLICIES,
        (
            "unauthorized-api-calls",
            "console-sign-in-without-mfa",
            "root-usage",
            "iam-policy-changes",
            "cloudtrail-changes",
            "console-authentication-failures",
            "kms-key-deletion",
            "s3-bucket-policy-changes",
            "config-changes",
            "security-group-changes",
            "network-acl-changes",
            "network-gateway-changes",
            "route-table-changes",
            "vpc-changes",
            "organizations-changes",
        ),
    )
)


def _fixture() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text())


def test_filters_alarms_and_subscriptions_join_the_trail_by_reference() -> None:
    documents = from_plan(_fixture())
    trails = {address: doc for address, kind, doc in documents.documents if kind == "cloudtrail_trail"}
    watched = trails["aws_cloudtrail.watched"]
    # the log group is created with the trail: its ARN is known on apply, the integration is not in doubt
    assert (watched["cloudwatch_logs_log_group_arn"], watched["cloudwatch_logs_integrated"]) == (None, True)
    assert documents.unknown["aws_cloudtrail.watched"] == {
        "arn",
        "s3_bucket_access_logging",
        "cloudwatch_logs_log_group_arn",
    }
    assert sorted((f["name"], f["alarmed"], f["subscribed"]) for f in watched["metric_filters"]) == sorted(
        [(FILTER_NAMES[p], True, True) for p in SUBSCRIBED]
        + [(FILTER_NAMES[p], True, False) for p in SILENT]
        + [(FILTER_NAMES[p], False, False) for p in UNALARMED]
    )
    unwatched = trails["aws_cloudtrail.unwatched"]
    assert (unwatched["cloudwatch_logs_integrated"], unwatched["metric_filters"]) == (False, [])
    assert documents.skipped == [
        ("aws_sns_topic.security", "aws_sns_topic"),
        ("aws_sns_topic.silent", "aws_sns_topic"),
    ]


def test_every_cis_section_4_policy_fires_on_the_fixture(clock: Clock) -> None:
    result = check_plan(_fixture(), PolicyConfig(), now=clock.now())
    found = {(f.policy_id, f.resource_key): f.message for f in result.findings if f.policy_id in POLICIES}
    expected = {
        (p, "aws_cloudtrail.unwatched"): "the trail delivers no events to CloudWatch Logs" for p in POLICIES
    }
    expected |= {
        (
            p,
            "aws_cloudtrail.watched",
        ): f"no alarm on the metric filter for {WHAT[p]} notifies a confirmed SNS "
        f"subscription ({FILTER_NAMES[p]})"
        for p in SILENT
    }
    expected |= {
        (p, "aws_cloudtrail.watched"): f"no alarm watches the metric filter for {WHAT[p]} ({FILTER_NAMES[p]})"
        for p in UNALARMED
    }
    expected |= {
        (p, "aws_cloudtrail.watched"): f"no metric filter on its CloudWatch Logs log group matches {WHAT[p]}"
        for p in NO_FILTER
    }
    assert found == expected
    assert [u.policy_id for u in result.unknown if u.policy_id in POLICIES] == []


def _change(address: str, after: dict[str, Any], unknown: dict[str, Any] | None = None) -> dict[str, Any]:
    type_, name = address.split(".")
    return {
        "address": address,
        "type": type_,
        "name": name,
        "change": {"actions": ["create"], "after": after, "after_unknown": unknown or {}},
    }


ROOT_USAGE = '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'
TOPIC = "arn:aws:sns:eu-west-1:1:oncall"


def _known_values_plan(protocol: str) -> dict[str, Any]:
    """An existing log group and topic named by value: the trail, the root-usage filter, its alarm and a
    subscription of the protocol."""
    return {
        "format_version": "1.2",
        "resource_changes": [
            _change(
                "aws_cloudtrail.main",
                {
                    "name": "main",
                    "s3_bucket_name": "acme-trail",
                    "cloud_watch_logs_group_arn": "arn:aws:logs:eu-west-1:1:log-group:trail:*",
                },
            ),
            _change(
                "aws_cloudwatch_log_metric_filter.root",
                {
                    "name": "root",
                    "log_group_name": "trail",
                    "pattern": ROOT_USAGE,
                    "metric_transformation": [{"name": "RootUsage", "namespace": "CIS", "value": "1"}],
                },
            ),
            _change(
                "aws_cloudwatch_log_metric_filter.elsewhere",
                {
                    "name": "elsewhere",
                    "log_group_name": "other",
                    "pattern": ROOT_USAGE,
                    "metric_transformation": [{"name": "Other", "namespace": "CIS", "value": "1"}],
                },
            ),
            _change(
                "aws_cloudwatch_metric_alarm.root",
                {"metric_name": "RootUsage", "namespace": "CIS", "alarm_actions": [TOPIC]},
            ),
            _change(
                "aws_sns_topic_subscription.oncall",
                {"topic_arn": TOPIC, "protocol": protocol, "endpoint": "oncall@example.com"},
            ),
        ],
    }


def test_known_values_join_and_a_subscriber_confirming_on_apply_is_unknown(clock: Clock) -> None:
    for protocol, subscribed in (("sms", True), ("email", None)):
        documents = from_plan(_known_values_plan(protocol))
        [(_, _, trail)] = documents.documents
        assert trail["metric_filters"] == [
            {"name": "root", "pattern": ROOT_USAGE, "alarmed": True, "subscribed": subscribed}
        ]
        assert ("metric_filters" in documents.unknown.get("aws_cloudtrail.main", set())) is (
            subscribed is None
        )
    result = check_plan(_known_values_plan("email"), PolicyConfig(), now=clock.now())
    assert "CF-AWS-CW-005" in {u.policy_id for u in result.unknown}
    assert "CF-AWS-CW-005" not in {f.policy_id for f in result.findings}


def test_a_log_group_neither_named_nor_in_the_plan_leaves_the_filters_unknown() -> None:
    plan = {
        "format_version": "1.2",
        "resource_changes": [
            _change(
                "aws_cloudtrail.main",
                {"name": "main", "s3_bucket_name": "acme-trail"},
                {"cloud_watch_logs_group_arn": True},
            ),
        ],
    }
    documents = from_plan(plan)
    [(_, _, trail)] = documents.documents
    assert (trail["cloudwatch_logs_integrated"], trail["metric_filters"]) == (True, None)
    assert {"cloudwatch_logs_log_group_arn", "metric_filters"} <= documents.unknown["aws_cloudtrail.main"]
