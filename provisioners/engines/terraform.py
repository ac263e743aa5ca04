"""The Terraform engine: the rendered graph as Terraform JSON (``main.tf.json``) with an S3 backend and DynamoDB
locking, then ``terraform init``, ``plan -out``, ``show -json`` (gated by ``policies.check.check_plan`` exactly as
a CI plan is with `cloudforge policy check`), and ``apply`` of that very plan.

Each node is one Terraform resource named after the node (``web[0]`` -> ``aws_instance.web_0``), so the walk
order, the ledger's node ids and Terraform's addresses map one to one. Not exercised offline: no terraform
binary with the AWS provider can be installed here (see the README); ``run_terraform`` is the only part that
needs one and is kept to the four commands.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from policies.check import CheckResult, check_plan
from policies.config import PolicyConfig
from provisioners.graph import Graph, Node, Ref, map_refs

# Arguments Terraform treats as "attributes as blocks": in JSON every field of each element must be given.
_RULE_FIELDS = {"description": "", "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [],
                "self": False, "cidr_blocks": []}  # fmt: skip
_PLACEHOLDER = re.compile(r'"@@(?P<expression>[\w.\[\]]+)@@"')


@dataclass(frozen=True)
class S3Backend:
    bucket: str
    region: str
    dynamodb_table: str  # the lock table (LockID string hash key)
    key_prefix: str = "cloudforge/provisioning"


def resource_name(node: Node) -> str:
    """``web[0]`` -> ``web_0``: a Terraform name for each node."""
    return re.sub(r"[^\w-]", "_", node.id).strip("_")


def _expression(graph: Graph, ref: Ref) -> str:
    target = graph.nodes[ref.node]
    return f"{target.type}.{resource_name(target)}.{ref.attribute}"


def _argument(graph: Graph, name: str, value: Any) -> Any:
    """One argument in Terraform JSON: references as ``${...}``; a mapping (a policy document, also in an
    ``inline_policy`` block) through ``jsonencode`` so references inside it stay expressions."""
    if name in ("ingress", "egress"):
        value = [{**_RULE_FIELDS, **rule} for rule in value]
    if name in ("policy", "assume_role_policy") and isinstance(value, dict):
        text = json.dumps(map_refs(value, lambda ref: f"@@{_expression(graph, ref)}@@"))
        return "${jsonencode(" + _PLACEHOLDER.sub(lambda m: m["expression"], text) + ")}"
    if name == "inline_policy":
        return [{key: _argument(graph, key, item) for key, item in block.items()} for block in value]
    return map_refs(value, lambda ref: "${" + _expression(graph, ref) + "}")


def terraform_json(graph: Graph, backend: S3Backend | None) -> dict[str, Any]:
    """The graph as a Terraform JSON configuration: provider, backend, one resource per node."""
    request = graph.request
    resources: dict[str, dict[str, Any]] = {}
    for node in graph.nodes.values():
        body = {name: _argument(graph, name, value) for name, value in node.properties.items()}
        resources.setdefault(node.type, {})[resource_name(node)] = body
    settings: dict[str, Any] = {
        "required_providers": {"aws": {"source": "hashicorp/aws", "version": ">= 5.0"}}
    }
    if backend:
        settings["backend"] = {"s3": {
            "bucket": backend.bucket, "key": f"{backend.key_prefix}/{request.id}.tfstate",
            "region": backend.region, "dynamodb_table": backend.dynamodb_table, "encrypt": True,
        }}  # fmt: skip
    provider = {"region": request.region, "allowed_account_ids": [request.account]}
    return {"terraform": settings, "provider": {"aws": provider}, "resource": resources}


def gate_plan(show_json: dict[str, Any] | str | Path, config: PolicyConfig, now: datetime) -> CheckResult:
    """``terraform show -json`` of the saved plan through the whole policy library, as `cloudforge policy check`
    does in CI."""
    return check_plan(show_json, config, now=now)


class PlanDenied(RuntimeError):
    """The policy gate denied the plan Terraform made; nothing was applied."""


def run_terraform(graph: Graph, workdir: Path, backend: S3Backend, config: PolicyConfig, now: datetime,
                  terraform: str = "terraform") -> CheckResult:  # fmt: skip
    """Write, plan, gate and apply the graph in ``workdir``; PlanDenied when the gate refuses the plan.
    NOT exercised offline (no terraform binary with the AWS provider here)."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "main.tf.json").write_text(json.dumps(terraform_json(graph, backend), indent=2))

    def terraform_run(*args: str) -> str:
        return subprocess.run(
            [terraform, *args], cwd=workdir, check=True, capture_output=True, text=True
        ).stdout

    terraform_run("init", "-input=false")
    terraform_run("plan", "-input=false", "-out=tfplan")
    result = gate_plan(json.loads(terraform_run("show", "-json", "tfplan")), config, now)
    if not result.passed:
        raise PlanDenied("; ".join(f"{f.policy_id} {f.resource_key}: {f.message}" for f in result.findings))
    terraform_run("apply", "-input=false", "tfplan")
    return result
