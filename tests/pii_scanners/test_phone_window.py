"""The phone recognizer's windowed libphonenumber walk (``scan_window``, ``_WindowMatcher``)
returns exactly what the full walk over the whole note returned, followed by ``_keep``.

Why a randomized comparison: the window's exactness rests on how libphonenumber walks a text
(common_phone_recognizer.scan_window); the texts below put phone numbers next to what that
walk stumbles over: order numbers, dates, times, prices, brackets, "+" signs, extensions
("ext. 12", "x 45") and phone words, glued by blanks, slashes, hyphens and line breaks.
"""

from __future__ import annotations

import hashlib
import inspect
import random
import sys
from pathlib import Path

import phonenumbers
import pytest
from conftest import DEV_NOTES
from phonenumbers import Leniency
from phonenumbers import phonenumbermatcher as libmatcher
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

from pii_scanners.recognizers.common_phone_recognizer import (
    _PHONE_WORD_BEFORE,
    DachUkPhoneRecognizer,
    _every_number_after_a_phone_word_taken,
    phone_candidates,
    scan_window,
)

REPO = Path(__file__).resolve().parents[2]
#: sha256 of the library methods _WindowMatcher copies or relies on (phonenumbers 9.0.43).
LIBRARY_SOURCES = {
    "_find": "a9e89d83733105cbc7e9f5d751e7d931d386308800fa4b8e9e903ffde60d1f8d",
    "has_next": "5206c1c330b62d3f0d84fbd3d2f79101e8ef2cf571b335aa20e8cf457158b789",
}
PHONES = (
    "0221 4711 0815", "+49 (0)30 1234567", "+49 30 12345678", "030/1234567", "0049 89 1234567",
    "020 7946 0018", "07700 900123", "+44 20 7946 0018", "(0221) 47 11 08", "0 221 4711-0815",
    "+43 1 5880", "044 668 18 00", "+41 44 668 18 00", "0171 2345678", "0171-234 56 78",
)  # fmt: skip
NOISE = (
    "Bestellung 1234567", "Rechnung 20240312", "am 12.03.2024", "um 14:30", "14:30:15",
    "Betrag 129,90 EUR", "Art. 443-12", "ext. 12", "x 45", "Durchwahl -23", "(0)", "+", "[",
    "1 2 3 4 5 6", "PLZ 50667", "Kundennr. 00012345", "Seite 12/13", "12/2023", "#12",
    "Tel.", "Telefon:", "phone", "call me on", "Fax", "ruf an", "Handy", "Nr.", "€ 1234567",
    "100% 1234567", "abc1234567", "1234567def", "Tracking 00340434161234567890",
)  # fmt: skip
GLUE = (" ", " ", " ", "", "-", "/", "\n", ", ", ". ", " (", ") ", " / ", ": ")


def reference(recognizer: DachUkPhoneRecognizer, text: str) -> list[tuple]:
    """The recognizer before the window: Presidio's full walk per region, then ``_keep``, then
    the full POSSIBLE walks after a phone word."""
    candidates = phone_candidates(text)
    if not candidates:
        return []
    results = [
        r
        for r in PhoneRecognizer.analyze(recognizer, text, ["PHONE_NUMBER"])
        if recognizer._keep(text, r.start, r.end, candidates)
    ]
    found = []
    if not _every_number_after_a_phone_word_taken(text, results):
        for region in recognizer.supported_regions:
            for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=Leniency.POSSIBLE):
                start, end = match.start, match.end
                if (
                    any(r.start < end and start < r.end for r in results + found)
                    or not _PHONE_WORD_BEFORE.search(text, max(0, start - 40), start)
                    or not recognizer._keep(text, start, end, candidates)
                ):
                    continue
                found.append(recognizer._get_recognizer_result(match, text, region, None))
    return [(r.entity_type, r.start, r.end, r.score) for r in results + found]


def observed(recognizer: DachUkPhoneRecognizer, text: str) -> list[tuple]:
    return [(r.entity_type, r.start, r.end, r.score) for r in recognizer.analyze(text, [])]


def random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = [
            rng.choice(PHONES if rng.random() < 0.3 else NOISE) for _ in range(rng.randint(2, 9))
        ]
        texts.append("".join(p + rng.choice(GLUE) for p in parts))
    return texts


def test_the_library_methods_the_window_matcher_relies_on_are_unchanged() -> None:
    for name, digest in LIBRARY_SOURCES.items():
        source = inspect.getsource(getattr(libmatcher.PhoneNumberMatcher, name))
        assert hashlib.sha256(source.encode()).hexdigest() == digest, (
            f"phonenumbers changed PhoneNumberMatcher.{name}: check _WindowMatcher"
        )


def test_the_window_starts_before_the_first_candidate_and_stops_at_the_last_ones_end() -> None:
    text = "Bestellung 1234567 vom 12.03.2024, Rückruf unter 0221 4711 0815 bis 14:30."
    candidates = phone_candidates(text)
    start, stop = scan_window(text, candidates)
    assert start <= min(c[0] for c in candidates)
    assert start > text.index("12.03")  # the order number and the date lie before the window
    assert stop == max(c[1] for c in candidates)


def test_windowed_phone_findings_equal_the_full_walk_on_generated_texts() -> None:
    recognizer = DachUkPhoneRecognizer("de", ["DE", "AT", "CH", "GB"])
    texts = random_texts(1500, seed=16)
    assert sum(bool(phone_candidates(t)) for t in texts) > 1000
    differing = [
        i for i, t in enumerate(texts) if observed(recognizer, t) != reference(recognizer, t)
    ]
    assert not differing, f"{len(differing)} texts differ, e.g. #{differing[:5]}"
    assert sum(len(reference(recognizer, t)) for t in texts[:200]) > 100


def test_windowed_phone_findings_equal_the_full_walk_on_dense_notes() -> None:
    if not DEV_NOTES.exists():
        pytest.skip(f"labelled dev notes not found at {DEV_NOTES}")
    sys.path.insert(0, str(REPO / "benchmarks"))
    import scan_throughput

    recognizer = DachUkPhoneRecognizer("de", ["DE", "AT", "CH", "GB"])
    texts = [n.text for n in scan_throughput.dense_notes(4000, seed=3) if phone_candidates(n.text)]
    assert len(texts) > 150
    differing = [
        i for i, t in enumerate(texts) if observed(recognizer, t) != reference(recognizer, t)
    ]
    assert not differing, f"{len(differing)} dense notes differ, e.g. #{differing[:5]}"
