"""Stopping what a command started: process groups, stop signals, ports."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from cloudforge.local.processes import (
    STOP_SIGNALS,
    Server,
    Stop,
    raise_if_stop_requested,
    stop_groups,
    stop_signals,
    stopping,
)
from tests.support.processes import descendants, running

# A process that ignores SIGTERM (as `dagster dev` did when started with SIGINT ignored), with a child that does too.
STUBBORN = """
import signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"])
print("ready", flush=True)
time.sleep(60)
"""


@pytest.fixture(autouse=True)
def pytest_handlers_back():
    """A command that was stopped keeps ignoring repeats until it exits; this test process goes on."""
    before = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    yield
    for signum, handler in before.items():
        signal.signal(signum, handler)


def test_a_group_that_ignores_sigterm_is_killed_after_the_grace_period() -> None:
    stubborn = subprocess.Popen([sys.executable, "-c", STUBBORN], stdout=subprocess.PIPE, start_new_session=True)
    polite = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)
    assert stubborn.stdout.readline() == b"ready\n"
    tree = descendants(stubborn.pid) | descendants(polite.pid)
    assert len(tree) == 3

    started = time.monotonic()
    stop_groups([stubborn.pid, polite.pid], grace=1.0)
    elapsed = time.monotonic() - started

    assert running(tree) == set()
    # The stubborn group got the grace period, then SIGKILL: well before its own 60 s sleep would have ended it.
    assert 1.0 <= elapsed < 30.0


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_the_first_stop_signal_raises_stop_and_repeats_are_ignored(signum: int) -> None:
    with stop_signals():
        with pytest.raises(Stop) as stopped:
            os.kill(os.getpid(), signum)
            time.sleep(5)  # the handler raises before this ends
        os.kill(os.getpid(), signum)  # as `uv run` passes on a signal the process group already had
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.1)
    assert (stopped.value.signum, stopped.value.exit_code) == (signum, 128 + signum)


def test_a_stop_signal_another_handler_swallowed_is_raised_afterwards() -> None:
    """Dagster replaces the SIGINT and SIGTERM handlers during an in-process run and only fails the run."""
    swallowed = []
    with stop_signals():
        ours = signal.signal(signal.SIGTERM, lambda signum, _: swallowed.append(signum))
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.1)
        signal.signal(signal.SIGTERM, ours)
        assert swallowed == [signal.SIGTERM]
        with pytest.raises(Stop) as stopped:
            raise_if_stop_requested()
    assert stopped.value.signum == signal.SIGTERM


def test_without_a_stop_signal_nothing_is_raised_and_the_handlers_are_restored() -> None:
    before = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    with stop_signals():
        os.kill(os.getpid(), signal.SIGWINCH)  # not a stop signal
        raise_if_stop_requested()
    assert {signum: signal.getsignal(signum) for signum in before} == before
    assert signal.set_wakeup_fd(-1) == -1


def test_a_busy_port_is_named_with_the_option_that_moves_it() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        on_loopback = Server("Dagster UI", "127.0.0.1", port, "--dagster-port")
        on_every_interface = Server("dashboards", "0.0.0.0", port, "--dashboard-port")
        assert on_loopback.unavailable() == (
            f"port {port} for the Dagster UI is already in use on 127.0.0.1: stop what listens there, "
            "or choose another port with --dagster-port PORT"
        )
        assert on_every_interface.unavailable().startswith(f"port {port} for the dashboards is already in use")
    assert on_loopback.unavailable() is None


def test_urls_name_the_address_listened_on() -> None:
    assert Server("dashboards", "127.0.0.1", 8501, "").url == "http://127.0.0.1:8501"
    assert Server("dashboards", "0.0.0.0", 8501, "").url == "http://localhost:8501"
    assert Server("dashboards", "::1", 8501, "").url == "http://[::1]:8501"


def test_a_stop_signal_does_not_interrupt_stopping() -> None:
    with stop_signals():
        stopping()
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.1)
        raise_if_stop_requested()
