"""Request and result types of the scanner's batch API (plain, picklable dataclasses).

Why plain dataclasses: the same objects cross process boundaries (scan_parallel), map 1:1 to
JSON lines (CLI) and to Arrow/pandas rows (a Spark ``mapInArrow`` UDF on the scale path).
A Finding never holds the matched text: only where it is (R2, findings without matched text).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class ScanRequest:
    """One free-text value to scan. ``lang`` None or "auto" means detect it; ``known_names``
    are names the CRM holds for the record (found wherever they appear)."""

    id: str
    text: str
    lang: str | None = None
    known_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """A sensitive span: offsets into the request text (end exclusive), never the text."""

    entity_type: str
    start: int
    end: int
    score: float
    recognizer: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ScanResult:
    """Findings for one request and the irreversibly redacted text."""

    id: str
    lang: str
    findings: list[Finding] = field(default_factory=list)
    redacted_text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "lang": self.lang,
            "findings": [f.to_dict() for f in self.findings],
            "redacted_text": self.redacted_text,
        }
