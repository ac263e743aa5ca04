"""Waivers: accepted exceptions to a policy, from settings and from the raw_policies.waivers table.

A waiver names a policy id and a glob on resource keys ('aws/111111111111/*' waives a whole account) and
applies through the end of its ``expires_on`` day (UTC). The day after, the finding is open again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from fnmatch import translate

import psycopg

from cloudforge.settings import PolicyWaiver
from cloudforge.warehouse import replace_slice

CONFIG_COLUMNS = ("policy_id", "resource_pattern", "reason", "owner", "expires_on", "origin")


@dataclass(frozen=True)
class Waiver:
    waiver_id: int
    policy_id: str
    resource_pattern: str
    reason: str
    owner: str
    expires_on: date
    origin: str  # config | sql

    def active_on(self, day: date) -> bool:
        return day <= self.expires_on


class WaiverBook:
    """The waivers active at one moment, indexed by policy, each pattern compiled once."""

    def __init__(self, waivers: Iterable[Waiver], now: datetime) -> None:
        self._by_policy: dict[str, list[tuple[re.Pattern[str], Waiver]]] = {}
        today = now.astimezone(UTC).date()
        # The waiver that lasts longest wins, so a finding shows the expiry that actually matters.
        for waiver in sorted(waivers, key=lambda w: (w.expires_on, -w.waiver_id), reverse=True):
            if waiver.active_on(today):
                pattern = re.compile(translate(waiver.resource_pattern))
                self._by_policy.setdefault(waiver.policy_id, []).append((pattern, waiver))

    def waiver_for(self, policy_id: str, resource_key: str) -> Waiver | None:
        for pattern, waiver in self._by_policy.get(policy_id, ()):
            if pattern.match(resource_key):
                return waiver
        return None


def store_config_waivers(conn: psycopg.Connection, waivers: Sequence[PolicyWaiver]) -> None:
    """Replace the 'config' rows of raw_policies.waivers with the waivers in settings."""
    rows = [(w.policy_id, w.resource_pattern, w.reason, w.owner, w.expires_on, "config") for w in waivers]
    replace_slice(conn, ("raw_policies", "waivers"), {"origin": "config"}, CONFIG_COLUMNS, rows)


def load_waivers(conn: psycopg.Connection) -> list[Waiver]:
    """Every waiver in the table, config and SQL ones, expired or not."""
    rows = conn.execute(
        "SELECT waiver_id, policy_id, resource_pattern, reason, owner, expires_on, origin"
        " FROM raw_policies.waivers ORDER BY waiver_id"
    ).fetchall()
    return [Waiver(*row) for row in rows]
