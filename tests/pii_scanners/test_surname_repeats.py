"""Surname-only mentions of a name the note itself introduces (recognizers/surname_repeats.py),
through the real scanner, plus the post-pass on its own. Notes written for these tests."""

from __future__ import annotations

from pii_scanners.models import Finding, ScanRequest
from pii_scanners.recognizers.surname_repeats import add_name_repeats


def _persons(scanner, text: str, lang: str = "de", known: tuple[str, ...] = ()) -> list[str]:
    result = scanner.scan_batch([ScanRequest("r", text, lang, known)])[0]
    return [text[f.start : f.end] for f in result.findings if f.entity_type == "PERSON"]


def test_a_surname_introduced_with_an_honorific_is_found_again_alone(scanner):
    text = "Frau Brenninkmeyer rief an. Brenninkmeyer bittet um Rückruf bis Freitag."
    assert _persons(scanner, text) == ["Brenninkmeyer", "Brenninkmeyer"]


def test_a_later_full_name_marks_an_earlier_bare_surname(scanner):
    text = "Rückfrage von Okafor zur Lieferung. Gez. Herr Chidi Okafor"
    assert _persons(scanner, text).count("Okafor") == 1
    assert "Okafor" in _persons(scanner, text)[0]


def test_a_given_name_before_a_birth_date_is_found_again(scanner):
    text = "Betrifft: Quandt, Mirella, geb. 03.02.1961. Mirella kommt am Montag wieder."
    assert _persons(scanner, text) == ["Quandt, Mirella", "Mirella"]


def test_a_possessive_form_of_the_name_is_found(scanner):
    text = "Herr Wojcik hat angerufen. Wojciks Paket kam beschädigt an."
    assert _persons(scanner, text) == ["Wojcik", "Wojciks"]


def test_rank_nouns_are_never_spread_over_the_note(scanner):
    text = "Sehr geehrte Frau Kollegin Brenner, die Kollegin aus der Ambulanz meldet sich."
    assert _persons(scanner, text) == ["Brenner"]


def test_a_gazetteer_guess_is_not_spread_over_the_note(scanner):
    text = "Für Paul Geschenke kaufen. Geschenke bitte einzeln einpacken."
    assert "Geschenke" not in _persons(scanner, text)[1:]
    assert _persons(scanner, text)[0].startswith("Paul")


def test_a_company_named_after_the_person_is_not_a_person(scanner):
    text = "Herr Baumgart ruft an. Rechnung an Baumgart Haustechnik GmbH, bitte."
    assert _persons(scanner, text) == ["Baumgart"]


def test_a_note_without_names_is_returned_unchanged():
    findings = [Finding("HEALTH", 0, 5, 0.9, "x")]
    assert add_name_repeats("Grippe seit Montag.", findings) is findings


def test_repeats_never_overlap_another_finding():
    text = "Herr Krebs meldet: Krebs seit 2019, Krebs-Nachsorge."
    seed = Finding("PERSON", 5, 10, 0.85, "PersonContextRecognizer")
    health = Finding("HEALTH", 19, 24, 0.9, "SpecialCategoryRecognizer")
    out = add_name_repeats(text, [seed, health])
    assert [(f.entity_type, text[f.start : f.end]) for f in out] == [
        ("PERSON", "Krebs"),
        ("HEALTH", "Krebs"),
    ]


def test_weak_findings_do_not_seed_repeats():
    text = "Grüße Tessa. Tessa"
    weak = Finding("PERSON", 6, 11, 0.5, "PersonContextRecognizer")
    assert add_name_repeats(text, [weak]) == [weak]


def test_a_known_given_name_with_a_surname_seeds_surname_only_mentions(scanner):
    text = "Ministerin Annalena Kowalczyk reiste ab. Kowalczyk sagte am Abend, sie komme wieder."
    assert _persons(scanner, text) == ["Annalena Kowalczyk", "Kowalczyk"]


def test_scanning_with_and_without_the_prefilter_gives_the_same_repeats(scanner):
    text = "Patientin M. Oyelaran, geboren am 1.2.1990. Oyelaran wurde entlassen."
    request = ScanRequest("p", text, "de")
    fast = scanner.scan_batch([request])[0].findings
    _lang, languages = scanner.languages_for(request)
    assert scanner.analyze(request, languages, None) == fast
    assert [text[f.start : f.end] for f in fast if f.entity_type == "PERSON"] == [
        "M. Oyelaran",
        "Oyelaran",
    ]
