"""The demo estate refreshed end to end, once per session, through the real `cloudforge run` command."""

from __future__ import annotations

from dataclasses import dataclass
import pytest
from click.testing import CliRunner, Result

from cloudforge.cli import main
from cloudforge.clock import Clock
from cloudforge.local.billing import DemoBilling
from cloudforge.local.billing_exports import publish_demo_billing
from cloudforge.local.cloud import seed_estate
from cloudforge.local.estate import Estate, generate_estate
from cloudforge.warehouse import create_database

SEED, SIZE = 42, 300


@dataclass(frozen=True)
class DemoRun:
    estate: Estate
    url: str
    result: Result
    billing: DemoBilling  # what was published for the run: an AWS export in S3, Azure and GCP files


@pytest.fixture(scope="session")
def demo_run(
    warehouse_url: str, moto_endpoint: str, clock: Clock, tmp_path_factory: pytest.TempPathFactory
) -> DemoRun:
    """Seed the demo estate into the moto server and publish its billing as the embedded cloud does, on the
    session's clock, then `cloudforge run` against a database of its own."""
    estate = generate_estate(SEED, SIZE)
    seeded_at = clock.now()
    resource_ids = seed_estate(estate, moto_endpoint, seeded_at)
    state_dir = tmp_path_factory.mktemp("cloudforge-state")
    billing = publish_demo_billing(estate, resource_ids, moto_endpoint, state_dir, seeded_at.date())
    url = create_database(warehouse_url, "end_to_end")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CLOUDFORGE_STATE_DIR", str(state_dir))
        env.setenv("CLOUDFORGE_DATABASE_URL", url)
        env.setenv("CLOUDFORGE_AWS__ENDPOINT_URL", moto_endpoint)
        env.delenv("DAGSTER_HOME", raising=False)
        result = CliRunner().invoke(main, ["run"], catch_exceptions=False)
    return DemoRun(estate, url, result, billing)
