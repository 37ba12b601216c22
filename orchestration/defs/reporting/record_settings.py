"""The DPO's settings for the Art. 30 record and the Art. 32 measures.

They live in ``config/processing_record.yaml`` (``CRM_PROCESSING_RECORD`` overrides the path).

What the pipeline cannot know (controller, DPO, recipients, third-country transfers, the state of
the organisational measures) lives in a small YAML file the DPO fills in. A value still "TODO"
(or missing) is printed as "not filled in", so an unfinished record never reads as finished.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PATH = Path(__file__).resolve().parents[3] / "config" / "processing_record.yaml"
ENV_VAR = "CRM_PROCESSING_RECORD"
TOM_KEYS = ("patching", "backup", "access", "access_rights", "logging", "privacy_by_design")


def settings_path() -> Path:
    return Path(os.environ.get(ENV_VAR) or DEFAULT_PATH)


def load_record_settings(path: Path | None = None) -> dict[str, Any]:
    """The settings as a dict; an absent file gives an empty one (everything "not filled in")."""
    path = path or settings_path()
    if not path.exists():
        return {}
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(loaded, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return loaded


def is_filled(value: object) -> bool:
    """False for a missing, empty or "TODO…" value."""
    if value is None:
        return False
    text = str(value).strip()
    return bool(text) and not text.upper().startswith("TODO")
