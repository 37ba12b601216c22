"""Irreversible redaction of a note from its findings, with presidio-anonymizer operators.

Why from findings: the findings (offsets, end exclusive) are what the warehouse stores, so the
redacted text must be exactly what they describe. Operators come from scanner.yaml and are
validated at load time (config.validate_operator): only replace / redact / mask — encrypt is
reversible and hash is salted per call, so neither is "irreversibel schwärzen" (R2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from pii_scanners.config import validate_operator
from pii_scanners.models import Finding


class Redactor:
    """Applies the configured operator per entity type; default ``replace`` with <ENTITY>."""

    def __init__(self, operators: Mapping[str, Mapping[str, Any]]) -> None:
        self._engine = AnonymizerEngine()
        self._operators: dict[str, OperatorConfig] = {}
        for entity, spec in operators.items():
            spec = validate_operator(entity, dict(spec))
            params = {k: v for k, v in spec.items() if k != "type"}
            key = "DEFAULT" if entity == "default" else entity
            self._operators[key] = OperatorConfig(spec["type"], params)
        default = self._operators.get("DEFAULT")
        self._tag_by_type = default is None or (
            default.operator_name == "replace" and "new_value" not in default.params
        )

    def redact(self, text: str, findings: Sequence[Finding]) -> str:
        """Text with every finding replaced; unchanged when there are no findings."""
        if not findings:
            return text
        results = [RecognizerResult(f.entity_type, f.start, f.end, f.score) for f in findings]
        operators = dict(self._operators)
        if self._tag_by_type:
            # Presidio's replace default is "<ENTITY_TYPE>" too; spelled out so that the
            # contract does not depend on a library default.
            for f in findings:
                operators.setdefault(
                    f.entity_type, OperatorConfig("replace", {"new_value": f"<{f.entity_type}>"})
                )
        return self._engine.anonymize(text, results, operators).text
