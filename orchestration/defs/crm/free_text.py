"""The seam between ingest and the PII scanner: free text passes through here before any write.

The ingest streams each batch of rows from DuckDB's CSV reader through a ``FreeTextHook`` and
writes only what the hook returns. Raw text therefore never has to be persisted to be scanned:
the scanner sees it in memory, and the warehouse receives the hook's output (redacted text once
the scanner is in place) and scan statuses (never the text itself).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from orchestration.lib.crm_schema import Table


@dataclass(frozen=True)
class ScanStatus:
    """Scan bookkeeping for one record's free-text column (no text, no matched strings)."""

    record_id: str
    column_name: str
    scan_status: str
    scanner_version: str | None


@dataclass
class FreeTextBatchResult:
    """What may be written for one column of one batch."""

    #: Text to store, aligned with the input (``None`` stays ``None``).
    texts: list[str | None]
    statuses: list[ScanStatus] = field(default_factory=list)


class FreeTextHook(Protocol):
    """Processes one free-text column of one batch; returns what may be written."""

    def process(
        self,
        table: Table,
        column: str,
        record_ids: Sequence[str],
        texts: Sequence[str | None],
    ) -> FreeTextBatchResult: ...


class UnscannedHook:
    """Placeholder until the scanner lands: passes text through and records it as unscanned.

    Kept deliberately honest: the status says ``unscanned`` so that no report or check can mistake
    this text for scanned or redacted text.
    """

    scan_status = "unscanned"

    def process(
        self,
        table: Table,
        column: str,
        record_ids: Sequence[str],
        texts: Sequence[str | None],
    ) -> FreeTextBatchResult:
        statuses = [
            ScanStatus(record_id, column, self.scan_status, None)
            for record_id, text in zip(record_ids, texts, strict=True)
            if text is not None
        ]
        return FreeTextBatchResult(texts=list(texts), statuses=statuses)
