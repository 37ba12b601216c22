"""The seam between ingest and the PII scanner: free text passes through here before any write.

The ingest streams each batch of rows from DuckDB's CSV reader through a ``FreeTextHook`` and
writes only what the hook returns. Raw text therefore never has to be persisted to be scanned:
the scanner sees it in memory, and the warehouse receives the hook's output (redacted text),
scan statuses and findings (offsets and categories, never the matched text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from orchestration.lib.guard import Guard

from orchestration.lib.crm_schema import Table


@dataclass(frozen=True)
class ScanStatus:
    """Scan bookkeeping for one record's free-text column (no text, no matched strings)."""

    record_id: str
    column_name: str
    scan_status: str
    scanner_version: str | None
    #: Keyed hash (HMAC-SHA256 with a configured secret) of the raw text: detects unchanged
    #: notes without storing anything a dictionary attack could reverse.
    text_hmac: str | None = None


@dataclass(frozen=True)
class FindingRow:
    """One finding of the scanner in one record's column: where and what, never the text."""

    record_id: str
    column_name: str
    entity_type: str
    start_offset: int
    end_offset: int
    score: float
    recognizer: str
    scanner_version: str
    #: When the finding was first made; ``None`` means "now" (a new scan).
    found_at: dt.datetime | None = None


@dataclass(frozen=True)
class PreviousScan:
    """What an earlier load stored for a record's column, to skip re-scanning unchanged text."""

    text_hmac: str
    scanner_version: str
    stored_text: str | None
    findings: tuple[FindingRow, ...] = ()


@dataclass
class FreeTextBatchResult:
    """What may be written for one column of one batch."""

    #: Text to store, aligned with the input (``None`` stays ``None``).
    texts: list[str | None]
    statuses: list[ScanStatus] = field(default_factory=list)
    findings: list[FindingRow] = field(default_factory=list)


class FreeTextHook(Protocol):
    """Processes one free-text column of one batch; returns what may be written."""

    #: Whether the hook can reuse earlier scans (the loader then looks them up).
    uses_previous_scans: bool
    #: The scanner version of what the hook stores (``None``: not scanned); a load is repeated
    #: when it changes.
    scanner_version: str | None

    def process(
        self,
        table: Table,
        column: str,
        record_ids: Sequence[str],
        texts: Sequence[str | None],
        known_names: Sequence[tuple[str, ...]],
        previous: Mapping[str, PreviousScan],
    ) -> FreeTextBatchResult: ...


class FreeTextHookProvider(Protocol):
    """What the ingest asks of the ``free_text_hook`` resource (implemented in ``pii_scan``)."""

    def get_hook(self, workers: int | None = None) -> FreeTextHook: ...

    def get_guard(self) -> Guard | None: ...


class UnscannedHook:
    """Passes text through and records it as unscanned (the scanner switched off).

    Kept deliberately honest: the status says ``unscanned`` so that no report or check can mistake
    this text for scanned or redacted text.
    """

    scan_status = "unscanned"
    uses_previous_scans = False
    scanner_version = None

    def process(
        self,
        table: Table,
        column: str,
        record_ids: Sequence[str],
        texts: Sequence[str | None],
        known_names: Sequence[tuple[str, ...]],
        previous: Mapping[str, PreviousScan],
    ) -> FreeTextBatchResult:
        statuses = [
            ScanStatus(record_id, column, self.scan_status, None)
            for record_id, text in zip(record_ids, texts, strict=True)
            if text is not None
        ]
        return FreeTextBatchResult(texts=list(texts), statuses=statuses)
