"""The embedded cloud's supervision: a moto server on loopback, seeded with the demo estate, kept running.

``python -m demo.cloud --state-dir DIR --seed N --size N [--today YYYY-MM-DD]`` starts moto's
ThreadedMotoServer on a free 127.0.0.1 port *in its own process*, seeds the estate through real boto3 calls
(``demo.seeding``; it must run in the server's process), publishes its billing (``demo.billing_exports``) and
CloudWatch metrics (``demo.metrics``),
writes ``DIR/cloud.json`` ({"endpoint_url", "pid", "seed", "size", "seeded_at", "pinned_date"}) and serves
until SIGTERM/SIGINT. ``--today`` pins its clock (``cloudforge.clock``): ages and billing count back from it.
``start_embedded_cloud`` starts (or reuses) that process; ``find_embedded_cloud`` finds a running one.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from cloudforge.clock import Clock
from cloudforge.local.processes import is_alive, stop_groups

log = logging.getLogger(__name__)

STATE_FILE = "cloud.json"
LOG_FILE = "cloud.log"


@dataclass(frozen=True)
class EmbeddedCloud:
    """A running embedded-cloud process, as described by its ``cloud.json``."""

    endpoint_url: str
    pid: int
    seed: int
    size: int
    seeded_at: str
    state_dir: Path
    pinned_date: str | None = None  # the date its clock was pinned to, if it was

    def stop(self) -> None:
        """Stop the process (SIGTERM, SIGKILL after a grace period) and wait until it has exited; on SIGTERM it
        removes its ``cloud.json`` itself."""
        stop_groups([self.pid])  # it leads a session of its own


def find_embedded_cloud(state_dir: Path) -> EmbeddedCloud | None:
    """The cloud ``state_dir/cloud.json`` describes, if its process is alive and its endpoint answers."""
    import requests

    path = Path(state_dir) / STATE_FILE
    try:
        state = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except ValueError as error:
        raise ValueError(f"{path} is not valid JSON ({error}); remove it") from error
    try:
        cloud = EmbeddedCloud(state_dir=Path(state_dir), **state)
    except TypeError as error:
        raise ValueError(f"{path} does not describe an embedded cloud ({error}); remove it") from error
    if not is_alive(cloud.pid):
        return None
    try:
        requests.get(cloud.endpoint_url, timeout=5)
    except requests.RequestException:
        return None
    return cloud


def start_embedded_cloud(
    state_dir: Path, seed: int, size: int, clock: Clock = Clock(), timeout: float = 180.0
) -> EmbeddedCloud:
    """Reuse the running cloud of this seed, size and pinned date, or replace any other with a new process.

    The process outlives the caller (its own session; output in ``state_dir/cloud.log``). A file lock keeps
    two callers from starting two clouds over the same state directory.
    """
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    with _locked(state_dir / "cloud.lock"):
        running = find_embedded_cloud(state_dir)
        pinned = clock.pinned_date and clock.pinned_date.isoformat()
        if running is not None and (running.seed, running.size, running.pinned_date) == (seed, size, pinned):
            return running
        if running is not None:
            running.stop()
        return _spawn(state_dir, seed, size, clock, timeout)


def _spawn(state_dir: Path, seed: int, size: int, clock: Clock, timeout: float) -> EmbeddedCloud:
    (state_dir / STATE_FILE).unlink(missing_ok=True)
    log_path = state_dir / LOG_FILE
    command = [sys.executable, "-m", "demo.cloud", "--state-dir", str(state_dir)]
    command += ["--seed", str(seed), "--size", str(size)]
    if clock.pinned_date is not None:
        command += ["--today", clock.pinned_date.isoformat()]
    with log_path.open("wb") as log_file:
        output = {"stdin": subprocess.DEVNULL, "stdout": log_file, "stderr": subprocess.STDOUT}
        process = subprocess.Popen(command, start_new_session=True, **output)
    try:
        return _wait_until_ready(process, state_dir, timeout)
    except BaseException:  # not ready in time, or the caller was interrupted meanwhile: nothing is left behind
        stop_groups([process.pid])
        raise


def _wait_until_ready(process: subprocess.Popen, state_dir: Path, timeout: float) -> EmbeddedCloud:
    log_path = state_dir / LOG_FILE
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the embedded cloud exited with code {process.returncode} before it was ready; "
                f"end of {log_path}:\n{_tail(log_path)}"
            )
        cloud = find_embedded_cloud(state_dir)
        if cloud is not None and cloud.pid == process.pid:
            return cloud
        time.sleep(0.2)
    raise TimeoutError(
        f"the embedded cloud was not ready within {timeout:.0f} s; end of {log_path}:\n{_tail(log_path)}"
    )


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_suffix(".tmp")
    partial.write_text(text)
    os.replace(partial, path)


def serve(state_dir: Path, seed: int, size: int, clock: Clock = Clock()) -> None:
    """Run the embedded cloud until SIGTERM or SIGINT: start moto, seed the estate, publish its billing
    (``billing_exports``; the last billed day is the day before seeding), then ``cloud.json``. A signal ends it at
    once, seeding or not."""
    # Imported here: finding or starting a cloud (the CLI, the local stack) needs none of polars, pyarrow or moto.
    from demo.billing_exports import publish_demo_billing
    from demo.estate import generate_estate
    from demo.metrics import publish_demo_metrics
    from demo.seeding import seed_estate, start_moto_server
    from demo.terraform_states import publish_demo_states

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _exit)
    estate = generate_estate(seed, size)
    server, endpoint_url = start_moto_server(clock)
    state_path = Path(state_dir) / STATE_FILE
    try:
        started = time.monotonic()
        seeded_at = clock.now()
        resource_ids = seed_estate(estate, endpoint_url, seeded_at)
        elapsed = time.monotonic() - started
        log.info("seeded %d resources into %s in %.1f s", len(estate.resources), endpoint_url, elapsed)
        billing = publish_demo_billing(estate, resource_ids, endpoint_url, state_dir, seeded_at.date())
        log.info("published %d days of demo billing up to %s", billing.days, billing.end - timedelta(days=1))
        values = publish_demo_metrics(estate, resource_ids, endpoint_url, seeded_at.date())
        log.info("published %d CloudWatch values of the 14 days before %s", values, seeded_at.date())
        log.info("published %d demo Terraform states", len(publish_demo_states(estate, resource_ids, endpoint_url)))
        state = {
            "endpoint_url": endpoint_url,
            "pid": os.getpid(),
            "seed": seed,
            "size": size,
            "seeded_at": seeded_at.isoformat(),
            "pinned_date": clock.pinned_date and clock.pinned_date.isoformat(),
        }
        _write_atomically(state_path, json.dumps(state))
        while True:
            signal.pause()
    finally:
        with contextlib.suppress(FileNotFoundError, ValueError):
            if json.loads(state_path.read_text())["pid"] == os.getpid():
                state_path.unlink()
        server.stop()


def _exit(signum: int, _frame: object) -> None:
    for repeated in (signal.SIGTERM, signal.SIGINT):
        signal.signal(repeated, signal.SIG_IGN)  # let the cleanup below finish
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m demo.cloud", description=serve.__doc__)
    parser.add_argument("--state-dir", type=Path, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--today", type=date.fromisoformat, help="pin the clock to this UTC date")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    serve(args.state_dir, args.seed, args.size, Clock(today=args.today))


if __name__ == "__main__":
    main()
