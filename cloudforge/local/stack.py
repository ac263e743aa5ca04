"""The embedded stack as one object: warehouse, demo cloud, time-series server, Dagster home, and the environment
children need.

`cloudforge run` and `cloudforge demo` start it; the Dagster and Streamlit servers the demo spawns through it
inherit ``LocalStack.environment()`` so every process talks to the same PostgreSQL, moto server and time-series
server, and ``LocalStack.stop()`` stops every process it started (the embedded PostgreSQL stops when the command
exits).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import SecretStr

from cloudforge.local.processes import spawn, stop_groups, stopping
from cloudforge.settings import Settings
from cloudforge.warehouse import connect, database_url, ensure_schema
from cloudforge.warehouse.reader import grant_reader

DAGSTER_YAML = """\
# Written by cloudforge: run history and event logs stay beside the warehouse state.
telemetry:
  enabled: false
python_logs:
  # CloudForge's own loggers (alert notifiers, the AWS sync) show in the Dagster UI's run and sensor logs.
  managed_python_loggers: [cloudforge, assets]
"""


@dataclass
class LocalStack:
    settings: Settings
    warehouse_url: str
    reader_url: str | None = None  # the embedded warehouse's read-only role; production brings its own
    aws_endpoint_url: str | None = None
    metrics_url: str | None = None
    _cloud: object | None = field(default=None, repr=False)
    _timeseries: object | None = field(default=None, repr=False)
    _servers: list[subprocess.Popen] = field(default_factory=list, repr=False)
    _replaced_environment: dict[str, str | None] = field(default_factory=dict, repr=False)

    @classmethod
    def start(cls, settings: Settings, progress=print) -> LocalStack:
        """Start what the settings say is embedded; reuse what is already running."""
        progress("warehouse: " + ("external (CLOUDFORGE_DATABASE_URL)" if settings.database_url else "embedded PostgreSQL"))
        url = database_url(settings)
        with connect(url, autocommit=True) as conn:  # a wrong URL or password ends here, in one line
            for migration in ensure_schema(conn):  # before anything reads or writes the warehouse
                progress(f"warehouse schema: applied migration {migration.id}")
        stack = cls(settings=settings, warehouse_url=url, aws_endpoint_url=settings.aws.endpoint_url,
                    metrics_url=settings.metrics.url)
        try:
            if settings.metrics.mode == "embedded" and not settings.metrics.url:
                from cloudforge.local.timeseries import find_embedded_timeseries, start_embedded_timeseries

                progress("metrics: embedded VictoriaMetrics")
                running = find_embedded_timeseries(settings.state_dir)
                timeseries = start_embedded_timeseries(settings.state_dir)
                stack.metrics_url = timeseries.url
                stack._timeseries = None if running is not None else timeseries  # another command's stays
            if settings.database_url is None:
                stack.reader_url = grant_reader(url)
            if settings.aws.mode == "demo" and not settings.aws.endpoint_url:
                from demo.cloud import find_embedded_cloud, start_embedded_cloud

                progress(f"cloud: embedded demo estate (seed {settings.demo.seed}, size {settings.demo.size})")
                running = find_embedded_cloud(settings.state_dir)
                cloud = start_embedded_cloud(settings.state_dir, seed=settings.demo.seed, size=settings.demo.size,
                                             clock=settings.clock)
                stack.aws_endpoint_url = cloud.endpoint_url
                # Stop only what this call started: a `cloudforge demo` in another terminal keeps its cloud.
                stack._cloud = None if running is not None and running.pid == cloud.pid else cloud
            dagster_home(settings.state_dir)
            stack._export_environment()
        except BaseException:  # interrupted half-way: what was started stops
            stack.stop()
            raise
        return stack

    def spawn(self, command: list[str], cwd: Path) -> subprocess.Popen:
        """Start a process that talks to this stack (a server, a run) in a session of its own; ``stop`` stops it."""
        server = spawn(command, {**self.environment(), "PYTHONUNBUFFERED": "1"}, cwd)
        self._servers.append(server)
        return server

    def resolved_settings(self) -> Settings:
        """The settings with this stack's warehouse and cloud filled in: what the pipelines are built from."""
        aws = self.settings.aws.model_copy(update={"endpoint_url": self.aws_endpoint_url})
        metrics = self.settings.metrics.model_copy(update={"url": self.metrics_url})
        return self.settings.model_copy(update={"database_url": SecretStr(self.warehouse_url), "aws": aws,
                                                "metrics": metrics})

    def environment(self) -> dict[str, str]:
        """Variables that point a child process at this stack (secrets only for the local demo cloud)."""
        env = {
            "CLOUDFORGE_STATE_DIR": str(self.settings.state_dir),
            "CLOUDFORGE_DATABASE_URL": self.warehouse_url,
            "DAGSTER_HOME": str(dagster_home(self.settings.state_dir)),
        }
        if self.reader_url:
            env["CLOUDFORGE_READER_DATABASE_URL"] = self.reader_url
        if self.aws_endpoint_url:
            env["CLOUDFORGE_AWS__ENDPOINT_URL"] = self.aws_endpoint_url
        if self.metrics_url and self.settings.metrics.mode != "disabled":
            env["CLOUDFORGE_METRICS__URL"] = self.metrics_url
        if self.settings.clock.pinned_date is not None:  # every process of the stack on the same date
            env["CLOUDFORGE_CLOCK__TODAY"] = self.settings.clock.pinned_date.isoformat()
        if self.settings.aws.mode == "demo":
            # moto accepts any key; these dummies keep boto3 from searching for real ones.
            env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
        return env

    def _export_environment(self) -> None:
        """Point this process at the stack too (what it runs in process reads the settings again); ``stop`` puts
        the variables back as they were, so nothing of a stopped stack leaks into later work in this process."""
        for name, value in self.environment().items():
            self._replaced_environment.setdefault(name, os.environ.get(name))
            os.environ[name] = value

    def stop(self) -> None:
        """Stop the servers, the embedded cloud and time-series server this stack started, all at once (each leads
        a session), and restore the environment variables it exported."""
        stopping()
        leaders = [server.pid for server in self._servers]
        leaders += [started.pid for started in (self._cloud, self._timeseries) if started is not None]
        stop_groups(leaders)
        for name, value in self._replaced_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._replaced_environment.clear()


def dagster_home(state_dir: Path) -> Path:
    """DAGSTER_HOME inside the state directory, with telemetry off."""
    home = state_dir / "dagster"
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    return home
