"""`cloudforge bench provisioning`: the fleet blueprint (107 resources) end to end, plan, gate, estimate, approval
and apply, against a moto server behind a loopback proxy adding 50 ms to each call; with 8 workers and, in the
same run, with 1 worker (a second request in the same cloud). Targets: the 8-worker run under 30 s, and at least
3x faster than 1 worker."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.common import Target
from benchmarks.latency_proxy import LatencyProxy, serving
from cloudforge.settings import Settings
from cloudforge.warehouse import connect, create_database, database_url, ensure_schema
from policies.config import policy_config
from provisioners.blueprints.request import Request
from provisioners.engines.aws import DEMO_KEYS, AwsEngine
from provisioners.ledger import Ledger
from provisioners.service import apply_request, plan_request

DELAY_SECONDS = 0.05
ACCOUNT, REGION = "123456789012", "us-east-1"


@contextmanager
def moto_process() -> Iterator[str]:
    """A moto server in a process of its own (as the demo cloud runs), so its work does not share this
    process's interpreter with the apply's workers; its endpoint, stopped on exit."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "MOTO_EC2_LOAD_DEFAULT_AMIS": "false"})  # fmt: skip
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the moto server did not start") from None
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=15)


def run_provisioning_bench(settings: Settings, size: int, echo: Callable[[str], None]) -> list[Target]:
    import boto3

    url = create_database(database_url(settings), "cloudforge_bench_provisioning")
    with connect(url, autocommit=True) as conn:
        ensure_schema(conn)
    with (
        moto_process() as endpoint,
        serving(LatencyProxy(endpoint, DELAY_SECONDS)) as proxy,
        Ledger.open(url) as ledger,
    ):
        session = boto3.Session(**DEMO_KEYS)
        seconds = {}
        for workers in (8, 1):
            request = Request(name=f"bench-{workers}-workers", blueprint="fleet", account=ACCOUNT,
                              region=REGION, requested_by="bench", parameters={"size": size},
                              tags={t: "bench" for t in settings.tags.required})  # fmt: skip
            start = time.perf_counter()
            plan = plan_request(ledger, request, policy_config(settings), settings.clock.now(), None, "bench")
            ledger.approve(request.id, plan.hash, "bench")
            planned = time.perf_counter() - start
            calls_before = sum(proxy.seen.values())
            engine = AwsEngine(session, REGION, proxy.url, pool=max(workers, 10))
            outcome = apply_request(url, ledger, plan.graph, engine, workers)
            seconds[workers] = time.perf_counter() - start
            if not outcome.ok:
                raise RuntimeError(f"the bench apply failed: {outcome.failed}")
            echo(f"{workers} worker(s): {len(plan.graph.nodes)} resources, ${plan.monthly}/month estimated, "
                 f"{sum(proxy.seen.values()) - calls_before} AWS calls, {seconds[workers]:.1f} s "
                 f"(plan, gate, estimate and approval {planned:.1f} s)")  # fmt: skip
    return [
        Target(
            "provisioning end to end, 8 workers", seconds[8], 30.0, "limit", "s", 1.0, higher_is_better=False
        ),
        Target(
            "speed-up of 8 workers over 1",
            seconds[1],
            seconds[8],
            "8 workers",
            "s",
            3.0,
            higher_is_better=True,
        ),
    ]
