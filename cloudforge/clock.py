"""The one clock. Every "now" and "today" that decides a result comes from a ``Clock``: the day the demo
billing ends, how old seeded resources are, when a policy finding opened and whether a waiver still holds,
which budget month is current, when an alert is due or too old, how long ago a source last synced.

Unpinned, it is the wall clock in UTC. The setting ``clock.today`` (``CLOUDFORGE_CLOCK__TODAY=2026-12-01``)
pins the date: the clock then reads that day at the wall clock's time of day, so every process of a run
agrees on the date while durations, retries and the order of events stay real. Timers that only measure
elapsed time use ``time.monotonic()``, not this.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from pydantic import BaseModel, ConfigDict, Field


class Clock(BaseModel):
    """``settings.clock``; pass it (or the ``now`` it gives) down to whatever needs the time."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    pinned_date: date | None = Field(default=None, alias="today")  # the setting clock.today

    def now(self) -> datetime:
        """The current moment in UTC: the pinned date, if any, at the wall clock's time of day."""
        wall = datetime.now(UTC)
        return wall if self.pinned_date is None else datetime.combine(self.pinned_date, wall.timetz())

    def today(self) -> date:
        """The current UTC date."""
        return self.now().date()
