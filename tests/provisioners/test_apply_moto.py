"""Plan, approve and apply shipped blueprints against the moto server; destroy in reverse order."""

from __future__ import annotations

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
    return {
        "vpc": nodes(ec2.describe_vpcs(Filters=tag)["Vpcs"]),
        "subnet": nodes(ec2.describe_subnets(Filters=tag)["Subnets"]),
        "security_group": nodes(ec2.describe_security_groups(Filters=tag)["SecurityGroups"]),
        "instance": nodes(instances),
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
