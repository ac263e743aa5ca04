"""The demo's planted drift on estates of every allowed size: `cloudforge demo` with the smallest estate (the demo
process tests use it) publishes its Terraform states too."""

from __future__ import annotations

import pytest

from demo.estate import WORLD, generate_estate
from demo.terraform_states import plan_drift


@pytest.mark.parametrize(("size", "opened"), [(30, 1), (300, 2)])
def test_the_drift_plan_opens_the_world_open_groups_it_can(size: int, opened: int) -> None:
    """A small estate has two world-open security groups; one is planted as created by hand, so one is left to open."""
    estate = generate_estate(seed=42, size=size)
    world_open = {r.name for r in estate.of_type("security_group")
                  if r.managed_by == "estate" and any(p in (22, 3389) and c == WORLD for p, c in r.attributes["ingress"])}

    plan = plan_drift(estate)

    assert len(plan.opened) == opened
    assert {r.name for r in plan.opened} <= world_open - {r.name for r in plan.by_hand}
