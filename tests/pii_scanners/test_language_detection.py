"""Offline de/en detection for lang=auto, and scanning a note in the other language."""

from __future__ import annotations

import pytest

from pii_scanners.language import detect_language
from pii_scanners.models import ScanRequest


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Ich wünsche mir ein Fahrrad und ein Buch, bitte bring es mir.", "de"),
        ("Kunde fragt nach der Lieferung, Paket ist unterwegs.", "de"),
        ("Größe passt nicht, Umtausch gewünscht.", "de"),
        ("Customer asked about the delivery, the parcel is on its way.", "en"),
        ("Dear Santa, I would like a bike and a book please.", "en"),
        ("Please leave it with the neighbour if I'm out.", "en"),
    ],
)
def test_language_of_a_clear_note_is_detected_with_a_good_margin(text, lang):
    detection = detect_language(text)
    assert detection.lang == lang
    assert detection.margin >= 0.5


def test_note_without_cues_falls_back_to_the_default_with_zero_margin():
    detection = detect_language("12345 / 678", default="de")
    assert detection.lang == "de" and detection.margin == 0.0


def test_uncertain_note_is_analysed_with_both_languages(scanner):
    lang, languages = scanner.languages_for(ScanRequest("x", "Lego Duplo 10915", None))
    assert lang == "de" and set(languages) == {"de", "en"}


def test_given_language_is_used_as_is(scanner):
    assert scanner.languages_for(ScanRequest("x", "Dear Santa", "de")) == ("de", ("de",))


def test_auto_detects_an_english_note_in_a_german_batch(scanner):
    text = "Customer asked us to call her husband on 020 7946 0018, he is the account holder."
    result = scanner.scan_batch([ScanRequest("x", text, "auto")])[0]
    assert result.lang == "en"
    assert "PHONE_NUMBER" in {f.entity_type for f in result.findings}
