"""The demo's health: one load balancer's target group with a stopped instance left registered (the health
failure), and two HTTP endpoints on the demo cloud, one of which fails.

What the demo declares, and tests derive their expectations from:

* ``target_group_plan(estate)``: the first load balancer (in creation order) whose subnets hold both running and
  stopped instances gets one target group with the running instances of those subnets and the first stopped
  one. Moto reports a running target healthy and a stopped one ``unused`` (Target.InvalidState): unhealthy.
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

TARGET_GROUP_NAME = "demo-web"


@dataclass(frozen=True)
class TargetGroupPlan:
    load_balancer: ResourceSpec
    healthy: tuple[ResourceSpec, ...]  # running instances
    unhealthy: tuple[ResourceSpec, ...]  # the stopped instance left registered


def target_group_plan(estate: Estate) -> TargetGroupPlan | None:
    for balancer in estate.of_type("load_balancer"):
        subnets = set(balancer.attributes["subnets"])
        instances = [i for i in estate.of_type("ec2_instance") if i.account_id == balancer.account_id
                     and i.region == balancer.region and i.attributes["subnet"] in subnets]
        running = tuple(i for i in instances if i.attributes["state"] == "running")
        stopped = [i for i in instances if i.attributes["state"] == "stopped"]
        if running and stopped:
            return TargetGroupPlan(balancer, running, (stopped[0],))
    return None


def demo_endpoints(endpoint_url: str) -> list[HealthEndpoint]:
    base = endpoint_url.rstrip("/")
    return [
        HealthEndpoint(name="demo-cloud", url=f"{base}/moto-api/", timeout_seconds=10),
        HealthEndpoint(name="checkout-api", url=f"{base}/health/checkout", timeout_seconds=10),
    ]


def seed_target_group(estate: Estate, resource_ids: ResourceIds, elbv2_client: Callable[[str, str], Any]) -> None:
    """Create the planned target group in the moto server running in this process, through ``elbv2_client(account,
    region)``. A stopped instance cannot be registered through the API (nor in AWS), so it is added in moto's
    backend, as if it stopped while registered."""
    from moto.backends import get_backend

    plan = target_group_plan(estate)
    if plan is None:
        return
    balancer = plan.load_balancer
    def instance_id(spec: ResourceSpec) -> str:
        return resource_ids[(*spec.key, spec.name)][0]

    elb = elbv2_client(balancer.account_id, balancer.region)
    lb_arn = resource_ids[(*balancer.key, balancer.name)][1]
    vpc_id = elb.describe_load_balancers(LoadBalancerArns=[lb_arn])["LoadBalancers"][0]["VpcId"]
    group = elb.create_target_group(Name=TARGET_GROUP_NAME, Protocol="HTTP", Port=80, VpcId=vpc_id,
                                    TargetType="instance")["TargetGroups"][0]
    elb.register_targets(TargetGroupArn=group["TargetGroupArn"], Targets=[{"Id": instance_id(s)} for s in plan.healthy])
    elb.create_listener(LoadBalancerArn=lb_arn, Protocol="HTTP", Port=80,
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": group["TargetGroupArn"]}])
    backend = get_backend("elbv2")[balancer.account_id][balancer.region]
    for spec in plan.unhealthy:
        backend.target_groups[group["TargetGroupArn"]].targets[instance_id(spec)] = {"Id": instance_id(spec), "Port": 80}
