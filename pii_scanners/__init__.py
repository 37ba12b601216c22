"""Offline special-category (Art. 9 GDPR) and PII scanner for CRM free text (de/en).

Public API (a pure batch function; no Dagster or DuckDB in this package — DESIGN.md scale path):

    scanner = Scanner.from_config()            # packaged config/scanner.yaml
    scanner.version                            # "0.1.0+<sha256 prefix of config+lexicons>"
    results = scanner.scan_batch([ScanRequest(id="1", text="...", lang=None)])
    for result in scan_parallel(requests, workers=2): ...

Importing this package is cheap: the Presidio stack loads on first use of these names.
"""

from __future__ import annotations

import os

# Offline switch for tldextract (DESIGN.md "Offline switches"). tldextract builds its
# module-level extractor when it is first imported and reads this variable then; presidio_analyzer
# imports it, and pii_scanners.scanner imports presidio_analyzer before pii_scanners.engine.
# The package's __init__ runs before any of its modules, so this is the one place that is
# early enough for every import order. Our e-mail recognizer does not rely on it (it has its
# own offline extractor), but Presidio's stock EmailRecognizer and any other tldextract user
# in the process would otherwise fetch the public suffix list.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from typing import TYPE_CHECKING, Any

from pii_scanners.models import Finding, ScanRequest, ScanResult

if TYPE_CHECKING:
    from pii_scanners.parallel import scan_parallel
    from pii_scanners.scanner import Scanner

__all__ = ["Finding", "ScanRequest", "ScanResult", "Scanner", "scan_parallel"]


def __getattr__(name: str) -> Any:
    if name == "Scanner":
        from pii_scanners.scanner import Scanner

        return Scanner
    if name == "scan_parallel":
        from pii_scanners.parallel import scan_parallel

        return scan_parallel
    raise AttributeError(f"module 'pii_scanners' has no attribute {name!r}")
