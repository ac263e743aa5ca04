"""The one clock: a pinned date at the wall clock's time of day, and nothing else reading the wall clock."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from cloudforge.clock import Clock
from cloudforge.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
PYTHON_READS = re.compile(r"datetime\.(now|utcnow|today)\(|date\.today\(|time\.time\(\)")
SQL_READS = re.compile(r"\bnow\(\)|\bcurrent_(date|timestamp)\b|\blocaltimestamp\b|clock_timestamp\(", re.I)
# Reads of the real time that are not "the clock": each names a real instant outside CloudForge's world.
REAL_TIME = {
    "cloudforge/clock.py": "the clock itself",
    "tests/test_clock.py": "the clock's tests compare it with the wall clock",
    "cloudforge/alerts/transport.py": "a Retry-After date is the real server's time; the wait is real seconds",
    "assets/billing/loader.py": "audit stamps of when a file was loaded; they order loads, decide nothing",
    "tests/assets/billing/test_azure.py": "the Azure SDK checks its token's expiry against the real time",
    "tests/support/replay/credentials.py": "the Azure SDK checks its token's expiry against the real time",
    "tests/warehouse/test_locks.py": "a run lock names when its holder's database session really started",
}
SQL_ALLOWED = {
    "dbt/macros/today.sql": "the default of dbt run by hand, without the var today",
}


def test_a_pinned_clock_reads_its_date_at_the_wall_clocks_time_of_day():
    before = datetime.now(UTC)
    moment = Clock(today=date(2028, 2, 29)).now()
    after = datetime.now(UTC)
    assert moment.date() == date(2028, 2, 29) and moment.tzinfo == UTC
    assert before.time() <= moment.time() <= after.time() or after.date() > before.date()
    assert Clock(today=date(2028, 2, 29)).today() == date(2028, 2, 29)


def test_an_unpinned_clock_is_the_wall_clock_in_utc():
    before = datetime.now(UTC)
    moment = Clock().now()
    assert before <= moment <= datetime.now(UTC) and moment.tzinfo == UTC


def test_the_setting_pins_the_clock(monkeypatch):
    monkeypatch.setenv("CLOUDFORGE_CLOCK__TODAY", "2027-01-01")
    assert load_settings().clock.today() == date(2027, 1, 1)
    assert load_settings(clock={"today": "2026-12-31"}).clock.today() == date(2026, 12, 31)
    monkeypatch.delenv("CLOUDFORGE_CLOCK__TODAY")
    assert load_settings().clock == Clock()


def test_the_session_runs_on_a_pinned_clock(clock):
    """--today (default: the day the session started) is what every setting loaded in the session reads."""
    assert load_settings().clock == clock and clock.pinned_date is not None


def reads(pattern: re.Pattern[str], under: Path, suffixes: tuple[str, ...], allowed: dict[str, str]) -> list[str]:
    """Lines of the project's files (under ``under``) that match, but for comments and the allowed files."""
    found = []
    for path in sorted(under.rglob("*")):
        relative = path.relative_to(ROOT).as_posix()
        skipped = relative.startswith((".", "dbt/target/", "dbt/logs/")) or "/." in relative or relative in allowed
        if path.suffix not in suffixes or skipped:
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if pattern.search(line) and not line.lstrip().startswith(("#", "--")):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_nothing_but_the_clock_reads_the_wall_clock():
    """Code and tests take "now" from a Clock (or a `now` handed down from one), so a pinned date holds."""
    assert reads(PYTHON_READS, ROOT, (".py",), REAL_TIME) == []


def test_dbt_decides_dates_by_the_var_today_not_the_warehouse_clock():
    """A DEFAULT now() on an audit column (created_at) may stay; models take today() (the var) instead."""
    assert reads(SQL_READS, ROOT / "dbt", (".sql", ".yml"), SQL_ALLOWED) == []
