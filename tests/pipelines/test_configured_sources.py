"""`cloudforge run` with a cloudforge.yaml naming a FOCUS directory, an Azure scope and a BigQuery table.

Azure and BigQuery are read through their real SDKs and credential chains against a local replay server
(support/replay/credentials.py), which answers the token requests and then the recorded January 2024 answers
of tests/fixtures/azure and tests/fixtures/bigquery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from psycopg import sql
from support.focus_samples import AWS_ACCOUNT, charge, write_csv
from support.replay import ReplayServer
from support.replay.credentials import AZURE_TOKEN, GOOGLE_TOKEN, point_credentials_at, with_tokens
from support.replay.server import Exchange, Received

from cloudforge.cli import main
from cloudforge.warehouse import connect, create_database

pytestmark = pytest.mark.e2e  # a real `cloudforge run`

FIXTURES = Path(__file__).parents[1] / "fixtures"
SUBSCRIPTION = "7a9c3e1f-52b4-4d8e-9f60-2c5b8d4e1a37"
GCP_ACCOUNT = "01A2B3-C4D5E6-F7A8B9"
EXPORT_TABLE = "gcp_billing_export_resource_v1_01A2B3_C4D5E6_F7A8B9"
JANUARY = date(2024, 1, 1)
# The run inventories a region nothing is seeded in: the session's moto server holds the demo estate (demo_run),
# and collecting it and its metrics again would make this a second full demo run that asserts nothing about
# billing (the metrics collection alone was half of this run).
UNSEEDED_REGION = "ap-southeast-2"

# slice -> (rows, billed cost, effective cost): the FOCUS file as written below; Azure and BigQuery as
# tests/assets/billing/test_azure.py and test_gcp.py derive them from the same recorded answers.
EXPECTED = {
    ("aws", AWS_ACCOUNT, JANUARY): (3, Decimal("7.75"), Decimal("7.75")),
    ("azure", SUBSCRIPTION, JANUARY): (9, Decimal("726.2499122345"), Decimal("30.2499122345")),
    ("gcp", GCP_ACCOUNT, JANUARY): (11, Decimal("6.025456803"), Decimal("6.025456803")),
}


@dataclass(frozen=True)
class ConfiguredRun:
    url: str
    result: Result
    received: list[Received]  # every request the replay server answered
    unused: list[Exchange]  # recorded exchanges nobody asked for
    focus_file: Path


@pytest.fixture(scope="module")
def configured_run(warehouse_url: str, moto_endpoint: str, tmp_path_factory: pytest.TempPathFactory):
    """One `cloudforge run` of the configuration, against a database of its own."""
    folder = tmp_path_factory.mktemp("configured-sources")
    focus = folder / "focus"
    write_csv(focus / "aws-2024-01.csv", [charge("aws", 1, "3.00"), charge("aws", 2, "4.50"),
                                          charge("aws", 3, "0.25")])  # fmt: skip
    url = create_database(warehouse_url, "configured_sources")
    months = [FIXTURES / provider / "month_scenario.json" for provider in ("azure", "bigquery")]
    with ReplayServer(with_tokens(*months)) as server:
        config = {
            "state_dir": str(folder / "state"),
            "database_url": url,
            "aws": {"mode": "demo", "endpoint_url": moto_endpoint, "regions": [UNSEEDED_REGION]},
            "billing": {
                "focus": [str(focus)],
                "azure": [{"scope": f"/subscriptions/{SUBSCRIPTION}", "months": ["2024-01"],
                           "endpoint_url": server.url}],
                "bigquery": [{"project": "billing-admin-4821", "dataset": "billing_export",
                              "table": EXPORT_TABLE, "job_project": "cloudforge-billing",
                              "months": ["2024-01"], "endpoint_url": server.url}],
            },
        }  # fmt: skip
        (folder / "cloudforge.yaml").write_text(yaml.safe_dump(config))
        with pytest.MonkeyPatch.context() as env:
            env.setenv("CLOUDFORGE_CONFIG", str(folder / "cloudforge.yaml"))
            point_credentials_at(env, server.url, folder)
            for name in ("CLOUDFORGE_STATE_DIR", "CLOUDFORGE_DATABASE_URL", "CLOUDFORGE_AWS__ENDPOINT_URL",
                         "DAGSTER_HOME"):
                env.delenv(name, raising=False)  # restored after the run, which sets some of them
            result = CliRunner().invoke(main, ["run"], catch_exceptions=False)
        unused = server.unused()
    return ConfiguredRun(url, result, server.received, unused, focus / "aws-2024-01.csv")


def slice_sums(url: str, schema: str, table: str) -> dict[tuple, tuple[int, Decimal, Decimal]]:
    """(provider, billing account, billing period) -> (rows, billed cost, effective cost) of a table."""
    query = sql.SQL(
        "SELECT provider, billing_account_id, billing_period, count(*), sum(billed_cost), sum(effective_cost)"
        " FROM {} GROUP BY 1, 2, 3"
    ).format(sql.Identifier(schema, table))
    with connect(url) as conn:
        return {(p, a, period): (n, billed, eff) for p, a, period, n, billed, eff in conn.execute(query)}


def test_the_run_reads_every_configured_source_through_its_credential_chain(configured_run):
    assert configured_run.result.exit_code == 0, configured_run.result.output
    assert configured_run.unused == []  # every token, page and retry of the recordings was asked for
    received = configured_run.received
    azure = {r.authorization for r in received if r.path.startswith("/subscriptions/")}
    bigquery = {r.authorization for r in received if r.path.startswith("/bigquery/")}
    assert (azure, bigquery) == ({f"Bearer {AZURE_TOKEN}"}, {f"Bearer {GOOGLE_TOKEN}"})


def test_each_slice_lands_whole_in_raw_billing_and_no_demo_billing_with_it(configured_run):
    assert slice_sums(configured_run.url, "raw_billing", "focus_charges") == EXPECTED


def test_each_slice_sums_the_same_in_cost_daily(configured_run):
    daily = slice_sums(configured_run.url, "marts", "cost_daily")
    assert {key: sums[1:] for key, sums in daily.items()} == {key: sums[1:] for key, sums in EXPECTED.items()}


def test_each_slice_is_logged_as_loaded_from_its_source(configured_run):
    with connect(configured_run.url) as conn:
        logged = conn.execute(
            "SELECT provider, billing_account_id, status, row_count, source_uri FROM raw_billing.load_log"
            " ORDER BY provider"
        ).fetchall()
    assert logged == [
        ("aws", AWS_ACCOUNT, "loaded", 3, str(configured_run.focus_file)),
        ("azure", SUBSCRIPTION, "loaded", 9, f"azure-cost-management:/subscriptions/{SUBSCRIPTION}"),
        ("gcp", GCP_ACCOUNT, "loaded", 11, f"bigquery:billing-admin-4821.billing_export.{EXPORT_TABLE}"),
    ]
