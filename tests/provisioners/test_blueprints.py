"""Blueprints and requests: the shipped ones render; bad ones are refused with file, line and what is wrong;
the plan is gated by the policy library, estimated, budget-checked; approvals bind to the plan's hash."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from policies.config import PolicyConfig
from provisioners.blueprints.blueprint import load_blueprint, shipped_blueprints
from provisioners.blueprints.request import load_request
from provisioners.blueprints.yaml_lines import SourceError
from provisioners.graph import render
from provisioners.ledger import NotApproved
from provisioners.planning import estimate
from provisioners.service import Budget, plan_request, ready_to_apply
from tests.provisioners.conftest import TAGS, make_request
from tests.provisioners.test_apply_moto import NOW

FIXTURES = Path(__file__).parent / "fixtures" / "blueprints"


def test_shipped_blueprints_render_with_their_node_counts():
    counts = {name: len(render(load_blueprint(name), make_request(name, f"n-{name}")).nodes)
              for name in shipped_blueprints()}  # fmt: skip
    assert counts == {"database": 13, "fleet": 107, "network": 9, "static-site": 12, "web-service": 30}


def test_graph_order_puts_dependencies_first_and_fills_tags_and_names():
    graph = render(load_blueprint("web-service"), make_request("web-service", "order", instance_count=3))
    order = graph.order()
    for node in graph.nodes.values():
        assert all(order.index(d) < order.index(node.id) for d in node.depends_on)
    web = graph.nodes["web[2]"]
    assert web.properties["tags"] == {
        **TAGS,
        "cloudforge:request": graph.request.id,
        "cloudforge:node": "web[2]",
    }
    assert graph.nodes["lb"].properties["name"] == f"cf-{graph.request.id[-8:]}-lb"
    assert graph.nodes["web_targets[2]"].depends_on == ("targets", "web[2]")


@pytest.mark.parametrize(("fixture", "expected"), [
    ("cycle.yaml", ["cycle.yaml:3: reference cycle: a -> b -> a"]),
    ("unknown-type.yaml", ["unknown-type.yaml:7: resource 'queue': unknown type 'aws_sqs_queue'"]),
    ("bad-default.yaml", ["bad-default.yaml:5: parameter 'size': default 'three' is not a integer",
                          "bad-default.yaml:7: resource 'vpc': unknown parameter 'missing' in ${param.missing}"]),
])  # fmt: skip
def test_bad_blueprints_are_refused_with_file_line_and_problem(fixture, expected):
    with pytest.raises(SourceError) as refused:
        load_blueprint(FIXTURES / fixture)
    lines = [line.removeprefix(f"{FIXTURES}/") for line in str(refused.value).splitlines()]
    assert [line[: len(e)] for line, e in zip(lines, expected)] == expected and len(lines) == len(expected)


def test_bad_requests_are_refused_with_line_and_problem(tmp_path):
    path = tmp_path / "request.yaml"
    path.write_text(
        "name: bad\nblueprint: web-service\naccount: '12345'\nregion: us-east-1\nrequested_by: a\n"
        "tags: {team: payments, project: x, env: dev}\nparameters:\n  instance_count: two\n  colour: red\n"
    )
    with pytest.raises(SourceError) as refused:
        load_request(path, ["team", "project", "env", "owner"])
    assert str(refused.value).splitlines() == [
        f"{path}:3: account '12345' is not a 12-digit AWS account id",
        f"{path}:6: required tag 'owner' is missing",
    ]
    path.write_text(
        path.read_text().replace("'12345'", "'123456789012'").replace("env: dev}", "env: dev, owner: a}")
    )
    request = load_request(path, ["team", "project", "env", "owner"])
    with pytest.raises(SourceError) as refused:
        render(load_blueprint(request.blueprint), request)
    assert str(refused.value).splitlines() == [
        (
            f"{path}:9: parameter 'colour': blueprint web-service has no such parameter "
            "(it has: cidr_prefix, image_id, instance_count, instance_type)"
        ),
        f"{path}:8: parameter 'instance_count': 'two' is not a integer",
    ]


def test_the_request_id_is_stable_and_ignores_parameters():
    assert make_request("network", "same").id == make_request("web-service", "same", instance_count=5).id
    assert make_request("network", "same").id != make_request("network", "other").id


def test_estimate_prices_each_node_from_the_table():
    graph = render(load_blueprint("database"), make_request("database", "priced", allocated_storage=100))
    monthly = {e.node_id: e.monthly for e in estimate(graph) if e.monthly}
    assert monthly == {"db": Decimal("0.017") * 730 + Decimal("0.115") * 100}  # 12.41 + 11.50


def test_a_policy_denial_blocks_the_request_with_its_findings(ledger):
    request = make_request("open-ssh", "denied")
    plan = plan_request(ledger, request, PolicyConfig(), NOW, None, "alice", blueprint_dir=FIXTURES)
    assert {(f.policy_id, f.resource_key) for f in plan.check.findings} >= {
        ("CF-AWS-EC2-001", "aws_security_group.admin")
    }
    row = ledger.request(request.id)
    assert row.status == "blocked" and "aws_security_group.admin" in row.message
    with pytest.raises(NotApproved, match="blocked by the policy gate"):
        ledger.approve(request.id, plan.hash, "bob")


def test_over_budget_needs_a_second_approver_and_a_changed_plan_a_new_approval(ledger):
    request = make_request("web-service", "over-budget", instance_count=2)
    budget = Budget("team:payments", Decimal("1000.00"), Decimal("990.00"))  # the estimate is 31.60
    plan = plan_request(ledger, request, PolicyConfig(), NOW, budget, "alice")
    assert plan.approvals_needed == 2
    assert ledger.approve(request.id, plan.hash, "bob").status == "awaiting_approval"
    assert ledger.approve(request.id, plan.hash, "bob").status == "awaiting_approval"  # the same one twice
    assert ledger.approve(request.id, plan.hash, "carol").status == "approved"
    ready_to_apply(ledger, plan.graph)

    bigger = make_request("web-service", "over-budget", instance_count=3)
    with pytest.raises(NotApproved, match="changed since the plan that was approved"):
        ready_to_apply(ledger, render(load_blueprint("web-service"), bigger))
    with pytest.raises(NotApproved, match="the plan changed since it was shown"):
        ledger.approve(bigger.id, "0" * 64, "bob")
    replanned = plan_request(ledger, bigger, PolicyConfig(), NOW, None, "alice")
    assert (
        ledger.request(bigger.id).status == "awaiting_approval" and ledger.request(bigger.id).approvers == ()
    )
    assert ledger.approve(bigger.id, replanned.hash, "bob").status == "approved"
