"""The embedded time-series server: VictoriaMetrics (Debian's ``victoria-metrics``) on a free loopback port.

Why VictoriaMetrics: no InfluxDB 2.x/3.x server installs offline, and Debian's InfluxDB 1.6 has no ``/api/v2/write``;
VictoriaMetrics accepts influxdb-client's writes unchanged and answers PromQL. Its data lives in
``STATE_DIR/timeseries``; ``STATE_DIR/timeseries.json`` ({"url", "pid"}) names a running server, which another
command on the same state directory reuses (the storage directory is locked by one server).

Flags: read-after-write (``-search.latencyOffset=0s``, ``-search.disableCache``; ``force_flush`` makes written
points searchable at once), one sample per series and millisecond (``-dedup.minScrapeInterval=1ms``: writing a
point again replaces it, as in InfluxDB), and a retention long enough for backdated points.
"""

from __future__ import annotations

import json
import shutil
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from cloudforge.local.processes import group_alive, spawn, stop_groups

BINARY = "victoria-metrics"
STATE_FILE = "timeseries.json"
LOG_FILE = "timeseries.log"
START_SECONDS = 30.0
FLAGS = ["-search.latencyOffset=0s", "-search.disableCache", "-dedup.minScrapeInterval=1ms",
         "-retentionPeriod=100y", "-loggerLevel=ERROR"]


class TimeseriesError(RuntimeError):
    """The time-series server is not installed, or did not start."""


@dataclass(frozen=True)
class EmbeddedTimeseries:
    url: str
    pid: int

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/health", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def force_flush(self) -> None:
        """Make every point written so far searchable now (tests, and reads right after a write)."""
        urllib.request.urlopen(f"{self.url}/internal/force_flush", timeout=30).close()

    def stop(self) -> None:
        """Stop the server (SIGTERM, SIGKILL after a grace period) and wait until it has exited."""
        stop_groups([self.pid])  # it leads a session of its own; a stale record is ignored


def victoria_metrics_binary() -> str:
    found = shutil.which(BINARY)
    if found is None:
        raise TimeseriesError(
            f"the time-series server {BINARY!r} is not installed: `make install` installs it "
            f"(apt-get install {BINARY}, as root), or set metrics.mode to influxdb or disabled"
        )
    return found


def find_embedded_timeseries(state_dir: Path) -> EmbeddedTimeseries | None:
    """The server ``state_dir/timeseries.json`` names, if it still runs and answers."""
    try:
        recorded = json.loads((state_dir / STATE_FILE).read_text())
        server = EmbeddedTimeseries(url=recorded["url"], pid=int(recorded["pid"]))
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return None
    return server if group_alive(server.pid) and server.healthy() else None


def start_embedded_timeseries(state_dir: Path) -> EmbeddedTimeseries:
    """Start VictoriaMetrics with its data in ``state_dir`` (or return the one already running there)."""
    running = find_embedded_timeseries(state_dir)
    if running is not None:
        return running
    binary = victoria_metrics_binary()
    data_dir = state_dir / "timeseries"
    data_dir.mkdir(parents=True, exist_ok=True)
    port = _free_loopback_port()
    with open(state_dir / LOG_FILE, "ab") as log:
        process = spawn([binary, f"-storageDataPath={data_dir}", f"-httpListenAddr=127.0.0.1:{port}", *FLAGS],
                        env={}, cwd=state_dir, output=log)
    server = EmbeddedTimeseries(url=f"http://127.0.0.1:{port}", pid=process.pid)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not server.healthy():
            if process.poll() is not None:
                raise TimeseriesError(f"{BINARY} exited with code {process.returncode}; see {state_dir / LOG_FILE}")
            if time.monotonic() > deadline:
                raise TimeseriesError(f"{BINARY} did not answer {server.url}/health within {START_SECONDS:.0f} s")
            time.sleep(0.1)
        (state_dir / STATE_FILE).write_text(json.dumps({"url": server.url, "pid": server.pid}))
    except BaseException:
        server.stop()
        raise
    return server


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
