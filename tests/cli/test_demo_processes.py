"""`cloudforge demo` as a user runs it: every process it started stops within 15 s of Ctrl-C, of SIGTERM to the
command and of the terminal closing, run directly, through `uv run` and through make, with a terminal and without.

Each case runs the real command (`--skip-run`: no materialisation) in a state directory of this module, on free
ports, waits until every server answers HTTP, notes every process below the command (and the embedded PostgreSQL,
which runs detached), ends it and waits. With a terminal, the command runs in an interactive bash on a
pseudo-terminal, as typed at a prompt: Ctrl-C is the ^C character, closing the terminal hangs it up (bash passes
SIGHUP on to the job). Without one it runs in a session of its own (`setsid make demo </dev/null >log &`): Ctrl-C
is SIGINT to its process group, a hang-up SIGHUP to it.
"""

from __future__ import annotations

import fcntl
import os
import random
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import termios
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.processes import Process, descendants, process, running, wait_until_gone

pytestmark = pytest.mark.e2e  # real `cloudforge demo`s, each started until every server answers

REPO_ROOT = Path(__file__).resolve().parents[2]
UV = ["python3", "-m", "uv"]  # as the Makefile runs it
SIZE = 30  # the smallest demo estate: seeding it takes a second
STOP_WITHIN = 15.0
SERVE_WITHIN = 600.0

LAUNCHERS: dict[str, Callable[[list[str]], list[str]]] = {
    "directly": lambda args: [str(Path(sys.executable).with_name("cloudforge")), "demo", *args],
    "uv run": lambda args: [*UV, "run", "--frozen", "cloudforge", "demo", *args],
    "make": lambda args: ["make", "--no-print-directory", "demo", f"DEMO_ARGS={shlex.join(args)}"],
}
# What `cloudforge demo --skip-run` runs once it serves (and the embedded PostgreSQL, checked apart).
EXPECTED = ["demo.cloud", "dagster dev", "dagster_webserver", "dagster._daemon", "dagster api grpc",
            "streamlit run", "victoria-metrics -storageDataPath", "cloudforge.cli metrics serve"]
# Families the metrics exporter serves even before anything was materialised (`--skip-run` on a new warehouse).
EXPORTER_FAMILIES = {"cloudforge_cost_month_to_date", "cloudforge_cost_forecast", "cloudforge_open_findings",
                     "cloudforge_open_recommendations", "cloudforge_recommendations_monthly_saving",
                     "cloudforge_source_age_seconds", "cloudforge_source_freshness_sla_seconds",
                     "cloudforge_source_stale", "cloudforge_sync_failed_slices", "cloudforge_sync_duration_seconds",
                     "cloudforge_alert_deliveries"}


