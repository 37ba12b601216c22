"""Irreversible redaction of a note from its findings, with presidio-anonymizer operators.

Why from findings: the findings (offsets, end exclusive) are what the warehouse stores, so the
redacted text must be exactly what they describe. Operators come from scanner.yaml and are
validated at load time (config.validate_operator): only replace / redact / mask — encrypt is
reversible and hash is salted per call, so neither is "irreversibel schwärzen" (R2).

Overlapping findings are redacted as their union (``union_spans``): redact more, never less.
The scanner reports a region holding several special categories as identical spans, best
first; the region gets the first one's operator (tag).

Fast path: with the default configuration (every type replaced by its "<ENTITY_TYPE>" tag) and
non-overlapping findings (``union_spans`` makes them so), the anonymizer's work reduces to two
rules, applied here directly (the engine costs ~100 us per note): findings of the same type
separated only by blanks become one tag (Presidio's ``_merge_entities_with_spaces_between``,
same test), and every span is replaced by its tag. Anything else goes through Presidio.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from pii_scanners.config import validate_operator
from pii_scanners.models import Finding

# presidio_anonymizer.AnonymizerEngine._merge_entities_with_spaces_between, verbatim.
_BLANKS_ONLY = re.compile(r"^( )+$")


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
        self._tags_only = self._tag_by_type and all(
            key == "DEFAULT" and not op.params for key, op in self._operators.items()
        )

    def redact(self, text: str, findings: Sequence[Finding]) -> str:
        """Text with every finding replaced; unchanged when there are no findings."""
        if not findings:
            return text
        findings = union_spans(findings)
        if self._tags_only:
            fast = _replace_with_tags(text, findings)
            if fast is not None:
                return fast
        return self.redact_with_presidio(text, findings)

    def redact_with_presidio(self, text: str, findings: Sequence[Finding]) -> str:
        """The reference: presidio-anonymizer's AnonymizerEngine with the configured operators."""
        if not findings:
            return text
        findings = union_spans(findings)
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


def union_spans(findings: Sequence[Finding]) -> list[Finding]:
    """Disjoint spans covering exactly the characters of ``findings``: each group of
    (transitively) overlapping findings becomes its union, with the type, score and recognizer
    of its first finding in the given order. Already disjoint findings come back unchanged."""
    order = sorted(range(len(findings)), key=lambda i: (findings[i].start, i))
    out: list[Finding] = []
    first: list[int] = []  # index into ``findings`` of each group's first finding (input order)
    for i in order:
        f = findings[i]
        if out and f.start < out[-1].end:
            last = out[-1]
            lead = min(first[-1], i)
            source = findings[lead]
            first[-1] = lead
            out[-1] = Finding(
                source.entity_type,
                last.start,
                max(last.end, f.end),
                source.score,
                source.recognizer,
            )
        else:
            out.append(f)
            first.append(i)
    return out


def _replace_with_tags(text: str, findings: Sequence[Finding]) -> str | None:
    """Each finding replaced by "<TYPE>", blank-separated neighbours of one type merged; None
    when findings overlap or are empty (left to Presidio's conflict rules)."""
    spans = sorted((f.start, f.end, f.entity_type) for f in findings)
    merged: list[tuple[int, int, str]] = []
    for start, end, entity in spans:
        if end <= start or start < 0 or end > len(text):
            return None
        if merged:
            p_start, p_end, p_entity = merged[-1]
            if start < p_end:
                return None
            if p_entity == entity and _BLANKS_ONLY.search(text[p_end:start]):
                merged[-1] = (p_start, end, entity)
                continue
        merged.append((start, end, entity))
    parts: list[str] = []
    pos = 0
    for start, end, entity in merged:
        parts += (text[pos:start], "<", entity, ">")
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
