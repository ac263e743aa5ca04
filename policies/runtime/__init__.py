"""The policy library over the live inventory: findings with a lifecycle, waivers, and alerts.

``evaluate_inventory(conn, Evaluator(policy_config(settings)), config_waivers=..., now=...)`` reads
raw_aws.resources, evaluates every policy and writes raw_policies (migrations in cloudforge/warehouse): the catalogue, the findings
(open | waived | resolved, first/last seen, resolved at), rows that could not be mapped, and the run.
The Dagster asset that calls it is assets/policies; dbt models the tables into the compliance marts.
"""

from policies.runtime.run import EvaluationReport, evaluate_inventory
from policies.runtime.waivers import Waiver, WaiverBook

__all__ = ["EvaluationReport", "Waiver", "WaiverBook", "evaluate_inventory"]
