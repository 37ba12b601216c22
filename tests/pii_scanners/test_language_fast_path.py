"""The language detector's fast route gives exactly what the plain algorithm gives.

``detect_language`` counts cue words on folded Latin-1 bytes (``_latin1_counts``) and caches
its decision; the reference here is the algorithm written out plainly, with the ``regex``
module's letter class: lowercase, ``\\p{L}+(?:['’]\\p{L}+)?`` words, stop-word counts, umlauts
matched ignoring case. Compared on the test data, on hand-picked edge cases and on seeded
random strings built to hit every branch (apostrophes of both kinds, case, ß/ẞ, İ, Latin-1
letters and non-letters, dashes and quotes beyond Latin-1, letters of other scripts, astral
characters, surrogates, digits and underscores glued to words).
"""

from __future__ import annotations

import json
import random
import string
from pathlib import Path

import pytest
import regex

from pii_scanners import language
from pii_scanners.language import ENGLISH, GERMAN, Detection, detect_language

DATA_DIR = Path(__file__).resolve().parent / "data"
WORD = regex.compile(r"\p{L}+(?:['’]\p{L}+)?")
UMLAUT = regex.compile(r"[äöüß]", regex.IGNORECASE)


def reference_counts(text: str) -> tuple[int, int, int]:
    """German cue words, English cue words and umlauts, the plain way."""
    words = WORD.findall(text.lower())
    german = sum(word in GERMAN for word in words)
    english = sum(word in ENGLISH for word in words)
    return german, english, len(UMLAUT.findall(text))


def reference(text: str, default: str = "de") -> Detection:
    """The detector as first written, without any fast path."""
    german, english, umlauts = reference_counts(text)
    en = float(english)
    de = german + 0.5 * min(umlauts, 6)
    total = de + en
    if total == 0:
        return Detection(default, 0.0)
    lang = "de" if de > en else "en" if en > de else default
    return Detection(lang, round(abs(de - en) / total * min(1.0, total / 3), 3))


HAND_PICKED = [
    "",
    " ",
    "\t\n\r\x0b\x0c",
    "\u3000\xa0",
    "'",
    "’",
    "''",
    "it's",
    "it’s",
    "IT'S",
    "It's it's",
    "don't don't",
    "don’t",
    "isn't the",
    "hat's",
    "Hat’s",
    "her's",
    "HER’S",
    "a'b'c'd",
    "a'the",
    "the'a",
    "'the'",
    "the''the",
    "the' the",
    "rock'n'roll the",
    "it's'the it's",
    "'the the'",
    "so 'the",
    "İst",
    "İ",
    "STRAẞE die",
    "ẞ",
    "ẞÄÖÜäöüß",
    "x²die",
    "die²",
    "die¹ der³ das¼",
    "Ⅻund",
    "und_die",
    "die1der",
    "1die",
    "Über die Grüße",
    "Äpfel und Öl",
    "ÜBER DIE GRÜSSE",
    "DON'T STOP",
    "Kd. KD kd",
    "\u212aD und",  # KELVIN SIGN lowercases to an ASCII k
    "\u212bnd und",  # ANGSTROM SIGN lowercases to å
    "ǅie ǆie",
    "ΣΑΣ the ΣΑΣ",
    "\U0001df95\U0001df95 die",
    "\U0001d400the 𝐀 die",
    "die\u0301 d\u0301ie",
    "ﬀ the",
    "the\x00die",
    "die\ufeffthe",
    "die\xadthe",
    "µ the ª die º",
    "die×der÷das",
    "Kunde – bitte „zurückrufen“ … 5 €",
    "Customer “asked” — the parcel 👍 is on its way",
    "Zażółć gęślą jaźń und der",
    "Łukasz und die Kinder",
    "Привет the мир",
    "\ud800 die \udfff the",
    "the " * 500,
    "der " * 500,
    "ä" * 20,
    "12345 / 678",
    "Lego Duplo 10915",
]


