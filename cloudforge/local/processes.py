"""The processes a command starts, and stopping every one of them however the command ends.

Commands run inside ``stop_signals()``: the first SIGINT (Ctrl-C), SIGTERM or SIGHUP (the terminal closed) raises
``Stop``, so the ``finally`` blocks stop what was started. Later ones are ignored so that this cleanup runs to its
end: ``uv run`` and make pass on to their child a signal the process group already delivered to it. Dagster swallows
SIGINT and SIGTERM during an in-process run (the run fails, the caller would carry on); ``raise_if_stop_requested``
raises ``Stop`` afterwards, since every signal is also noted in a wakeup pipe whoever handles it.

Servers run in a session of their own (a closing terminal or a Ctrl-C does not reach them half-way through our
cleanup) and are stopped as process groups, all at once: SIGTERM, then SIGKILL after a grace period.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
GRACE_SECONDS = 6.0  # then SIGKILL: everything is gone well within 15 s of the signal, even on a busy machine
WILDCARD_ADDRESSES = {"0.0.0.0", "::", ""}


class Stop(KeyboardInterrupt):
    """The command was asked to stop by a signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The shell's convention for a process ended by this signal."""
        return 128 + self.signum


class _StopSignals:
    """The handlers ``stop_signals`` installs, the signal that asked this process to stop, and whether it is."""

    def __init__(self) -> None:
        self.received: int | None = None
        self.stopping = False
        self.wakeup, write_end = os.pipe()
        for end in (self.wakeup, write_end):
            os.set_blocking(end, False)
        self.previous_wakeup = signal.set_wakeup_fd(write_end)
        self.previous = {signum: signal.signal(signum, self.handle) for signum in STOP_SIGNALS}

    def handle(self, signum: int, _frame: object) -> None:
        if not self.stopping:
            self.stop(signum)

    def raise_if_noted(self) -> None:
        """Raise ``Stop`` for a stop signal that arrived while another handler had it."""
        with contextlib.suppress(BlockingIOError):
            stops = [signum for signum in os.read(self.wakeup, 1024) if signum in STOP_SIGNALS]
            if stops and not self.stopping:
                self.stop(stops[0])

    def stop(self, signum: int) -> None:
        self.received, self.stopping = signum, True
        raise Stop(signum)

    def restore(self) -> None:
        os.close(signal.set_wakeup_fd(self.previous_wakeup))
        os.close(self.wakeup)
        if self.received is None:  # a process a signal stopped keeps ignoring repeats until it has exited
            for signum, handler in self.previous.items():
                signal.signal(signum, handler)


_active: _StopSignals | None = None


@contextlib.contextmanager
def stop_signals() -> Iterator[None]:
    """Within this block SIGINT, SIGTERM and SIGHUP raise ``Stop`` once (main thread only; elsewhere a no-op)."""
    global _active
    if _active is not None or threading.current_thread() is not threading.main_thread():
        yield
        return
    _active = _StopSignals()
    try:
        yield
    finally:
        _active.restore()
        _active = None


def raise_if_stop_requested() -> None:
    """Raise ``Stop`` if a stop signal arrived that a library's own handler swallowed (Dagster during a run)."""
    if _active is not None:
        _active.raise_if_noted()


def stopping() -> None:
    """This process is stopping what it started: a stop signal must not interrupt that any more."""
    if _active is not None:
        _active.stopping = True


@dataclass(frozen=True)
class Server:
    """A server a command runs: what it is, where it listens, the option that moves it to another port, and the
    path its URL shows (the metrics exporter's `/metrics`)."""

    name: str
    address: str
    port: int
    port_option: str
    path: str = ""

    @property
    def url(self) -> str:
        host = "localhost" if self.address in WILDCARD_ADDRESSES else self.address
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}{self.path}"

    def unavailable(self) -> str | None:
        """Why this server could not listen on its address and port now, or None if it could."""
        try:
            family, _, _, _, sockaddr = socket.getaddrinfo(
                self.address or None, self.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
            )[0]
            with socket.socket(family, socket.SOCK_STREAM) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do
                probe.bind(sockaddr)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return (
                    f"port {self.port} for the {self.name} is already in use on {self.address}: stop what "
                    f"listens there, or choose another port with {self.port_option} PORT"
                )
            return f"the {self.name} cannot listen on {self.address} port {self.port}: {error.strerror or error}"
        return None

    def accepts_connections(self) -> bool:
        host = "127.0.0.1" if self.address in WILDCARD_ADDRESSES else self.address
        try:
            socket.create_connection((host, self.port), timeout=1).close()
        except OSError:
            return False
        return True


class ServerError(RuntimeError):
    """A server cannot listen where it should (its port is taken), or it exited on its own."""


def ensure_available(servers: list[Server]) -> None:
    """Raise ``ServerError`` naming each server that could not listen where it should now."""
    problems = [problem for server in servers if (problem := server.unavailable())]
    if problems:
        raise ServerError("\n".join(problems))


def spawn(command: list[str], env: dict[str, str], cwd: Path, output: IO | None = None) -> subprocess.Popen:
    """Start a process in a session of its own: a closing terminal or Ctrl-C reaches only the command, which stops
    the process as a group. It inherits our handlers reset to the default (so SIGTERM and SIGINT end it). Its
    output goes to ``output`` (a log file) if given, else to ours."""
    return subprocess.Popen(command, cwd=cwd, env={**os.environ, **env}, start_new_session=True,
                            stdout=output, stderr=output)


def wait_until_serving(servers: dict[Server, subprocess.Popen]) -> None:
    """Return once every server accepts connections; raise ``ServerError`` if one exits first."""
    waiting = dict(servers)
    while waiting:
        for server, process in list(waiting.items()):
            check_running(server, process)
            if server.accepts_connections():
                del waiting[server]
        time.sleep(0.2)


def serve_until_stopped(servers: dict[Server, subprocess.Popen]) -> None:
    """Block until a signal stops the command; raise ``ServerError`` if a server exits meanwhile."""
    while True:
        for server, process in servers.items():
            check_running(server, process)
        time.sleep(0.5)


def check_running(server: Server, process: subprocess.Popen) -> None:
    if process.poll() is not None:
        raise ServerError(
            f"the {server.name} ({' '.join(process.args[2:4])}) exited with code {process.returncode}; "
            "its output is above"
        )


def stop_groups(leaders: list[int], grace: float = GRACE_SECONDS) -> None:
    """Stop the process groups these pids lead, all at once: SIGTERM, then SIGKILL to any group still there after
    ``grace`` seconds. Returns when every group is gone, so the wait is the slowest group's, not the sum."""
    for leader in leaders:
        _signal_group(leader, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while (running := [leader for leader in leaders if group_alive(leader)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    for leader in running:
        _signal_group(leader, signal.SIGKILL)
    deadline = time.monotonic() + 2  # SIGKILL ends a process at once; only zombies could stay this long
    while any(group_alive(leader) for leader in running) and time.monotonic() < deadline:
        time.sleep(0.05)


def group_alive(leader: int) -> bool:
    """Whether any process of this group runs; a leader that is our child and exited is reaped here."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(leader, os.WNOHANG)
    return _reached(os.killpg, leader)


def is_alive(pid: int) -> bool:
    """Whether a recorded process (a server, the demo cloud) runs; a child of ours that exited is reaped here, or
    it would stay a zombie."""
    with contextlib.suppress(ChildProcessError):
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    return _reached(os.kill, pid)


def _reached(send, target: int) -> bool:
    """Whether signal 0 reaches the process (group): it exists, even if it belongs to another user."""
    try:
        send(target, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _signal_group(leader: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(leader, signum)
