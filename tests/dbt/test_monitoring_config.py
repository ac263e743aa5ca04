"""What the monitoring models are told: the dbt var defaults equal the settings', and the seed of older instance
generations is the policy's table."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import yaml

from cloudforge.settings import RecommendationSettings

ROOT = Path(__file__).parents[2]


def test_recommendations_var_defaults_equal_the_settings_defaults() -> None:
    project = yaml.safe_load((ROOT / "dbt" / "dbt_project.yml").read_text())
    assert project["vars"]["recommendations"] == RecommendationSettings().model_dump(mode="json")


def test_previous_generation_seed_is_the_policy_table() -> None:
    rego = (ROOT / "policies" / "aws" / "ec2" / "previous_generation.rego").read_text()
    block = rego[rego.index("successors := {"):rego.index("}", rego.index("successors := {"))]
    policy = dict(re.findall(r'"([\w.]+)":\s*"([\w.]+)"', block))
    with (ROOT / "dbt" / "seeds" / "ec2_previous_generation_families.csv").open() as seed:
        table = {row["family"]: row["successor_family"] for row in csv.DictReader(seed)}
    assert len(policy) == 16 and table == policy
