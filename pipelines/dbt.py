"""The dbt project as Dagster assets, downstream of the raw ingestion tables.

Asset keys mirror the warehouse, ``[schema, table]``: the dbt source ``aws.resources`` is
``["raw_aws", "resources"]`` (the key the AWS ingestion asset materialises), ``marts.resources`` is
``["marts", "resources"]``. Groups are the layers: staging, intermediate, marts.

Nothing happens at import. ``prepare_dbt_manifest()`` runs ``dbt parse``; the CLI calls it before loading
definitions, and ``build_dbt_assets`` runs it under ``dagster dev`` (to pick up edits, as
``DbtProject.prepare_if_dev`` would) or when no manifest exists yet.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cached_property
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, EnvVar
from dagster_dbt import DagsterDbtTranslator, DbtCliInvocation, DbtCliResource, DbtProject, dbt_assets
from packaging.version import Version

from cloudforge.settings import Settings
from cloudforge.terraform.drift import SECURITY_ATTRIBUTES, ignore_rules_var
from cloudforge.warehouse.connection import dbt_env
from pipelines.dbt_upgrade import drop_outdated_models, incremental_models, outdated_models

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt"
# The dbt installed beside this Python (the project's virtualenv), whether or not it is on PATH.
DBT_EXECUTABLE = shutil.which("dbt", path=str(Path(sys.executable).parent)) or "dbt"
PARTIAL_PARSE = "partial_parse.msgpack"
# Per vars and warehouse, the target directory of the latest build, whose partial parse the next build reads.
LATEST_BUILDS = "latest-builds"
INDIRECT_SELECTION = "DBT_INDIRECT_SELECTION"


def dbt_project() -> DbtProject:
    return DbtProject(project_dir=DBT_PROJECT_DIR)


def prepare_dbt_manifest(project: DbtProject | None = None) -> Path:
    """Run ``dbt parse`` so ``dbt/target/manifest.json`` matches the project; returns its path.

    dbt parses into a scratch directory and the manifest is moved into place, so a process loading
    definitions at the same moment reads the old manifest or the new one, never half of one.
    """
    project = project or dbt_project()
    target = project.manifest_path.parent
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="parse-", dir=target) as scratch:
        if (target / PARTIAL_PARSE).exists():  # lets dbt re-parse only what changed
            shutil.copy2(target / PARTIAL_PARSE, Path(scratch) / PARTIAL_PARSE)
        parse = subprocess.run(
            [DBT_EXECUTABLE, "parse", "--quiet", "--target-path", scratch,
             "--profiles-dir", project.profiles_dir],
            cwd=project.project_dir,
            capture_output=True,
            text=True,
        )
        if parse.returncode != 0:
            raise RuntimeError(f"dbt parse failed in {project.project_dir}:\n{parse.stdout}{parse.stderr}")
        for name in (PARTIAL_PARSE, "manifest.json"):
            os.replace(Path(scratch) / name, target / name)
    return project.manifest_path


class CloudForgeDbtTranslator(DagsterDbtTranslator):
    """Keys are ``[schema, relation]`` as in the warehouse; groups are the schema (the layer)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        relation = dbt_resource_props.get("alias") or dbt_resource_props.get("identifier")
        return AssetKey([dbt_resource_props["schema"], relation or dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str:
        return dbt_resource_props["schema"]


def build_command(settings: Settings) -> list[str]:
    """`dbt build` as the platform's steps run it: the settings' vars as of now, and the YAML unit tests left out
    (they test the models' SQL on fixed inputs, not the warehouse's data, so they run in the test suite:
    tests/dbt/test_dbt_unit_tests.py)."""
    return ["build", "--vars", json.dumps(dbt_vars(settings)), "--exclude-resource-type", "unit_test"]


def dbt_vars(settings: Settings) -> dict[str, Any]:
    """The dbt vars that come from settings, ``today`` from their clock as it reads now."""
    return {
        "required_tags": list(settings.tags.required),
        "costs": settings.costs.model_dump(mode="json"),
        "recommendations": settings.recommendations.model_dump(mode="json"),
        "today": settings.clock.today().isoformat(),
        "drift_ignore": ignore_rules_var(settings.drift.ignore),
        "drift_security_attributes": sorted(SECURITY_ATTRIBUTES),
    }


# One Dagster step per domain, so a failure upstream of one (a billing slice the gate refused, say, whose check
# blocks what is downstream) leaves the others to refresh. Together they select every node of the project.
DBT_DOMAINS = {
    "inventory": "path:seeds path:models/staging/aws path:models/intermediate/inventory path:models/marts/inventory"
                 # marts.resources names the request that provisioned each resource: one step with the inventory
                 " path:models/staging/provisioning path:models/intermediate/provisioning"
                 " path:models/marts/provisioning path:snapshots/inventory",
    "compliance": "path:snapshots/policy_findings.yml path:models/staging/policies path:models/intermediate/compliance "
                  "path:models/marts/compliance",
    "finance": "path:models/staging/billing path:models/intermediate/finance path:models/marts/finance",
    "monitoring": "path:models/staging/health path:models/staging/metrics path:models/staging/alerts "
                  "path:models/intermediate/monitoring path:models/marts/monitoring",
    "drift": "path:models/staging/terraform path:models/intermediate/drift path:models/marts/drift",
}


def build_dbt_assets(settings: Settings, project: DbtProject | None = None) -> list[AssetsDefinition]:
    """The dbt project's models, seeds, snapshots and tests as one multi-asset per domain (``DBT_DOMAINS``),
    each running ``dbt build`` on its part with the settings' vars."""
    project = project or dbt_project()
    if os.getenv("DAGSTER_IS_DEV_CLI") or not project.manifest_path.exists():
        prepare_dbt_manifest(project)
    def domain_assets(domain: str, select: str) -> AssetsDefinition:
        @dbt_assets(
            name=f"dbt_{domain}",
            manifest=project.manifest_path,
            project=project,
            select=select,
            dagster_dbt_translator=CloudForgeDbtTranslator(),
        )
        def build(context: AssetExecutionContext, dbt: WarehouseDbtCliResource):
            rebuild_outdated_models(context, dbt.warehouse_url, json.loads(project.manifest_path.read_text()))
            # The vars as of this build, not of when the definitions loaded: a long-lived code location's
            # daily schedule builds each day's "today".
            yield from dbt.cli(build_command(settings), context=context).stream()

        return build

    return [domain_assets(domain, select) for domain, select in DBT_DOMAINS.items()]


def rebuild_outdated_models(context: AssetExecutionContext, warehouse_url: str, manifest: Mapping[str, Any]) -> None:
    """Drop the tables of the selected incremental models that an older release built (``dbt_upgrade``), so this
    build makes them, and the incremental models downstream of them, in full; the run log names each and why."""
    translator = CloudForgeDbtTranslator()
    selected = [unique_id for unique_id, node in incremental_models(manifest).items()
                if translator.get_asset_key(node) in context.selected_asset_keys]
    outdated = outdated_models(manifest, warehouse_url, selected)
    for model in outdated:
        context.log.warning(f"{model.schema}.{model.table} is rebuilt in full: {model.reason}")
    drop_outdated_models(outdated, warehouse_url)


class WarehouseDbtCliResource(DbtCliResource):
    """The dbt CLI pointed at the warehouse: ``profiles.yml`` reads CLOUDFORGE_DB_*, derived from the URL.

    They are set only while dbt starts, so the URL (and any password in it) stays out of resource config
    shown in the UI when given as ``EnvVar``, and out of the process environment afterwards.

    Tests run where they are buildable: a test across domains (cost_daily's resource_key against resources)
    runs in the step that builds its last parent, not in the first step that selects one of them. An
    indirect selection already in the environment is kept.

    dbt's start-up is paid once: a build reads the partial parse of the latest build with the same vars and
    warehouse (dbt parses in full when either differs), and the dbt version is this environment's dbt-core
    (dagster-dbt would run ``dbt --version`` in a process of its own on every build).
    """

    warehouse_url: str

    @cached_property
    def _cli_version(self) -> Version:
        return Version(package_version("dbt-core"))

    def cli(self, args: Sequence[str], **kwargs: Any) -> DbtCliInvocation:
        selection = {INDIRECT_SELECTION: os.getenv(INDIRECT_SELECTION) or "buildable"}
        env = dbt_env(self.warehouse_url)
        target = Path(self.project_dir) / "target"
        latest = target / LATEST_BUILDS / partial_parse_key(args, env)
        kwargs.setdefault("target_path", Path(tempfile.mkdtemp(prefix="build-", dir=target)))
        previous = Path(latest.read_text()) / PARTIAL_PARSE if latest.exists() else None
        if previous and previous.exists():
            # dbt rewrites it when it parses; when nothing changed it keeps it as it is, valid for the next build.
            shutil.copy2(previous, Path(kwargs["target_path"]) / PARTIAL_PARSE)
        with environment({**env, **selection}):
            invocation = super().cli(args, **kwargs)
        latest.parent.mkdir(exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=latest.parent, delete=False) as pointer:
            pointer.write(str(kwargs["target_path"]))
        os.replace(pointer.name, latest)  # the next build reads the partial parse this one writes
        return invocation


def partial_parse_key(args: Sequence[str], env: Mapping[str, str]) -> str:
    """What dbt's partial parse depends on besides the project's files: the vars and the connection (not the
    password, which never reaches the parse)."""
    vars_ = args[list(args).index("--vars") + 1] if "--vars" in args else ""
    connection = {name: value for name, value in env.items() if not name.endswith("PASSWORD")}
    return hashlib.sha256(json.dumps([vars_, connection], sort_keys=True).encode()).hexdigest()[:16]


def dbt_resource(warehouse_url: str = EnvVar("CLOUDFORGE_DATABASE_URL")) -> WarehouseDbtCliResource:
    """The ``dbt`` resource ``build_dbt_assets`` needs; the URL defaults to CLOUDFORGE_DATABASE_URL."""
    return WarehouseDbtCliResource(
        project_dir=dbt_project(), dbt_executable=DBT_EXECUTABLE, warehouse_url=warehouse_url
    )


@contextmanager
def environment(variables: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block, then restore the previous values."""
    previous = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
