"""How a run changes the findings: which rows to write, which findings open, which are resolved.

Pure Python over the state of the findings that stood before this run and the rows this run saw, so the
store writes only what changed and touches the rest with one cheap UPDATE.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

# What a run can change about a finding: status, waiver_id, severity, message.
State = tuple[str, int | None, str, str]


class FindingRow(NamedTuple):
    """A finding as raw_policies.findings holds it, without its timestamps (columns in this order)."""

    finding_id: str  # '<policy_id>:<resource_key>'
    policy_id: str
    resource_key: str
    account_id: str
    region: str
    resource_type: str
    resource_id: str
    severity: str
    message: str
    status: str  # open | waived | resolved
    waiver_id: int | None

    @property
    def state(self) -> State:
        return self.status, self.waiver_id, self.severity, self.message


@dataclass(frozen=True)
class Changes:
    written: list[FindingRow]  # new, reopened, or different from before (message, status, waiver, ...)
    opened: list[FindingRow]  # now open and not open before: new, reopened, waiver expired
    gone: list[str]  # finding ids not seen: resolved, unless their resource could not be read


def compare(previous: Mapping[str, State], seen: Iterable[FindingRow]) -> Changes:
    """``previous``: finding id -> state of every finding that stood (open or waived) before this run."""
    written: list[FindingRow] = []
    opened: list[FindingRow] = []
    seen_ids: set[str] = set()
    for row in seen:
        seen_ids.add(row.finding_id)
        before = previous.get(row.finding_id)
        if row.state != before:
            written.append(row)
        if row.status == "open" and (before is None or before[0] != "open"):
            opened.append(row)
    gone = [finding_id for finding_id in previous if finding_id not in seen_ids]
    return Changes(written, opened, gone)
