"""Dagster wrapper for the policy run: the ``raw_policies`` tables, refreshed whenever the inventory is.

The work is ``policies.runtime.evaluate_inventory``; this module names the tables it writes as assets (dbt
reads each as a source), turns its report into metadata and checks, and asks Dagster to run it again
whenever ``raw_aws/resources`` is updated, by the refresh job or by anything else (eager automation,
evaluated by ``policy_automation_sensor``).
"""

from collections.abc import Iterator
from dataclasses import asdict

import dagster as dg

from assets.aws.assets import RESOURCES_KEY
from assets.resources import WarehouseResource
from cloudforge.settings import Settings
from policies.config import policy_config
from policies.evaluate import Evaluator
from policies.runtime import EvaluationReport, evaluate_inventory

FINDINGS_KEY = dg.AssetKey(["raw_policies", "findings"])
WAIVERS_KEY = dg.AssetKey(["raw_policies", "waivers"])
MAPPING_ERRORS_KEY = dg.AssetKey(["raw_policies", "mapping_errors"])
TABLES = {  # what the policy run writes, each a dbt source
    FINDINGS_KEY: "Every policy finding ever raised, with its lifecycle: open, waived or resolved.",
    dg.AssetKey(["raw_policies", "policies"]): "The policy catalogue the latest run evaluated.",
    WAIVERS_KEY: "Waivers: those from settings (replaced each run) and those SQL users inserted.",
    MAPPING_ERRORS_KEY: "Inventory rows the latest run could not map to policy documents.",
    dg.AssetKey(["raw_policies", "evaluation_runs"]): "A row per policy run: what it evaluated and changed.",
}
SAMPLE = 20
COMPLIANCE_PAGE = "compliance"  # the dashboards' Compliance page (dashboards/views/compliance.py)


def build_policy_assets(settings: Settings) -> dg.AssetsDefinition:
    """The policy run as one multi-asset over the raw_policies tables, with its checks."""

    @dg.multi_asset(
        name="policy_evaluation",
        specs=[
            dg.AssetSpec(
                key,
                deps=[RESOURCES_KEY],
                description=description,
                group_name="policies",
                kinds={"rego", "postgres"},
                automation_condition=dg.AutomationCondition.eager(),
            )
            for key, description in TABLES.items()
        ],
        check_specs=[
            dg.AssetCheckSpec(
                "documents_mapped",
                asset=MAPPING_ERRORS_KEY,
                description="Every inventory row was mapped to a policy document (else it goes unjudged).",
            ),
            dg.AssetCheckSpec(
                "waivers_name_known_policies",
                asset=WAIVERS_KEY,
                description="Every waiver names a policy of the loaded library (else it waives nothing).",
            ),
        ],
        can_subset=False,
    )
    def policy_evaluation(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
        evaluator = Evaluator(policy_config(settings))
        with warehouse.connect() as conn:
            report = evaluate_inventory(
                conn,
                evaluator,
                config_waivers=settings.policies.waivers,
                now=settings.clock.now(),
                alert_link=f"{settings.dashboard_url.rstrip('/')}/{COMPLIANCE_PAGE}",
            )
        context.log.info(
            f"{report.resources:,} resources, {report.evaluations:,} evaluations: "
            f"{report.open_findings:,} open, "
            f"{report.waived_findings:,} waived, {report.new_findings:,} newly open, "
            f"{report.resolved_findings:,} resolved, {report.alerts_enqueued} alerts"
        )
        yield from _results(report)

    return policy_evaluation


def build_policy_automation_sensor() -> dg.AutomationConditionSensorDefinition:
    """Evaluates the policy tables' eager condition, running from the start (Dagster's default automation
    sensor starts stopped): an inventory refresh outside the refresh job is followed by a policy run."""
    return dg.AutomationConditionSensorDefinition(
        "policy_automation_sensor",
        target=dg.AssetSelection.assets(*TABLES),
        default_status=dg.DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=60,
    )


def _results(report: EvaluationReport) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    run = {"run_id": dg.MetadataValue.text(report.run_id)}
    yield dg.MaterializeResult(
        asset_key=FINDINGS_KEY,
        metadata={
            **run,
            "resources": dg.MetadataValue.int(report.resources),
            "evaluations": dg.MetadataValue.int(report.evaluations),
            "open_findings": dg.MetadataValue.int(report.open_findings),
            "waived_findings": dg.MetadataValue.int(report.waived_findings),
            "new_findings": dg.MetadataValue.int(report.new_findings),
            "resolved_findings": dg.MetadataValue.int(report.resolved_findings),
            "alerts_enqueued": dg.MetadataValue.int(report.alerts_enqueued),
            "duration_seconds": dg.MetadataValue.float(report.duration_seconds),
        },
    )
    for key in TABLES.keys() - {FINDINGS_KEY}:
        yield dg.MaterializeResult(asset_key=key, metadata=run)
    errors = [asdict(error) for error in report.mapping_errors]
    yield dg.AssetCheckResult(
        asset_key=MAPPING_ERRORS_KEY,
        check_name="documents_mapped",
        passed=not errors,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"count": len(errors), "sample": dg.MetadataValue.json(errors[:SAMPLE])},
    )
    yield dg.AssetCheckResult(
        asset_key=WAIVERS_KEY,
        check_name="waivers_name_known_policies",
        passed=not report.unknown_waiver_policies,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"unknown_policy_ids": dg.MetadataValue.json(report.unknown_waiver_policies)},
    )
