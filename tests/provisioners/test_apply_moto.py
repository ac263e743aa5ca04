"""Plan, approve and apply shipped blueprints against the moto server; destroy in reverse order."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from policies.config import PolicyConfig
from provisioners.apply import Retry
from provisioners.ledger import NotApproved
from provisioners.service import apply_request, destroy_request, plan_request
from tests.provisioners.conftest import aws_engine, aws_session, make_request

NOW = datetime(2026, 1, 15, tzinfo=UTC)
FAST = Retry(attempts=4, first_wait=0.01)


def tagged(endpoint: str, request_id: str) -> dict[str, list[str]]:
    """Every resource in moto tagged with the request, by kind, as node ids."""
    ec2 = aws_session().client("ec2", endpoint_url=endpoint)
    tag = [{"Name": "tag:cloudforge:request", "Values": [request_id]}]

    def nodes(items):
        return sorted(
            next(t["Value"] for t in item["Tags"] if t["Key"] == "cloudforge:node") for item in items
        )

    instances = [i for r in ec2.describe_instances(Filters=tag)["Reservations"] for i in r["Instances"]
                 if i["State"]["Name"] != "terminated"]  # fmt: skip
    iam = aws_session().client("iam", endpoint_url=endpoint)
    roles = [{"Tags": iam.list_role_tags(RoleName=r["RoleName"])["Tags"]} for r in iam.list_roles()["Roles"]]
    return {
        "vpc": nodes(ec2.describe_vpcs(Filters=tag)["Vpcs"]),
        "subnet": nodes(ec2.describe_subnets(Filters=tag)["Subnets"]),
        "security_group": nodes(ec2.describe_security_groups(Filters=tag)["SecurityGroups"]),
        "instance": nodes(instances),
        "role": nodes(r for r in roles if {"Key": "cloudforge:request", "Value": request_id} in r["Tags"]),
    }


def test_web_service_is_applied_once_in_dependency_order_and_destroyed(ledger_url, ledger, moto_endpoint):
    request = make_request("web-service", "web-apply", instance_count=2)
    plan = plan_request(ledger, request, PolicyConfig(), NOW, None, "alice")
    assert plan.check.passed and plan.approvals_needed == 1
    with pytest.raises(NotApproved, match="awaiting_approval"):
        apply_request(ledger_url, ledger, plan.graph, aws_engine(moto_endpoint), 4, FAST)
    ledger.approve(request.id, plan.hash, "bob")

    outcome = apply_request(ledger_url, ledger, plan.graph, aws_engine(moto_endpoint), 4, FAST)

    assert outcome.ok and sorted(outcome.done) == sorted(plan.graph.nodes)
    assert tagged(moto_endpoint, request.id) == {
        "vpc": ["vpc"],
        "subnet": ["private_a", "private_b", "public_a", "public_b"],
        "security_group": ["app", "https"],
        "instance": ["web[0]", "web[1]"],
        "role": ["web_role"],
    }
    created_at = {row[0]: row[1] for row in ledger._execute(
        "SELECT node_id, min(event_id) FROM provisioning.events WHERE request_id = %s AND event = 'created'"
        " GROUP BY node_id", [request.id])}  # fmt: skip
    for node in plan.graph.nodes.values():
        assert all(created_at[d] < created_at[node.id] for d in node.depends_on), node.id
    assert ledger.request(request.id).status == "applied"

    again = apply_request(ledger_url, ledger, plan.graph, aws_engine(moto_endpoint), 4, FAST)
    assert again.done == [] and sorted(again.found) == sorted(plan.graph.nodes)

    grown = make_request("web-service", "web-apply", instance_count=3)  # changed after it was applied
    replanned = plan_request(ledger, grown, PolicyConfig(), NOW, None, "alice")
    assert ledger.request(request.id).status == "awaiting_approval"
    with pytest.raises(NotApproved, match=r"awaiting_approval \(1 approval\(s\), has 0\)"):
        apply_request(ledger_url, ledger, replanned.graph, aws_engine(moto_endpoint), 4, FAST)
    plan_request(ledger, request, PolicyConfig(), NOW, None, "alice")  # back to the applied plan

    ledger.approve(request.id, plan.hash, "bob")
    gone = destroy_request(ledger_url, ledger, plan.graph, aws_engine(moto_endpoint), 4, FAST)
    assert gone.ok and tagged(moto_endpoint, request.id) == {
        "vpc": [],
        "subnet": [],
        "security_group": [],
        "instance": [],
        "role": [],
    }
    deleted_at = {row[0]: row[1] for row in ledger._execute(
        "SELECT node_id, event_id FROM provisioning.events WHERE request_id = %s AND event = 'deleted'",
        [request.id])}  # fmt: skip
    for node in plan.graph.nodes.values():
        assert all(deleted_at[d] > deleted_at[node.id] for d in node.depends_on), node.id


@pytest.mark.parametrize("blueprint", ["network", "database", "static-site"])
def test_each_shipped_blueprint_applies_exactly_its_resources(ledger_url, ledger, moto_endpoint, blueprint):
    request = make_request(blueprint, f"each-{blueprint}")
    plan = plan_request(ledger, request, PolicyConfig(), NOW, None, "alice")
    assert plan.check.passed, plan.blocked
    ledger.approve(request.id, plan.hash, "bob")
    outcome = apply_request(ledger_url, ledger, plan.graph, aws_engine(moto_endpoint), 4, FAST)
    assert outcome.ok, outcome.failed
    rows = ledger.nodes(request.id)
    assert {n: r.status for n, r in rows.items()} == {n: "created" for n in plan.graph.nodes}


def test_what_the_engine_creates_has_the_settings_the_gate_passed(ledger_url, ledger, moto_endpoint):
    """The compliant arguments reach AWS: encrypted root volume, detailed monitoring, the instance profile,
    egress inside the VPC, the database's settings, the bucket's access logging and TLS-only policy."""
    request = make_request("web-service", "settings", instance_count=1)
    database = make_request("database", "settings-db", cidr_prefix="10.30")
    session, created = aws_session(), {}
    for each in (request, database):
        plan = plan_request(ledger, each, PolicyConfig(), NOW, None, "alice")
        ledger.approve(each.id, plan.hash, "bob")
        assert apply_request(ledger_url, ledger, plan.graph, aws_engine(moto_endpoint), 4, FAST).ok
        created[each.blueprint] = {node: row.physical_id for node, row in ledger.nodes(each.id).items()}
    nodes, db_nodes = created["web-service"], created["database"]
    ec2, rds, s3 = (session.client(s, endpoint_url=moto_endpoint) for s in ("ec2", "rds", "s3"))

    instance = ec2.describe_instances(InstanceIds=[nodes["web[0]"]])["Reservations"][0]["Instances"][0]
    assert instance["Monitoring"] == {"State": "enabled"}
    assert instance["IamInstanceProfile"]["Arn"].endswith(f":instance-profile/{nodes['web_profile']}")
    root = [m for m in instance["BlockDeviceMappings"] if m["DeviceName"] == instance["RootDeviceName"]]
    volume = ec2.describe_volumes(VolumeIds=[root[0]["Ebs"]["VolumeId"]])["Volumes"][0]
    assert (volume["Encrypted"], volume["VolumeType"], volume["Size"]) == (True, "gp3", 8)
    groups = ec2.describe_security_groups(GroupIds=[nodes["app"], nodes["https"], db_nodes["db_access"]])
    egress = {g["GroupId"]: [(r["IpProtocol"], [c["CidrIp"] for c in r["IpRanges"]]) for r in g["IpPermissionsEgress"]]
              for g in groups["SecurityGroups"]}  # fmt: skip
    assert egress == {nodes["app"]: [("-1", ["10.20.0.0/16"])], nodes["https"]: [("-1", ["10.20.0.0/16"])],
                      db_nodes["db_access"]: []}  # fmt: skip

    db = rds.describe_db_instances(DBInstanceIdentifier=db_nodes["db"])["DBInstances"][0]
    keys = ("MultiAZ", "IAMDatabaseAuthenticationEnabled", "EnabledCloudwatchLogsExports", "MonitoringInterval",
            "CopyTagsToSnapshot")  # fmt: skip
    assert {key: db[key] for key in keys} == {
        "MultiAZ": True, "IAMDatabaseAuthenticationEnabled": True,
        "EnabledCloudwatchLogsExports": ["postgresql", "upgrade"], "MonitoringInterval": 60,
        "CopyTagsToSnapshot": True}  # fmt: skip
    assert db["MonitoringRoleArn"].endswith(f":role/{db_nodes['db_monitoring']}")

    logs = f"cf-{request.id}-access-logs"
    assert (nodes["assets"], nodes["access_logs"]) == (f"cf-{request.id}-assets", logs)
    assert s3.get_bucket_logging(Bucket=nodes["assets"])["LoggingEnabled"] == {
        "TargetBucket": logs, "TargetPrefix": "assets/"}  # fmt: skip
    statements = json.loads(s3.get_bucket_policy(Bucket=nodes["assets"])["Policy"])["Statement"]
    assert [(s["Sid"], s["Effect"], s["Resource"]) for s in statements] == [
        ("TlsOnly", "Deny", [f"arn:aws:s3:::{nodes['assets']}", f"arn:aws:s3:::{nodes['assets']}/*"])
    ]
