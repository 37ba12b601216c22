"""The independent guard: a second, high-recall test for special-category words in stored text.

Why a second method: the curated-free-text check used to re-scan a sample of stored text with the
SAME scanner, so it could never see the scanner's own misses (issue 13). The guard shares none of
the scanner's rules: a broad list of word stems per Art. 9 category (``guard_stems.yaml``,
written independently of the scanner's lexicons), matched by DuckDB's RE2 ``regexp_matches`` on
the lowercased text with redaction tags blanked out. It errs on the side of holding: a hit is a
SUSPECTED leak, not a finding.

Where it runs (both inside DuckDB, so no text is fetched into Python for it):
1. in the ingest write path, on the scanner's redacted output, before anything is written: a
   value with a hit is stored as the marker ``<ZUR_PRÜFUNG>`` instead (the suspected text never
   lands, so no old bytes need to be compacted away) and listed in ``landing.free_text_review``;
2. in the blocking quality check, over EVERY stored value of every free-text column: it must find
   nothing, which is the assurance that step 1 held every suspected value.

Releases: a DPO who reads a held value in the CRM and finds it harmless adds its table, column,
record id and text HMAC (from ``landing.free_text_review``) to the release file
(``CRM_GUARD_RELEASES``, default ``$CRM_DATA_DIR/guard_releases.yaml``). A released value is
stored with its redacted text while its text is unchanged (same HMAC); a changed text is guarded
again. Releases are part of the guard version, so the next load re-checks the tables.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow as pa
import yaml

from orchestration.lib import settings

STEMS_FILE = Path(__file__).with_name("guard_stems.yaml")
#: Order in which a value's category is named when stems of several categories match.
CATEGORY_ORDER = (
    "HEALTH",
    "RELIGION",
    "ETHNIC_ORIGIN",
    "POLITICAL_OPINION",
    "TRADE_UNION",
    "SEX_LIFE",
    "GENETIC",
    "BIOMETRIC",
)
MATCH_KINDS = ("substring", "word_start", "word")
#: Redaction tags (``<HEALTH>``, ``<PERSON>``) and the review marker: blanked before matching.
TAG_PATTERN = r"<[A-ZÄÖÜ_]+>"
#: One letter in RE2 (Unicode-aware, unlike RE2's ASCII-only ``\b``).
NOT_LETTER = r"[^\p{L}]"
_RE2_SPECIAL = re.compile(r"([\\.^$|?*+()\[\]{}])")


def re2_literal(text: str) -> str:
    """Escape RE2 metacharacters of a literal stem (spaces and hyphens stay as they are)."""
    return _RE2_SPECIAL.sub(r"\\\1", text)


@dataclass(frozen=True)
class CategoryStems:
    """The stems of one category, by how they must sit in a word."""

    category: str
    substring: tuple[str, ...] = ()
    word_start: tuple[str, ...] = ()
    word: tuple[str, ...] = ()

    def pattern(self) -> str:
        """One RE2 pattern for the category (alternations of escaped literals)."""
        parts = []
        if self.substring:
            parts.append("(?:" + "|".join(map(re2_literal, self.substring)) + ")")
        if self.word_start:
            alternation = "|".join(map(re2_literal, self.word_start))
            parts.append(f"(?:^|{NOT_LETTER})(?:{alternation})")
        if self.word:
            alternation = "|".join(map(re2_literal, self.word))
            parts.append(f"(?:^|{NOT_LETTER})(?:{alternation})(?:{NOT_LETTER}|$)")
        return "|".join(parts)


@dataclass(frozen=True)
class Release:
    """A held value the DPO released: stored redacted while its text keeps this HMAC."""

    table_name: str
    column_name: str
    record_id: str
    text_hmac: str


class GuardConfigError(ValueError):
    """The stem or release file is malformed (the message names the file and the key)."""


def _load_stems(path: Path) -> tuple[str, tuple[CategoryStems, ...]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    marker = data.get("marker")
    if not isinstance(marker, str) or not re.fullmatch(TAG_PATTERN, marker):
        raise GuardConfigError(f"{path}: marker must look like a redaction tag, e.g. <ZUR_PRÜFUNG>")
    categories = data.get("categories") or {}
    unknown = set(categories) - set(CATEGORY_ORDER)
    if unknown:
        raise GuardConfigError(f"{path}: categories: unknown {sorted(unknown)}")
    stems = []
    for category in CATEGORY_ORDER:
        block = categories.get(category) or {}
        extra = set(block) - set(MATCH_KINDS)
        if extra:
            raise GuardConfigError(f"{path}: {category}: unknown keys {sorted(extra)}")
        lists: dict[str, tuple[str, ...]] = {}
        for kind in MATCH_KINDS:
            entries = tuple(block.get(kind) or ())
            for entry in entries:
                if not isinstance(entry, str) or not entry.strip() or entry != entry.lower():
                    raise GuardConfigError(
                        f"{path}: {category}.{kind}: entries must be non-empty lowercase text"
                    )
            lists[kind] = entries
        stems.append(CategoryStems(category, **lists))
    return marker, tuple(stems)


def default_releases_path() -> Path:
    configured = os.environ.get("CRM_GUARD_RELEASES", "").strip()
    return Path(configured) if configured else settings.data_dir() / "guard_releases.yaml"


def load_releases(path: Path) -> tuple[Release, ...]:
    """The DPO's releases; a missing file means none."""
    if not path.is_file():
        return ()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    releases = []
    for index, entry in enumerate(data.get("releases") or []):
        try:
            releases.append(
                Release(
                    str(entry["table"]),
                    str(entry["column"]),
                    str(entry["record_id"]),
                    str(entry["text_hmac"]),
                )
            )
        except (KeyError, TypeError) as error:
            raise GuardConfigError(
                f"{path}: releases[{index}]: needs table, column, record_id and text_hmac"
            ) from error
    return tuple(sorted(set(releases), key=lambda r: tuple(vars(r).values())))


