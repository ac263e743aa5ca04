"""Planning a request: its graph as a Terraform plan for the policy gate, a cost estimate, its hash.

The graph is judged exactly as `cloudforge policy check` judges a Terraform plan (``policies.check.check_plan``
on the ``terraform show -json`` shape of the graph): every resource is a create, its arguments are ``after``,
what only the cloud will tell (ids, references to resources not created yet) is ``after_unknown``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from policies.check import CheckResult, check_plan
from policies.config import PolicyConfig
from provisioners.catalog import KINDS
from provisioners.graph import Graph, Node, map_refs, refs

PRICES = Path(__file__).parent / "prices.yaml"
PROVIDER = "registry.terraform.io/hashicorp/aws"


def _after(value: Any) -> Any:
    """The planned value: a reference is unknown (null) until its target exists."""
    return map_refs(value, lambda ref: None)


def _unknown(value: Any) -> Any:
    """Terraform's ``after_unknown`` of a value: true where a reference stands."""
    return map_refs(value, lambda ref: True, lambda leaf: False)


def plan_json(graph: Graph) -> dict[str, Any]:
    """The graph as the JSON of ``terraform show -json`` for a plan creating every node."""
    changes, configured = [], {}
    for node in graph.nodes.values():
        computed = {
            attribute: True for attribute in KINDS[node.type].attributes if attribute not in node.properties
        }
        after = _after(node.properties)
        if "tags" in after:
            after["tags_all"] = after["tags"]
        changes.append({
            "address": node.address, "mode": "managed", "type": node.type, "name": node.resource,
            **({} if node.index is None else {"index": node.index}), "provider_name": PROVIDER,
            "change": {"actions": ["create"], "before": None, "after": after,
                       "after_unknown": {**computed, **_unknown(node.properties)}},
        })  # fmt: skip
        configured.setdefault(f"{node.type}.{node.resource}", _expressions(node, graph))
    resources = [
        {"address": address, "mode": "managed", "type": address.split(".")[0], "name": address.split(".")[1],
         "provider_config_key": "aws", "expressions": expressions}
        for address, expressions in configured.items()
    ]  # fmt: skip
    return {
        "format_version": "1.2",
        "resource_changes": changes,
        "configuration": {"root_module": {"resources": resources}},
    }


def _expressions(node: Node, graph: Graph) -> dict[str, Any]:
    """The references each argument makes, as Terraform's configuration lists them."""
    expressions = {}
    for attribute, value in node.properties.items():
        found = sorted(
            {f"{graph.nodes[ref.node].type}.{graph.nodes[ref.node].resource}" for ref in refs(value)}
        )
        if found:
            expressions[attribute] = {"references": [r for t in found for r in (f"{t}.id", t)]}
    return expressions


def gate(graph: Graph, config: PolicyConfig, now: datetime) -> CheckResult:
    """The whole policy library on the graph, as on a Terraform plan; passed when nothing is denied."""
    return check_plan(plan_json(graph), config, now=now)


@dataclass(frozen=True)
class Estimate:
    node_id: str
    monthly: Decimal | None  # None: the price table has no price for it
    basis: str  # how it was priced, or why not


@cache
def price_table(path: Path = PRICES) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def estimate(graph: Graph, prices: dict[str, Any] | None = None) -> list[Estimate]:
    """A monthly cost per node from the price table; types it does not list cost nothing by themselves."""
    prices = prices or price_table()
    hours = Decimal(prices["hours_per_month"])
    found = []
    for node in graph.nodes.values():
        entry = prices["types"].get(node.type)
        if entry is None:
            found.append(Estimate(node.id, Decimal(0), "no running charge"))
            continue
        monthly, basis = Decimal(0), []
        if "hourly_flat" in entry:
            monthly += Decimal(entry["hourly_flat"]) * hours
            basis.append(f"{entry['hourly_flat']}/h")
        if "by" in entry:
            size = node.properties.get(entry["by"])
            if size not in entry["hourly"]:
                found.append(Estimate(node.id, None, f"no price for {entry['by']} {size!r}"))
                continue
            monthly += Decimal(entry["hourly"][size]) * hours
            basis.append(f"{size} {entry['hourly'][size]}/h")
        if "gb_month" in entry:
            storage = Decimal(node.properties.get("allocated_storage") or 0)
            monthly += storage * Decimal(entry["gb_month"])
            basis.append(f"{storage} GB x {entry['gb_month']}")
        found.append(Estimate(node.id, monthly.quantize(Decimal("0.01")), " + ".join(basis)))
    return found


def plan_hash(graph: Graph) -> str:
    """What an approval approves: the request and every node's arguments. Changing the blueprint or the
    parameters changes it, so an approved plan that no longer matches must be planned again."""
    nodes = [[n.id, n.type, _canonical(n.properties), list(n.depends_on)] for n in graph.nodes.values()]
    text = json.dumps([graph.request.document(), nodes], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _canonical(value: Any) -> Any:
    return map_refs(value, lambda ref: f"${{{ref.node}.{ref.attribute}}}")
