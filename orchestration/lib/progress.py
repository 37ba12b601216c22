"""Progress lines for long work: done of total, percent and rate, every few seconds.

Why: ingesting and scanning a large export takes minutes per table, and a silent step looks
hung. A line goes out at most every ``CRM_PROGRESS_SECONDS`` seconds (default 10; 0 means on
every update) and always at the end. Lines hold a label (a file or table name), counts and a
rate, never data.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

DEFAULT_INTERVAL_SECONDS = 10.0


def interval_seconds() -> float:
    """``CRM_PROGRESS_SECONDS`` or 10 seconds."""
    configured = os.environ.get("CRM_PROGRESS_SECONDS", "").strip()
    return float(configured) if configured else DEFAULT_INTERVAL_SECONDS


class Progress:
    """Reports ``done`` of ``total`` through ``emit`` at most every ``every_seconds``."""

    def __init__(
        self,
        label: str,
        total: int | None,
        emit: Callable[[str], None],
        *,
        unit: str = "rows",
        every_seconds: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.total = total
        self.unit = unit
        self._emit = emit
        self._every = interval_seconds() if every_seconds is None else every_seconds
        self._clock = clock
        self._started = clock()
        self._last: float | None = None
        #: The ``done`` of the last line emitted.
        self._reported: int | None = None
        self.lines_emitted = 0

    def line(self, done: int) -> str:
        elapsed = max(self._clock() - self._started, 1e-9)
        rate = f"{done / elapsed:,.0f} {self.unit}/s"
        if self.total is not None:
            share = f" ({100 * done // self.total if self.total else 100}%)"
            return f"{self.label}: {done:,} of {self.total:,} {self.unit}{share}, {rate}"
        return f"{self.label}: {done:,} {self.unit}, {rate}"

    def finish(self, done: int) -> None:
        """The closing line, unless ``update`` already reported ``done`` as complete."""
        if self._reported != done:
            self._emit(self.line(done))
            self._reported = done
            self.lines_emitted += 1

    def update(self, done: int) -> None:
        """Emit a line if the interval has passed since the last one, or when done."""
        now = self._clock()
        finished = self.total is not None and done >= self.total
        due = self._last is None and now - self._started >= self._every
        due = due or (self._last is not None and now - self._last >= self._every)
        if finished or due or self._every <= 0:
            self._emit(self.line(done))
            self._last = now
            self.lines_emitted += 1
            self._reported = done
