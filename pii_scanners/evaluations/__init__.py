"""Measured quality of each scanner version: one JSON file per version, written by
``python -m pii_scanners evaluate --store`` (``make evaluate``), read by the DPO report.

Why per version: the warehouse records which scanner version produced each stored finding
(``landing.note_findings.scanner_version``); the report can then show the recall and precision
measured for exactly that version, or say plainly that it was never measured. A lexicon or rule
change makes a new version (``Scanner.version`` hashes config and lexicons), so stale figures
cannot be shown for new code: the new version simply has no file until someone evaluates it.

File ``<version>.json``: ``{"format": 1, "scanner_version": ..., "corpora": {name: record}}``,
keys sorted, 2-space indent, so a re-evaluation with unchanged results rewrites the same bytes.
Records hold counts, rates, the corpus file's name and sha256 and the evaluation date — never a
note's text or a matched string. Importing this module is cheap (no Presidio).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EVALUATIONS_DIR = Path(__file__).resolve().parent
FORMAT = 1


def evaluation_path(version: str, directory: Path | None = None) -> Path:
    """``<directory>/<version>.json``; a version is ``0.1.0+<12 hex>``, safe as a file name."""
    if not version or "/" in version or "\\" in version or version.startswith("."):
        raise ValueError("not a scanner version")
    return (directory or EVALUATIONS_DIR) / f"{version}.json"


def load_evaluation(version: str, directory: Path | None = None) -> dict[str, Any] | None:
    """The stored figures of ``version``, or None when that version was never evaluated."""
    path = evaluation_path(version, directory)
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("scanner_version") != version:
        raise ValueError(f"{path.name} holds figures of another scanner version")
    return data


def store_evaluation(
    version: str, corpora: dict[str, dict[str, Any]], directory: Path | None = None
) -> Path:
    """Add or replace the given corpora's records in the version's file (others are kept)."""
    path = evaluation_path(version, directory)
    data = load_evaluation(version, directory) or {
        "format": FORMAT,
        "scanner_version": version,
        "corpora": {},
    }
    data["corpora"].update(corpora)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


TARGETS_FILE = EVALUATIONS_DIR / "targets.yaml"


def load_targets(path: Path | None = None) -> dict[str, dict[str, dict[str, float]]]:
    """Release targets per corpus and figure (``targets.yaml``): ``{"min": x}`` or
    ``{"max": x}``."""
    import yaml

    data = yaml.safe_load((path or TARGETS_FILE).read_text(encoding="utf-8")) or {}
    for corpus, figures in data.items():
        for figure, bound in figures.items():
            if not isinstance(bound, dict) or set(bound) - {"min", "max"} or len(bound) != 1:
                raise ValueError(f"targets.yaml {corpus}.{figure}: give exactly one of min, max")
    return data


def figure_at(record: dict[str, Any], path: str) -> dict[str, Any] | None:
    """The ``{count, total, rate}`` triple at a dotted path of a stored record, if there is one."""
    node: Any = record
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, dict) and {"count", "total"} <= set(node) else None
