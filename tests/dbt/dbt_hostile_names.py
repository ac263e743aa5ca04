"""The hand-built inventory and billing with names written as Markdown, Streamlit directives, LaTeX, Slack mrkdwn
and HTML (support.literal), for the test that every page shows them as literal text:

- an EC2 instance i-0h1 named NAME with the ARN ARN, tagged team TEAM, project PROJECT, env prod (no owner), with
  an open high finding of the policy CF-TEST-001 whose message names it;
- the GCP BigQuery lines (with their spike on 2024-06-12, an anomaly) as the service SERVICE, tagged TEAM/PROJECT;
- the hand-built budgets plus a team budget for TEAM.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import dbt_raw_billing
import psycopg
from dbt_raw_inventory import A, RAW_RESOURCES, SYNCED_AT, tag_list
from psycopg.types.json import Jsonb
from support.literal import ARN, NAME, PROJECT, SERVICE, TEAM

RESOURCE_KEY = f"aws/{A}/us-east-1/ec2_instance/i-0h1"
RESOURCES = [
    *RAW_RESOURCES,
    (A, "us-east-1", "ec2_instance", "i-0h1", ARN, {
        "InstanceId": "i-0h1", "InstanceType": "t3.micro", "State": {"Code": 16, "Name": "running"},
        "LaunchTime": "2024-05-01T09:00:00+00:00", "VpcId": "vpc-1", "SubnetId": "subnet-1",
        "Tags": tag_list(("Name", NAME), ("team", TEAM), ("project", PROJECT), ("env", "prod")),
    }),
]
COSTS = {
    **dbt_raw_billing.COSTS,
    "budgets": [*dbt_raw_billing.COSTS["budgets"], {"scope": "team", "name": TEAM, "monthly_amount": 5000}],
}
POLICY_ID = "CF-TEST-001"
MESSAGE = f"instance {NAME} is reachable from the internet"


def focus_records() -> list[dict]:
    """The hand-built billing with BigQuery renamed SERVICE and its lines tagged TEAM and PROJECT."""
    renamed = {"service_name": SERVICE, "tags": {"team": TEAM, "project": PROJECT, "env": "prod"}}
    return [
        {**record, **renamed} if record["service_name"] == "BigQuery" else record
        for record in dbt_raw_billing.focus_records()
    ]


def load_finding(conn: psycopg.Connection) -> None:
    """One policy and one policy run with an open finding on i-0h1, as the policy runtime writes them."""
    run_id = uuid.UUID("00000000-0000-4000-8000-0000000000a1")
    at = datetime.fromisoformat(SYNCED_AT).astimezone(UTC)
    conn.execute(
        "INSERT INTO raw_policies.policies VALUES (%s, %s, %s, 'high', 'security', %s, %s, %s, %s, %s)",
        (POLICY_ID, "Instances are not public", "Public instances", ["ec2_instance"],
         Jsonb({"cis-aws-foundations-v3.0": ["5.2"]}), "Close the port.", "test.rego", at),
    )
    conn.execute(
        "INSERT INTO raw_policies.findings VALUES"
        " (%s, %s, %s, %s, 'us-east-1', 'ec2_instance', 'i-0h1', 'high', %s, 'open', NULL, %s, %s, NULL, %s, %s)",
        (f"{POLICY_ID}:{RESOURCE_KEY}", POLICY_ID, RESOURCE_KEY, A, MESSAGE, at, at, at, run_id),
    )
    conn.execute(
        "INSERT INTO raw_policies.evaluation_runs VALUES (%s, %s, 1, %s, %s, 0, 1, 0, 1, 0, 0.1)",
        (run_id, at, len(RESOURCES), len(RESOURCES)),
    )
