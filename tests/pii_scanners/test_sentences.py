"""The sentence rule that bounds context, veto and governor windows (pii_scanners.sentences)."""

from __future__ import annotations

from pii_scanners.sentences import Sentences, load_abbreviations, sentence_ends


def _sentences(text: str) -> list[str]:
    return [text[a:b].strip() for a, b in Sentences(text).spans() if text[a:b].strip()]


def test_dots_question_marks_semicolons_and_line_breaks_end_sentences():
    text = "Kunde hat Diabetes. Toy kam an! Warum? Erst Montag; dann Dienstag\nNeue Zeile"
    assert _sentences(text) == [
        "Kunde hat Diabetes.",
        "Toy kam an!",
        "Warum?",
        "Erst Montag;",
        "dann Dienstag",
        "Neue Zeile",
    ]


def test_abbreviations_initials_and_ordinals_do_not_end_a_sentence():
    text = "Dr. Krebs kam am 3. Mai, z. B. mit Frau J. Berger vom Bahnhofstr. 4 zurück. Ende."
    assert _sentences(text) == [
        "Dr. Krebs kam am 3. Mai, z. B. mit Frau J. Berger vom Bahnhofstr. 4 zurück.",
        "Ende.",
    ]


def test_decimals_and_dates_inside_a_sentence_do_not_end_it_but_a_closing_date_does():
    text = "Geboren 30.01.2013, Dosis 3.5 mg, e.g. daily. Lieferung am 14.02. Toy kam."
    assert _sentences(text) == [
        "Geboren 30.01.2013, Dosis 3.5 mg, e.g. daily.",
        "Lieferung am 14.02.",
        "Toy kam.",
    ]


def test_a_dot_before_a_lowercase_word_does_not_end_a_sentence():
    assert _sentences("Lieferung ca. fünf Tage. Danke") == ["Lieferung ca. fünf Tage.", "Danke"]


def test_bounds_give_the_sentence_around_a_span():
    text = "Erster Satz. Zweiter Satz mit Krebs. Dritter."
    start = text.index("Krebs")
    lo, hi = Sentences(text).bounds(start, start + 5)
    assert text[lo:hi].strip() == "Zweiter Satz mit Krebs."
    assert sentence_ends("") == []


def test_the_abbreviation_lists_load_lowercase_without_dots():
    words = load_abbreviations()
    assert {"dr", "bzw", "mrs", "nr"} <= words
    assert all(w == w.lower() and not w.endswith(".") for w in words)