class Demo:
    """One `cloudforge demo` launched as a user would, with or without a terminal."""

    def __init__(self, command: list[str], env: dict[str, str], terminal: bool, log: Path) -> None:
        self.terminal, self.log, self.noted = terminal, log, set()
        if terminal:
            self.master, slave = os.openpty()
            self.shell = subprocess.Popen(
                ["bash", "--norc", "--noprofile", "-i", "-c", f"{shlex.join(command)}; exit $?"],
                stdin=slave, stdout=slave, stderr=slave, cwd=REPO_ROOT, env=env,
                start_new_session=True, preexec_fn=_take_terminal,
            )  # fmt: skip
            os.close(slave)
            self.output, self.hung_up = bytearray(), threading.Event()
            self.reader = threading.Thread(target=self._read_terminal, daemon=True)
            self.reader.start()
            self.top = self._shell_child()
        else:
            with log.open("wb") as output:
                self.shell = subprocess.Popen(
                    command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT, cwd=REPO_ROOT,
                    env=env, start_new_session=True,
                )  # fmt: skip
            self.top = process(self.shell.pid)

    def ctrl_c(self) -> None:
        if self.terminal:
            os.write(self.master, b"\x03")
        else:
            os.killpg(self.top.pid, signal.SIGINT)

    def terminate(self) -> None:
        os.kill(self.top.pid, signal.SIGTERM)

    def hang_up(self) -> None:
        if self.terminal:
            self.hung_up.set()
            self.reader.join()  # a read under way would hold the terminal open
            os.close(self.master)
        else:
            os.killpg(self.top.pid, signal.SIGHUP)

    def text(self) -> str:
        raw = bytes(self.output) if self.terminal else self.log.read_bytes()
        return raw.decode(errors="replace")

    def _read_terminal(self) -> None:
        """Keep the terminal drained (a full one would block the demo's writes) until it is hung up."""
        while not self.hung_up.is_set():
            if select.select([self.master], [], [], 0.1)[0]:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:  # EIO: every process let go of the terminal
                    return

    def _shell_child(self) -> Process:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            below = descendants(self.shell.pid) - {process(self.shell.pid)}
            children = [p for p in below if _parent(p.pid) == self.shell.pid]
            if children:
                return children[0]
            time.sleep(0.05)
        raise AssertionError("bash did not start the command")

    def note_processes(self, state_dir: Path) -> set[Process]:
        """Every process the command started that runs now: those below it, and the embedded PostgreSQL."""
        self.noted = descendants(self.top.pid) | {postgres_server(state_dir)} - {None}
        return self.noted

    def close(self) -> None:
        """Whatever the test's outcome: nothing of this demo runs on."""
        for leftover in running(self.noted | descendants(self.shell.pid)):
            os.kill(leftover.pid, signal.SIGKILL)
        self.shell.wait(10)
        if self.terminal and not self.hung_up.is_set():
            self.hang_up()


def _take_terminal() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)  # the pseudo-terminal becomes the session's controlling terminal


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    return int(stat[stat.rindex(")") + 2 :].split()[1])


