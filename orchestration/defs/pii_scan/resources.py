"""The free-text hook resource: the scanner (this domain) behind the ingest's seam.

The CRM ingest sees it only as ``lib.free_text.FreeTextHookProvider``; the composition root
(``orchestration/defs/resources.py``) binds this class to the ``free_text_hook`` key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import dagster as dg
from pydantic import Field

from orchestration.lib.free_text import FreeTextHook, UnscannedHook

if TYPE_CHECKING:
    from orchestration.lib.guard import Guard


class FreeTextHookResource(dg.ConfigurableResource):
    """Chooses the hook every free-text column passes through during ingest.

    ``scan`` (default) scans and irreversibly redacts with ``pii_scanners`` before anything is
    written; ``unscanned`` passes text through and marks it unscanned (only for diagnosing the
    scanner, never for production data).
    """

    mode: str = Field(default="scan", description="scan or unscanned")
    scanner_config: str = Field(default="", description="Scanner YAML; empty: the packaged one.")
    guard: bool = Field(
        default=True,
        description=(
            "Hold values with a suspected special-category word for review (the independent "
            "guard); off only for diagnosing, like mode unscanned."
        ),
    )

    def get_guard(self) -> Guard | None:
        if not self.guard:
            return None
        from orchestration.lib.guard import load_guard

        return load_guard()

    def get_hook(self, workers: int | None = None) -> FreeTextHook:
        """The hook; ``workers`` scanner processes (``None``: automatic, see ``ScannerHook``)."""
        if self.mode == "unscanned":
            return UnscannedHook()
        if self.mode == "scan":
            from orchestration.defs.pii_scan.scanner_hook import ScannerHook, load_scanner
            from orchestration.lib.secrets import scan_hmac_key

            scanner = load_scanner(self.scanner_config or None)
            return ScannerHook(scanner, scan_hmac_key(), workers=workers)
        raise ValueError(f"free_text_hook mode {self.mode!r} is unknown (scan, unscanned)")
