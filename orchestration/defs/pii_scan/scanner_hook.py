"""The PII scanner behind the ingest's free-text seam: scan, redact, and remember what it saw.

For each free-text value of a batch: compute the keyed hash of the raw text; if an earlier load
scanned the same text with the same scanner version, reuse its stored (redacted) text and
findings; otherwise scan it with ``pii_scanners`` and keep only the redacted text and the
findings' offsets. The raw text leaves this function nowhere.

Parallel by default where it pays (issue 16, C3): with ``workers=None`` a batch with at least
``PARALLEL_MIN_NOTES`` notes to scan is scanned by one forked process per CPU core; smaller
batches (a nightly load with a few changed notes) are scanned in this process, because forking
costs more than it saves. An explicit ``workers`` count obeys the same threshold.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping, Sequence
from functools import lru_cache

from orchestration.lib.crm_schema import Table
from orchestration.lib.free_text import (
    FindingRow,
    FreeTextBatchResult,
    PreviousScan,
    ScanStatus,
)
from pii_scanners import Scanner, ScanRequest, scan_parallel

#: Below this many notes a batch is scanned in this process (forking costs more than it saves).
PARALLEL_MIN_NOTES = 2_000


def cpu_cores() -> int:
    """Cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def resolve_workers(workers: int | None) -> int:
    """Scanner processes for a large batch: ``None`` means one per core."""
    if workers is None:
        return cpu_cores()
    if workers < 1:
        raise ValueError(f"scan workers must be at least 1 (got {workers})")
    return workers


@lru_cache(maxsize=2)
def load_scanner(config_path: str | None = None) -> Scanner:
    """One scanner per process and configuration (building the Presidio engines takes seconds)."""
    return Scanner.from_config(config_path)


class ScannerHook:
    """Scans and redacts free text before the ingest writes it."""

    uses_previous_scans = True

    def __init__(self, scanner: Scanner, hmac_key: bytes, workers: int | None = 1) -> None:
        self._scanner = scanner
        self._key = hmac_key
        self._workers = resolve_workers(workers)
        self.scanner_version = scanner.version

    def text_hmac(self, text: str) -> str:
        return hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def process(
        self,
        table: Table,
        column: str,
        record_ids: Sequence[str],
        texts: Sequence[str | None],
        known_names: Sequence[tuple[str, ...]],
        previous: Mapping[str, PreviousScan],
    ) -> FreeTextBatchResult:
        result = FreeTextBatchResult(texts=list(texts))
        pending: list[tuple[int, str, ScanRequest]] = []
        for index, (record_id, text, names) in enumerate(
            zip(record_ids, texts, known_names, strict=True)
        ):
            if text is None:
                continue
            digest = self.text_hmac(text)
            earlier = previous.get(record_id)
            if (
                earlier is not None
                and earlier.text_hmac == digest
                and earlier.scanner_version == self.scanner_version
            ):
                result.texts[index] = earlier.stored_text
                result.statuses.append(
                    ScanStatus(record_id, column, "unchanged", self.scanner_version, digest)
                )
                result.findings.extend(earlier.findings)
                continue
            pending.append((index, digest, ScanRequest(id=record_id, text=text, known_names=names)))
        for (index, digest, request), scanned in zip(
            pending, self._scan([r for _, _, r in pending]), strict=True
        ):
            result.texts[index] = scanned.redacted_text
            result.statuses.append(
                ScanStatus(request.id, column, "scanned", self.scanner_version, digest)
            )
            result.findings.extend(
                FindingRow(
                    record_id=request.id,
                    column_name=column,
                    entity_type=f.entity_type,
                    start_offset=f.start,
                    end_offset=f.end,
                    score=round(f.score, 4),
                    recognizer=f.recognizer,
                    scanner_version=self.scanner_version,
                )
                for f in scanned.findings
            )
        return result

    @property
    def workers(self) -> int:
        """Scanner processes used for a batch of at least ``PARALLEL_MIN_NOTES`` notes."""
        return self._workers

    def _scan(self, requests: list[ScanRequest]) -> list:  # type: ignore[type-arg]
        if self._workers > 1 and len(requests) >= PARALLEL_MIN_NOTES:
            return list(scan_parallel(requests, workers=self._workers, scanner=self._scanner))
        return self._scanner.scan_batch(requests)
