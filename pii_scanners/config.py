"""Load and validate the scanner YAML (registry, NLP, thresholds, redaction operators).

Why validate here: a bad configuration must fail when the scanner is built, not halfway through
a nightly run, and a reversible "redaction" operator must never get as far as the anonymizer
(R2: redaction is irreversible).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CONFIG_PATH = Path(__file__).resolve().parent / "config" / "scanner.yaml"

SUPPORTED_LANGUAGES = ("de", "en")
KNOWN_FAMILIES = frozenset(
    {
        "email",
        "iban",
        "phone",
        "address",
        "date_of_birth",
        "person_context",
        "person_first_name",
        "special_categories",
    }
)
# presidio-anonymizer operators that destroy the original text. "encrypt" is reversible with the
# key, "hash" salts randomly per call in Presidio (so it is neither stable nor redaction),
# "custom" runs arbitrary code and "keep" keeps the text.
ALLOWED_OPERATORS = frozenset({"replace", "redact", "mask"})


class ConfigError(ValueError):
    """The scanner configuration is invalid; the message names the offending key."""


@dataclass(frozen=True)
class ScannerConfig:
    """Validated content of scanner.yaml; ``raw_bytes`` feeds the scanner version hash."""

    path: Path
    raw_bytes: bytes
    languages: tuple[str, ...]
    nlp: dict[str, dict[str, bool]]
    recognizers: dict[str, tuple[str, ...]]
    require_special_categories: bool
    phone_regions: tuple[str, ...]
    phone_leniency: int
    thresholds: dict[str, float]
    first_names_file: Path
    detection_default: str
    detection_min_margin: float
    redaction: dict[str, dict[str, Any]]
    special_category_entities: frozenset[str]
    batch_size: int
    extra: dict[str, Any] = field(default_factory=dict)

    def threshold(self, entity_type: str) -> float:
        return self.thresholds.get(entity_type, self.thresholds["default"])

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw_bytes).hexdigest()


def _require(cond: bool, message: str) -> None:
    if not cond:
        raise ConfigError(message)


def validate_operator(entity: str, spec: Any) -> dict[str, Any]:
    """Check one redaction operator spec and return it as a plain dict."""
    _require(isinstance(spec, dict) and "type" in spec, f"redaction.{entity}: needs a 'type'")
    op = spec["type"]
    _require(
        op in ALLOWED_OPERATORS,
        f"redaction.{entity}: operator {op!r} is not allowed; only irreversible operators "
        f"{sorted(ALLOWED_OPERATORS)} may be used (encrypt is reversible, hash is salted "
        "randomly, custom/keep can keep the text)",
    )
    return dict(spec)


def load_config(path: str | Path | None = None) -> ScannerConfig:
    """Read and validate scanner.yaml (default: the one shipped with the package)."""
    cfg_path = Path(path) if path else DEFAULT_CONFIG_PATH
    raw = cfg_path.read_bytes()
    data = yaml.safe_load(raw) or {}
    _require(isinstance(data, dict), f"{cfg_path}: top level must be a mapping")

    languages = tuple(data.get("languages") or SUPPORTED_LANGUAGES)
    for lang in languages:
        _require(lang in SUPPORTED_LANGUAGES, f"languages: unsupported language {lang!r}")

    nlp = {lang: dict((data.get("nlp") or {}).get(lang) or {}) for lang in languages}

    rec_cfg = data.get("recognizers") or {}
    recognizers: dict[str, tuple[str, ...]] = {}
    for lang in languages:
        fams = tuple(rec_cfg.get(lang) or ())
        unknown = set(fams) - KNOWN_FAMILIES
        _require(not unknown, f"recognizers.{lang}: unknown families {sorted(unknown)}")
        recognizers[lang] = fams

    phone = data.get("phone") or {}
    regions = tuple(phone.get("regions") or ("DE", "AT", "CH", "GB"))

    thresholds = {str(k): float(v) for k, v in (data.get("thresholds") or {}).items()}
    thresholds.setdefault("default", 0.4)

    person = data.get("person") or {}
    names_name = str(person.get("first_names_file", "first_names.txt"))
    names_file = cfg_path.parent / names_name
    if not names_file.exists():  # a custom config may reuse the packaged list
        names_file = DEFAULT_CONFIG_PATH.parent / names_name

    det = data.get("language_detection") or {}
    det_default = str(det.get("default", "de"))
    _require(det_default in languages, "language_detection.default must be a listed language")

    red_cfg = data.get("redaction") or {}
    redaction = {
        str(entity): validate_operator(str(entity), spec) for entity, spec in red_cfg.items()
    }
    redaction.setdefault("default", {"type": "replace"})

    return ScannerConfig(
        path=cfg_path,
        raw_bytes=raw,
        languages=languages,
        nlp=nlp,
        recognizers=recognizers,
        require_special_categories=bool(data.get("require_special_categories", True)),
        phone_regions=regions,
        phone_leniency=int(phone.get("leniency", 1)),
        thresholds=thresholds,
        first_names_file=names_file,
        detection_default=det_default,
        detection_min_margin=float(det.get("min_margin", 0.2)),
        redaction=redaction,
        special_category_entities=frozenset(data.get("special_category_entities") or ()),
        batch_size=int((data.get("parallel") or {}).get("batch_size", 512)),
    )