class Guard:
    """Stems compiled to one RE2 pattern per category, applied inside DuckDB."""

    def __init__(
        self, marker: str, stems: Sequence[CategoryStems], releases: Sequence[Release] = ()
    ) -> None:
        self.marker = marker
        self.stems = tuple(stems)
        self.releases = tuple(releases)
        self._released = {
            (r.table_name, r.column_name, r.record_id): r.text_hmac for r in self.releases
        }
        canonical = json.dumps(
            {
                "marker": marker,
                "stems": [[s.category, s.substring, s.word_start, s.word] for s in self.stems],
                "releases": [list(vars(r).values()) for r in self.releases],
            },
            sort_keys=True,
            ensure_ascii=False,
        )
        #: Changes with any stem, the marker or a release: a new version re-checks every table.
        self.version = "guard-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]

    @classmethod
    def from_files(cls, stems_path: Path = STEMS_FILE, releases_path: Path | None = None) -> Guard:
        marker, stems = _load_stems(stems_path)
        releases = load_releases(releases_path or default_releases_path())
        return cls(marker, stems, releases)

    def prepared_sql(self, text_sql: str) -> str:
        """``text_sql`` lowercased, with redaction tags and the marker blanked out."""
        return f"lower(regexp_replace({text_sql}, '{TAG_PATTERN}', ' ', 'g'))"

    def case_sql(self, prepared_sql: str) -> str:
        """The first category whose stems match the prepared text, else NULL."""
        whens = " ".join(
            f"when regexp_matches({prepared_sql}, {_sql_string(s.pattern())}) then '{s.category}'"
            for s in self.stems
            if s.pattern()
        )
        return f"case {whens} end"

    def categories_query(self, source_sql: str, id_sql: str, text_sql: str) -> str:
        """SQL listing ``(_guard_id, category)`` for every non-null value (category may be NULL).

        The prepared text is computed once per value in an inner select, then tested against
        each category's pattern in order.
        """
        prepared = self.prepared_sql(text_sql)
        return f"""select _guard_id, {self.case_sql("_guard_text")} as category
                   from (select {id_sql} as _guard_id, {prepared} as _guard_text
                         from {source_sql} where {text_sql} is not null)"""

    def hits_query(self, source_sql: str, id_sql: str, text_sql: str) -> str:
        """SQL listing ``(_guard_id, category)`` of every value with a stem hit."""
        inner = self.categories_query(source_sql, id_sql, text_sql)
        return f"select _guard_id, category from ({inner}) where category is not null"

    def is_released(self, table: str, column: str, record_id: str, text_hmac: str | None) -> bool:
        return text_hmac is not None and self._released.get((table, column, record_id)) == text_hmac

    def suspected(
        self, con: duckdb.DuckDBPyConnection, texts: Sequence[str | None]
    ) -> dict[int, str]:
        """Positions of ``texts`` with a stem hit, and the category; computed in DuckDB.

        The batch is handed to DuckDB as an in-memory Arrow view of this query only: nothing is
        written, and no text comes back, only positions and categories.
        """
        batch = pa.table(
            {"i": pa.array(range(len(texts)), pa.int64()), "t": pa.array(texts, pa.string())}
        )
        con.register("guard_batch", batch)
        try:
            rows = con.execute(self.hits_query("guard_batch", "i", "t")).fetchall()
        finally:
            con.unregister("guard_batch")
        return {int(i): str(category) for i, category in rows}

    def releases_table(self) -> pa.Table:
        """The releases as an Arrow table (for joins in the blocking check)."""
        return pa.table(
            {
                "table_name": pa.array([r.table_name for r in self.releases], pa.string()),
                "column_name": pa.array([r.column_name for r in self.releases], pa.string()),
                "record_id": pa.array([r.record_id for r in self.releases], pa.string()),
                "text_hmac": pa.array([r.text_hmac for r in self.releases], pa.string()),
            }
        )


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@lru_cache(maxsize=4)
def _cached(stems_path: Path, releases_path: Path, releases_stamp: tuple[float, int]) -> Guard:
    return Guard.from_files(stems_path, releases_path)


def load_guard(stems_path: Path = STEMS_FILE, releases_path: Path | None = None) -> Guard:
    """The guard of the packaged stems and the configured releases (cached per file state)."""
    releases = releases_path or default_releases_path()
    stamp = (releases.stat().st_mtime, releases.stat().st_size) if releases.is_file() else (0, 0)
    return _cached(stems_path, releases, stamp)