def random_texts(count: int, seed: int) -> list[str]:
    """Random notes built from cue words (in any case) and the characters that could break
    the fast route, so that both routes and every branch of the fast one are exercised."""
    rng = random.Random(seed)
    cues = sorted(GERMAN | ENGLISH)
    fillers = ["th", "er", "ie", "un", "s", "t", "m", "ll", "xyz", "über", "ÿ", "ß", "ça", "né"]
    latin1 = [chr(code) for code in range(0x80, 0x100)]
    odd = [
        *"'’‘`´ʼ\"_-.,;:!?()/\\0123456789\t\n",
        *"ßẞİıÄÖÜäöüΣσςǅKÅ²³¹¼½①Ⅻ٣０–—„“”«»…€\xa0\xad\u0301\u0307\u2028\u3000\u200b\ufeff",
        "\x00",
        "\U0001df95",
        "\U0001d400",
        "😀",
        "\ud800",
        "中",
        "ł",
        "Ж",
        "ω",
    ]
    beyond = [chr(code) for code in range(0x100, 0x3000, 7)]
    separators = [" ", " ", " ", "", "'", "’", ", ", "-", "\n", "1", "_", "ß", "²", "–", "\xa0"]
    texts = []
    for _ in range(count):
        mode = rng.random()  # half the notes stay within Latin-1, as most real ones do
        parts = []
        for _ in range(rng.randint(0, 12)):
            roll = rng.random()
            if roll < 0.5:
                word = rng.choice(cues)
                case = rng.random()
                word = word.upper() if case < 0.15 else word.title() if case < 0.3 else word
            elif roll < 0.7:
                word = "".join(rng.choice(fillers) for _ in range(rng.randint(1, 3)))
            elif roll < 0.85 or mode < 0.5:
                word = rng.choice(latin1) + rng.choice(string.ascii_letters)
            else:
                word = rng.choice(odd) if rng.random() < 0.6 else rng.choice(beyond)
            parts.append(word)
        text = ""
        for part in parts:
            separator = rng.choice(separators) if rng.random() < 0.5 else " "
            if mode < 0.5 and not separator.isascii():
                separator = " "
            text += part + separator
        texts.append(text.strip() if rng.random() < 0.5 else text)
    return texts


def data_texts() -> list[str]:
    """The note texts of the test data."""
    texts = []
    for path in sorted(DATA_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


@pytest.mark.parametrize("text", HAND_PICKED)
def test_hand_picked_notes_are_detected_as_by_the_plain_algorithm(text):
    for default in ("de", "en", "fr"):
        assert detect_language(text, default) == reference(text, default), text
    counts = language._latin1_counts(text)
    assert counts is None or counts == reference_counts(text), text


def test_random_and_test_data_notes_are_detected_as_by_the_plain_algorithm():
    texts = data_texts() + random_texts(20_000, seed=20241202)
    fast = 0
    for text in texts:
        assert detect_language(text) == reference(text), text
        counts = language._latin1_counts(text)
        if counts is not None:
            fast += 1
            assert counts == reference_counts(text), text
        assert language._plain_counts(text) == reference_counts(text), text
    # The comparison means something only if both routes were taken often.
    assert 0.5 * len(texts) < fast < 0.95 * len(texts)


def test_other_defaults_are_returned_on_ties_and_without_cues():
    rng = random.Random(7)
    for text in [*random_texts(2_000, seed=7), "", "12345", "die the", "the die"]:
        default = rng.choice(["de", "en", "fr", ""])
        assert detect_language(text, default) == reference(text, default), (text, default)


def test_the_latin1_fold_is_lowercasing_and_the_word_pattern_byte_by_byte():
    for byte in range(256):
        char = chr(byte)
        folded = chr(language._LATIN1_FOLD[byte])
        if char == "'":
            assert folded == "'"
        elif WORD.fullmatch(char.lower()):
            assert folded == char.lower() and folded not in " '"
        else:
            assert folded == " "
        # Text beyond Latin-1 is lowercased before folding: folding again must not change it.
        assert language._LATIN1_FOLD[ord(folded)] == ord(folded)
    assert not any(char.isascii() for char in language._GERMAN_CHARS)


def test_the_fast_route_declines_what_it_cannot_fold():
    for text in ["it’s", "Łukasz", "Привет", "the 😀", "\ud800", "\U0001df95"]:
        assert language._latin1_counts(text) is None, text
    # Beyond Latin-1 but lowercased into it, or non-letters only.
    for text in ["„Kunde“ – 5 €", "the … end", "ÄÖÜ ß", "x²", "ẞ", "İst", "Ⅻ", "\u212aD"]:
        assert language._latin1_counts(text) is not None, text
