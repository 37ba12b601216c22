"""Irreversible redaction: tags by default, redact/mask on request, reversible operators refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pii_scanners.anonymize import Redactor
from pii_scanners.config import DEFAULT_CONFIG_PATH, ConfigError, load_config
from pii_scanners.models import Finding, ScanRequest

TEXT = "Anruf von Herrn Brandt: 0171 2345678."
FINDINGS = [
    Finding("PERSON", 16, 22, 0.85, "PersonContextRecognizer"),
    Finding("PHONE_NUMBER", 24, 36, 0.75, "DachUkPhoneRecognizer"),
]


def test_default_redaction_replaces_each_span_with_its_entity_tag():
    assert Redactor({"default": {"type": "replace"}}).redact(TEXT, FINDINGS) == (
        "Anruf von Herrn <PERSON>: <PHONE_NUMBER>."
    )


def test_redact_and_mask_operators_can_be_chosen_per_entity():
    redactor = Redactor(
        {
            "default": {"type": "replace"},
            "PERSON": {"type": "redact"},
            "PHONE_NUMBER": {
                "type": "mask",
                "masking_char": "*",
                "chars_to_mask": 99,
                "from_end": False,
            },
        }
    )
    assert redactor.redact(TEXT, FINDINGS) == "Anruf von Herrn : ************."


def test_redaction_without_findings_returns_the_text_unchanged():
    assert Redactor({}).redact(TEXT, []) == TEXT


@pytest.mark.parametrize("operator", ["encrypt", "hash", "custom", "keep", "decrypt"])
def test_reversible_or_text_keeping_operators_are_refused_at_config_load(tmp_path, operator):
    config = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))
    config["redaction"] = {"default": {"type": "replace"}, "PERSON": {"type": operator}}
    path = Path(tmp_path) / "scanner.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    with pytest.raises(ConfigError, match=operator):
        load_config(path)
    with pytest.raises(ConfigError):
        Redactor({"PERSON": {"type": operator}})


def test_scanner_redacted_text_is_computed_from_its_findings(scanner):
    text = "Bitte an Frau Albers, albers@example.org, IBAN DE89 3704 0044 0532 0130 00."
    result = scanner.scan_batch([ScanRequest("r", text, "de")])[0]
    rebuilt, pos = [], 0
    for f in result.findings:
        rebuilt += [text[pos : f.start], f"<{f.entity_type}>"]
        pos = f.end
    rebuilt.append(text[pos:])
    assert result.redacted_text == "".join(rebuilt)
    assert "Albers" not in result.redacted_text and "DE89" not in result.redacted_text


def test_rescanning_redacted_text_reports_no_special_category(scanner):
    text = "Kundin ist Muslima und hat Diabetes; ihr Sohn ist katholisch getauft."
    first = scanner.scan_batch([ScanRequest(id="1", text=text, lang="de")])[0]
    assert {f.entity_type for f in first.findings} >= {"RELIGION", "HEALTH"}
    again = scanner.scan_batch([ScanRequest(id="1", text=first.redacted_text, lang="de")])[0]
    special = scanner.config.special_category_entities
    assert [f for f in again.findings if f.entity_type in special] == []
