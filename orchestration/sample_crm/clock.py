"""Time arithmetic and fast formatting for the sample CRM.

Why a module of its own: every row carries dates or timestamps, and ``datetime.strftime`` per value
would dominate the generator's run time at a million notes. Timestamps are therefore plain integers
(seconds since ``0001-01-01`` in the proleptic Gregorian calendar, i.e. ``ordinal * 86400``), dates
are day ordinals, and both are formatted through a precomputed table of ISO date strings. No wall
clock is read anywhere: the export's ``as_of`` date is the only notion of "now" (DESIGN.md
principle 4).
"""

from __future__ import annotations

from datetime import date

DAY = 86_400
#: Oldest date the tables ever need (birth dates of the oldest customers, company anniversaries).
_FIRST_DAY = date(1900, 1, 1).toordinal()


class Clock:
    """The export's time frame: ``years`` years before ``as_of`` up to (excluding) ``as_of``.

    All generated events lie in ``[start_ts, end_ts)``; ``end_ts`` is ``as_of`` 00:00:00 UTC so that
    nothing is newer than the export itself (exported at ``as_of`` 01:00:00).
    """

    def __init__(self, as_of: date, years: int = 12) -> None:
        self.as_of = as_of
        self.end_day = as_of.toordinal()
        # Feb 29 has no counterpart in most years; the 28th keeps the window at ``years`` years.
        self.start_day = date(as_of.year - years, as_of.month, min(as_of.day, 28)).toordinal()
        self.end_ts = self.end_day * DAY
        self.start_ts = self.start_day * DAY
        self.start_year = as_of.year - years
        self.end_year = as_of.year
        # One string per day from 1900 to a year past as_of: about 46k short strings, built once.
        self._days = [
            date.fromordinal(o).isoformat() for o in range(_FIRST_DAY, self.end_day + 400)
        ]

    def fmt_date(self, day: int) -> str:
        """``YYYY-MM-DD`` of a day ordinal."""
        return self._days[day - _FIRST_DAY]

    def fmt_ts(self, ts: int) -> str:
        """``YYYY-MM-DD HH:MM:SS`` of a timestamp (seconds since 0001-01-01 00:00:00)."""
        day, sec = divmod(ts, DAY)
        hour, sec = divmod(sec, 3600)
        minute, sec = divmod(sec, 60)
        return f"{self._days[day - _FIRST_DAY]} {hour:02d}:{minute:02d}:{sec:02d}"

    def fmt_opt_ts(self, ts: int | None) -> str:
        """Like :meth:`fmt_ts`, but ``None`` becomes the empty string (CSV NULL)."""
        return "" if ts is None else self.fmt_ts(ts)

    @staticmethod
    def ymd(day: int) -> tuple[int, int, int]:
        """Year, month and day of a day ordinal."""
        d = date.fromordinal(day)
        return d.year, d.month, d.day

    @staticmethod
    def day_of(year: int, month: int, dom: int) -> int:
        """Day ordinal of a calendar date."""
        return date(year, month, dom).toordinal()