def free_port() -> int:
    """A free port below Linux's ephemeral range (32768-60999): the demo's embedded services bind port 0, so a
    port from that range could be theirs by the time the demo binds the one given here."""
    while True:
        port = random.randint(20_000, 32_767)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def listening_addresses(port: int) -> set[str]:
    """The local addresses that listen on this TCP port (from /proc/net/tcp and tcp6), as dotted IPv4 or '::'."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                if len(address) == 8:
                    found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
                else:
                    found.add("::" if int(address, 16) == 0 else address)
    return found


def postgres_server(state_dir: Path) -> Process | None:
    pid_file = state_dir / "postgres" / "postmaster.pid"
    return process(int(pid_file.read_text().split()[0])) if pid_file.exists() else None


@pytest.fixture(scope="module")
def state_dir() -> Iterator[Path]:
    """One state directory for the module's demos (the embedded PostgreSQL is initialised once); outside pytest's
    numbered temp folders, which a concurrent pytest run may prune."""
    path = Path(tempfile.mkdtemp(prefix="cloudforge-demo-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def demo_env(state_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of a user with no CloudForge variables set, but this state directory and a small estate."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CLOUDFORGE_", "DAGSTER_", "MAKE", "MFLAGS", "UV_", "VIRTUAL_ENV"))}
    # Nor the project's environment activated, as `uv run pytest` (make test) has it: python3 is the system's.
    venv_bin = str(REPO_ROOT / ".venv" / "bin")
    env["PATH"] = os.pathsep.join(part for part in env.get("PATH", "").split(os.pathsep) if part != venv_bin)
    return env | {"CLOUDFORGE_STATE_DIR": str(state_dir), "CLOUDFORGE_DEMO__SIZE": str(SIZE)} | settings


@pytest.fixture
def demo(state_dir: Path, tmp_path: Path) -> Iterator[Callable[..., Demo]]:
    launched: list[Demo] = []

    def launch(launcher: str, args: list[str], terminal: bool, **settings: str) -> Demo:
        command = LAUNCHERS[launcher](args)
        launched.append(Demo(command, demo_env(state_dir, **settings), terminal, tmp_path / "demo.log"))
        return launched[-1]

    yield launch
    for started in launched:
        started.close()


def wait_until_serving(demo: Demo, dagster_port: int, dashboard_port: int, metrics_port: int) -> None:
    """Until every server answers and the demo has said so (it prints the URLs once they answer)."""
    urls = [f"http://127.0.0.1:{dagster_port}/server_info", f"http://127.0.0.1:{dashboard_port}/_stcore/health",
            f"http://127.0.0.1:{metrics_port}/metrics"]
    deadline = time.monotonic() + SERVE_WITHIN
    while not (all(answers(url) for url in urls) and "Ctrl-C stops everything" in demo.text()):
        assert demo.shell.poll() is None, f"the demo exited before it served:\n{demo.text()[-3000:]}"
        assert time.monotonic() < deadline, f"not serving after {SERVE_WITHIN:.0f} s:\n{demo.text()[-3000:]}"
        time.sleep(1)


ENDINGS = {"Ctrl-C": Demo.ctrl_c, "SIGTERM": Demo.terminate, "terminal closes": Demo.hang_up}
# A demo takes half a minute or more to serve, so each ending, each launcher and each way of running (with a
# terminal, without) is run once, not their 18 combinations: SIGTERM to the launcher, which must pass it on;
# Ctrl-C typed in a terminal; a terminal that closes. Ctrl-C without a terminal (SIGINT to the process group)
# is the two demo tests after this one. CLOUDFORGE_TESTS_EVERY_ENDING=1 runs all 18.
COVERING = [("uv run", "SIGTERM", False), ("make", "Ctrl-C", True), ("directly", "terminal closes", True)]
EVERY = [(launcher, ending, terminal) for launcher in LAUNCHERS for ending in ENDINGS for terminal in (True, False)]
CASES = EVERY if os.environ.get("CLOUDFORGE_TESTS_EVERY_ENDING") == "1" else COVERING


@pytest.mark.parametrize(
    ("launcher", "ending", "terminal"),
    CASES,
    ids=[f"{launcher}-{ending}-{'terminal' if terminal else 'no terminal'}" for launcher, ending, terminal in CASES],
)
def test_every_process_the_demo_started_stops(demo, state_dir: Path, launcher: str, ending: str, terminal: bool):
    ports = free_port(), free_port(), free_port()
    started = demo(launcher, ["--skip-run", *demo_args(*ports)], terminal)
    wait_until_serving(started, *ports)
    processes = started.note_processes(state_dir)
    commands = " | ".join(p.command for p in processes)
    assert all(name in commands for name in [*EXPECTED, "postgres -D"]), commands
    assert [listening_addresses(port) for port in ports] == [{"127.0.0.1"}] * 3

    ENDINGS[ending](started)
    left = wait_until_gone(processes, STOP_WITHIN)

    assert not left, f"still running {STOP_WITHIN:.0f} s after {ending}: {left}\n{started.text()[-3000:]}"
    assert not (state_dir / "cloud.json").exists() and not (state_dir / "services.json").exists()


def demo_args(dagster_port: int, dashboard_port: int, metrics_port: int) -> list[str]:
    return ["--dagster-port", str(dagster_port), "--dashboard-port", str(dashboard_port),
            "--metrics-port", str(metrics_port)]


def scraped_families(url: str) -> set[str]:
    """The metric families a Prometheus scrape of ``url`` finds (parsed with prometheus_client's parser)."""
    from prometheus_client.parser import text_string_to_metric_families

    with urllib.request.urlopen(url, timeout=10) as response:
        return {family.name for family in text_string_to_metric_families(response.read().decode())}


def mentioning(text: str) -> set[Process]:
    """Every process whose command line holds ``text``."""
    return {p for p in descendants(1) if text in p.command}


@pytest.mark.parametrize(("option", "name"), [("--dagster-port", "Dagster UI"), ("--dashboard-port", "dashboards")])
def test_a_busy_port_stops_the_demo_before_anything_starts(tmp_path: Path, option: str, name: str) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        ports = {"--dagster-port": free_port(), "--dashboard-port": free_port(), "--metrics-port": free_port()}
        ports |= {option: busy}
        result = subprocess.run(
            [*LAUNCHERS["directly"](["--skip-run"]), *(str(part) for pair in ports.items() for part in pair)],
            env=demo_env(tmp_path), cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: port {busy} for the {name} is already in use on 127.0.0.1: stop what listens there, "
        f"or choose another port with {option} PORT\n"
    )
    assert list(tmp_path.iterdir()) == [] and mentioning(str(tmp_path)) == set()  # no database, no cloud


def test_ctrl_c_during_the_run_stops_it_and_the_cloud_it_started(demo, state_dir: Path) -> None:
    """Dagster turns Ctrl-C during an in-process run into a failed run; the demo must stop, not go on serving."""
    started = demo("directly", demo_args(free_port(), free_port(), free_port()), terminal=False)
    deadline = time.monotonic() + SERVE_WITHIN
    while "refresh_everything - " not in started.text():  # a step logs: the run is under way
        assert started.shell.poll() is None and time.monotonic() < deadline, started.text()[-3000:]
        time.sleep(0.5)
    processes = started.note_processes(state_dir)
    assert "demo.cloud" in " | ".join(p.command for p in processes)

    started.ctrl_c()
    left = wait_until_gone(processes, STOP_WITHIN)

    assert not left, f"still running {STOP_WITHIN:.0f} s after Ctrl-C: {left}\n{started.text()[-3000:]}"
    assert started.shell.wait(5) == 128 + signal.SIGINT
    assert "Ctrl-C stops everything" not in started.text()  # it never served


def test_the_demo_listens_where_the_settings_say_and_leaves_a_cloud_it_did_not_start(demo, state_dir: Path) -> None:
    from demo.cloud import find_embedded_cloud, start_embedded_cloud

    cloud = start_embedded_cloud(state_dir, seed=42, size=SIZE)  # as another `cloudforge demo` would have
    try:
        dagster_port, dashboard_port, metrics_port = free_port(), free_port(), free_port()
        args = ["--skip-run", *demo_args(dagster_port, dashboard_port, metrics_port)]
        started = demo("directly", args, terminal=False, CLOUDFORGE_DASHBOARDS__ADDRESS="0.0.0.0")
        wait_until_serving(started, dagster_port, dashboard_port, metrics_port)
        processes = started.note_processes(state_dir)
        assert cloud.pid not in {p.pid for p in processes}
        assert [listening_addresses(port) for port in (dagster_port, dashboard_port, metrics_port)] == [
            {"127.0.0.1"}, {"0.0.0.0"}, {"127.0.0.1"}
        ]  # fmt: skip
        printed = [line.split() for line in started.text().splitlines() if line.startswith(("  Dagster", "  dash",
                                                                                              "  exporter"))]
        assert printed == [
            ["Dagster", "UI", f"http://127.0.0.1:{dagster_port}"], ["dashboards", f"http://localhost:{dashboard_port}"],
            ["exporter", f"http://127.0.0.1:{metrics_port}/metrics"],
        ]  # fmt: skip
        assert scraped_families(f"http://127.0.0.1:{metrics_port}/metrics") == EXPORTER_FAMILIES
        exporter = mentioning(f"metrics serve --address 127.0.0.1 --port {metrics_port}")
        assert len(exporter) == 1 and exporter <= processes

        started.ctrl_c()

        assert not wait_until_gone(processes, STOP_WITHIN)
        assert find_embedded_cloud(state_dir) == cloud
    finally:
        cloud.stop()
