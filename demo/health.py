"""The demo's health: a stopped instance left registered in one load balancer's target group (the health
failure), and two HTTP endpoints on the demo cloud, one of which fails.

What the demo declares, and tests derive their expectations from:

* Every load balancer forwards to a target group named after it, holding its ``targets`` (the running instances
  of its subnets, ``demo.seeding``); moto reports a running target healthy.
* ``target_group_plan(estate)``: the first load balancer (in creation order) whose subnets hold a stopped instance
  also keeps the first such instance registered. Moto reports it ``unused`` (Target.InvalidState): unhealthy.
* ``demo_endpoints(endpoint_url)``: ``demo-cloud`` asks the demo cloud's own API (200, healthy);
  ``checkout-api`` asks a path it does not serve (404 where 200 is expected): the failing endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cloudforge.settings import HealthEndpoint
from demo.estate import Estate, ResourceSpec

# (account_id, region, resource_type, name) -> (resource_id, ARN), as demo.seeding returns them
ResourceIds = dict[tuple[str, str, str, str], tuple[str, str]]


@dataclass(frozen=True)
class TargetGroupPlan:
    load_balancer: ResourceSpec
    unhealthy: tuple[ResourceSpec, ...]  # the stopped instance left registered in its target group


def target_group_plan(estate: Estate) -> TargetGroupPlan | None:
    for balancer in estate.of_type("load_balancer"):
        subnets = set(balancer.attributes["subnets"])
        stopped = [i for i in estate.of_type("ec2_instance") if i.account_id == balancer.account_id
                   and i.region == balancer.region and i.attributes["subnet"] in subnets
                   and i.attributes["state"] == "stopped"]
        if stopped:
            return TargetGroupPlan(balancer, (stopped[0],))
    return None


def healthy_targets(estate: Estate) -> int:
    """Targets registered in the load balancers' target groups that moto reports healthy (the running ones)."""
    return sum(len(balancer.attributes["targets"]) for balancer in estate.of_type("load_balancer"))


def demo_endpoints(endpoint_url: str) -> list[HealthEndpoint]:
    base = endpoint_url.rstrip("/")
    return [
        HealthEndpoint(name="demo-cloud", url=f"{base}/moto-api/", timeout_seconds=10),
        HealthEndpoint(name="checkout-api", url=f"{base}/health/checkout", timeout_seconds=10),
    ]


def seed_target_group(estate: Estate, resource_ids: ResourceIds, elbv2_client: Callable[[str, str], Any]) -> None:
    """Leave the planned stopped instance registered in its load balancer's target group, in the moto server
    running in this process, through ``elbv2_client(account, region)``. A stopped instance cannot be registered
    through the API (nor in AWS), so it is added in moto's backend, as if it stopped while registered."""
    from moto.backends import get_backend

    plan = target_group_plan(estate)
    if plan is None:
        return
    balancer = plan.load_balancer
    elb = elbv2_client(balancer.account_id, balancer.region)
    [group] = elb.describe_target_groups(Names=[balancer.name])["TargetGroups"]  # seeding names it after the balancer
    targets = get_backend("elbv2")[balancer.account_id][balancer.region].target_groups[group["TargetGroupArn"]].targets
    for spec in plan.unhealthy:
        instance_id = resource_ids[(*spec.key, spec.name)][0]
        targets[instance_id] = {"Id": instance_id, "Port": 80}
