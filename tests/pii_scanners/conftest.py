"""Shared fixtures for the scanner tests: one real scanner per session (building one takes
seconds: spaCy lookup tables, lexicons, the given-name list)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pii_scanners.scanner import Scanner

DATA_DIR = Path(__file__).resolve().parent / "data"
OWN_CASES = DATA_DIR / "own_cases.jsonl"
DEV_NOTES = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev_notes.jsonl"
# Only for working on the scanner while another part is broken; CI never sets it.
CONFIG = os.environ.get("PII_SCANNER_TEST_CONFIG") or None


@pytest.fixture(scope="session")
def scanner() -> Scanner:
    """The CLI's cached scanner, so in-process CLI tests reuse it instead of building another."""
    from pii_scanners.cli import get_scanner

    return get_scanner(CONFIG)


def dev_notes_path() -> Path:
    """The shared labelled dev notes (beside the repository in CI and on workstations)."""
    if not DEV_NOTES.exists():
        pytest.skip(f"labelled dev notes not found at {DEV_NOTES}")
    return DEV_NOTES
