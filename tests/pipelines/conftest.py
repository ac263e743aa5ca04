"""The demo estate refreshed end to end, once per session, through the real `cloudforge run` command."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cloudforge.cli import main
from cloudforge.clock import Clock
from cloudforge.warehouse import connect, create_database
from cloudforge.warehouse.locks import run_lock_holder
from demo.billing import DemoBilling
from demo.billing_exports import publish_demo_billing
from demo.estate import Estate, generate_estate
from demo.metrics import publish_demo_metrics
from demo.seeding import ResourceIds, seed_estate
from demo.terraform_states import publish_demo_states

SEED, SIZE = 42, 300


@dataclass(frozen=True)
class DemoRun:
    estate: Estate
    url: str
    state_dir: Path  # the run's state directory: its time-series server's data is there
    resource_ids: ResourceIds  # (account, region, type, name) -> (id, ARN) of what seeding created
    result: Result
    billing: DemoBilling  # what was published for the run: an AWS export in S3, Azure and GCP files
    overlapping: subprocess.CompletedProcess | None  # a second `cloudforge run` started while this one ran


@pytest.fixture(scope="session")
def demo_run(
    warehouse_url: str, moto_endpoint: str, clock: Clock, tmp_path_factory: pytest.TempPathFactory
) -> DemoRun:
    """Seed the demo estate into the moto server and publish its billing and metrics as the embedded cloud does,
    on the session's clock, then `cloudforge run` against a database of its own, with a second `cloudforge run` at
    the same time."""
    estate = generate_estate(SEED, SIZE)
    seeded_at = clock.now()
    resource_ids = seed_estate(estate, moto_endpoint, seeded_at)
    state_dir = tmp_path_factory.mktemp("cloudforge-state")
    billing = publish_demo_billing(estate, resource_ids, moto_endpoint, state_dir, seeded_at.date())
    publish_demo_metrics(estate, resource_ids, moto_endpoint, seeded_at.date())
    publish_demo_states(estate, resource_ids, moto_endpoint)
    url = create_database(warehouse_url, "end_to_end")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CLOUDFORGE_STATE_DIR", str(state_dir))
        env.setenv("CLOUDFORGE_DATABASE_URL", url)
        env.setenv("CLOUDFORGE_AWS__ENDPOINT_URL", moto_endpoint)
        env.delenv("DAGSTER_HOME", raising=False)
        env.delenv("CLOUDFORGE_METRICS__URL", raising=False)  # the run starts its own time-series server
        second = SecondRun(url)
        result = CliRunner().invoke(main, ["run"], catch_exceptions=False)
    return DemoRun(estate, url, state_dir, resource_ids, result, billing, second.finished())


class SecondRun(threading.Thread):
    """`cloudforge run` in a process of its own with the same environment, started once the first run holds
    the warehouse's run lock: two runs at once, as two terminals (or a terminal and a cron job) start them."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.environment = url, dict(os.environ)
        self.first_ended = threading.Event()
        self.outcome: subprocess.CompletedProcess | None = None
        self.start()

    def run(self) -> None:
        while not self.first_run_holds_the_lock():
            if self.first_ended.wait(0.1):
                return
        command = [str(Path(sys.executable).with_name("cloudforge")), "run"]
        self.outcome = subprocess.run(
            command, env=self.environment, capture_output=True, text=True, timeout=600, check=False
        )

    def first_run_holds_the_lock(self) -> bool:
        try:
            with connect(self.url) as conn:
                return run_lock_holder(conn) is not None
        except ConnectionError:
            return False

    def finished(self) -> subprocess.CompletedProcess | None:
        """How the second run ended; None if the first ended before it was seen holding the lock."""
        self.first_ended.set()
        self.join(600)
        return self.outcome
