"""Lexicon lint: entries that can never match, rules that veto their own positives, duplicates,
and every rule proven by its own examples.

Why: the lexicons are edited by hand. A term the matcher can never report (a lowercase noun in a
``case: exact`` entry, a term inside one of its file's exclusions, a veto head inside the term)
looks like coverage to a DPO reading the file and silently is none. These tests find such
entries mechanically, so a lexicon change cannot add dead policy.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
import spacy_lookups_data

from pii_scanners.lexicons.loader import (
    LEXICON_DIR,
    CategoryLexicon,
    Entry,
    load_category_file,
    load_language,
    term_key,
    trigger_terms,
)
from pii_scanners.prefilter import Prefilter
from pii_scanners.recognizers.special_category.matcher import get_matcher
from pii_scanners.recognizers.special_category.spelling import unleet
from pii_scanners.recognizers.special_category.writer import writer_gender

LANGS = ("de", "en")
DATA = Path(__file__).parent / "data"
#: Entries with a rule (``requires`` or a veto) that predate the ``examples`` key. The list may
#: only shrink: a new rule needs its examples, and an entry that gains them must leave the list.
LEGACY_WITHOUT_EXAMPLES = DATA / "lexicon_rules_without_examples.txt"
#: A lowercase word is a German noun written lowercase when its capitalised form is this many
#: natural-log units more frequent (about 12x) in spacy-lookups-data's lexeme table.
NOUN_LOGPROB_MARGIN = 2.5


def entry_id(lex: CategoryLexicon, entry: Entry) -> str:
    """Stable id of an entry (its index shifts when entries are added): file and first term."""
    return f"{lex.language}/{lex.path.name}:{entry.terms[0]}"


def all_entries() -> list[tuple[CategoryLexicon, int, Entry]]:
    out = []
    for lang in LANGS:
        _, lexicons = load_language(lang)
        for lex in lexicons:
            out.extend((lex, i, entry) for i, entry in enumerate(lex.entries))
    return out


def has_rule(entry: Entry) -> bool:
    return bool(
        entry.requires
        or entry.writer
        or entry.veto_context
        or entry.veto_before
        or entry.veto_after
        or entry.veto_heads
    )


def plain(term: str) -> str:
    return term.replace("[", "").replace("]", "")


@cache
def german_logprob() -> dict[str, float]:
    path = Path(spacy_lookups_data.__file__).parent / "data" / "de_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def is_lowercased_noun(word: str) -> bool:
    """Is ``word`` (lowercase) a German noun, i.e. almost always written with a capital?"""
    prob = german_logprob()
    capital = prob.get(word[:1].upper() + word[1:])
    if capital is None:
        return False
    return capital - prob.get(word, -20.0) > NOUN_LOGPROB_MARGIN


ENTRIES = all_entries()
ENTRY_IDS = [f"{lex.language}/{lex.path.name}#{i}" for lex, i, _ in ENTRIES]


# ----------------------------------------------------------------------- the lint itself


def test_the_noun_check_tells_nouns_from_other_words() -> None:
    assert is_lowercased_noun("ohr")
    assert is_lowercased_noun("tochter")
    assert not is_lowercased_noun("taub")
    assert not is_lowercased_noun("ist")


@pytest.mark.parametrize(("lex", "index", "entry"), ENTRIES, ids=ENTRY_IDS)
def test_an_exact_case_german_term_never_writes_a_noun_in_lower_case(
    lex: CategoryLexicon, index: int, entry: Entry
) -> None:
    if lex.language != "de" or entry.case != "exact":
        pytest.skip("only German case-exact entries")
    dead = [
        (term, word)
        for term in entry.terms
        for word in plain(term).split()
        if word.isalpha() and word.islower() and is_lowercased_noun(word)
    ]
    assert not dead, f"{lex.path.name} entries[{index}]: these terms can never match: {dead}"


@pytest.mark.parametrize(("lex", "index", "entry"), ENTRIES, ids=ENTRY_IDS)
def test_a_term_without_requirements_is_found_when_it_stands_alone(
    lex: CategoryLexicon, index: int, entry: Entry
) -> None:
    """A term that no text can produce on its own is shadowed (an exclusion, a veto head,
    another category's longer term) or mis-cased: dead policy."""
    if entry.requires or entry.writer:
        pytest.skip("needs a governor, context or writer; proven by its examples")
    matcher = get_matcher(lex.language)
    dead = []
    for term in entry.terms:
        text = plain(term)
        if not any(f.entity_type == lex.entity for f in matcher.find(text)):
            dead.append(text)
    assert not dead, f"{lex.path.name} entries[{index}]: never matches: {dead}"


@pytest.mark.parametrize(("lex", "index", "entry"), ENTRIES, ids=ENTRY_IDS)
def test_no_rule_vetoes_its_own_terms(lex: CategoryLexicon, index: int, entry: Entry) -> None:
    """An exclusion of the file inside the term drops every hit of it ("unite the" kills
    "Unite the union"); exclusions match whole words, a trailing ``*`` leaves the end open."""
    own = []
    for term in entry.terms:
        key = f" {term_key(term)} "
        for ex in lex.exclusions:
            probe = f" {ex[:-1]}" if ex.endswith("*") else f" {ex} "
            if probe in key:
                own.append((term, ex))
    assert not own, f"{lex.path.name} entries[{index}]: vetoes its own terms via {own}"


@pytest.mark.parametrize("lang", LANGS)
def test_no_term_is_listed_under_two_categories(lang: str) -> None:
    _, lexicons = load_language(lang)
    seen: dict[str, set[str]] = defaultdict(set)
    for lex in lexicons:
        for entry in lex.entries:
            for term in entry.terms:
                seen[term_key(term)].add(lex.entity)
    twice = {key: sorted(cats) for key, cats in seen.items() if len(cats) > 1}
    assert not twice


@pytest.mark.parametrize("lang", LANGS)
def test_no_term_is_only_an_inflection_of_another_term_of_its_entry(lang: str) -> None:
    """``lesbe`` and ``lesben`` in one inflecting entry: the second adds nothing but noise."""
    settings, lexicons = load_language(lang)
    redundant = []
    for lex in lexicons:
        for entry in lex.entries:
            if not entry.inflect or entry.compound != "none" or entry.case == "exact":
                continue
            keys = {term_key(t) for t in entry.terms if "[" not in t}
            for key in keys:
                for ending in settings.inflections:
                    if key.endswith(ending) and key[: -len(ending)] in keys:
                        redundant.append((lex.path.name, key))
                        break
    assert len(redundant) <= REDUNDANT_INFLECTIONS_TOLERATED[lang], redundant


#: Harmless (the matcher finds these forms either way) but noise; the figure may only go down.
REDUNDANT_INFLECTIONS_TOLERATED = {"de": 115, "en": 51}


# ----------------------------------------------------------------- rules carry their proof


def legacy_ids() -> list[str]:
    lines = LEGACY_WITHOUT_EXAMPLES.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def test_every_rule_carries_a_positive_and_a_negative_example() -> None:
    legacy = set(legacy_ids())
    missing = [
        entry_id(lex, entry)
        for lex, _, entry in ENTRIES
        if has_rule(entry)
        and not (entry.examples_match and entry.examples_no_match)
        and entry_id(lex, entry) not in legacy
    ]
    assert not missing, f"add examples: {{match: [...], no_match: [...]}} to {missing}"


def test_the_list_of_rules_without_examples_only_names_entries_that_still_lack_them() -> None:
    current = {
        entry_id(lex, entry)
        for lex, _, entry in ENTRIES
        if has_rule(entry) and not (entry.examples_match and entry.examples_no_match)
    }
    stale = [i for i in legacy_ids() if i not in current]
    assert not stale, f"remove from {LEGACY_WITHOUT_EXAMPLES.name}: {stale}"
    assert len(legacy_ids()) == len(set(legacy_ids()))


EXAMPLES = [
    (lex, i, entry, text, positive)
    for lex, i, entry in ENTRIES
    for positive, texts in ((True, entry.examples_match), (False, entry.examples_no_match))
    for text in texts
]


@pytest.mark.parametrize(
    ("lex", "index", "entry", "text", "positive"),
    EXAMPLES,
    ids=[
        f"{lex.language}/{lex.path.name}#{i}-{'match' if pos else 'no_match'}-{n}"
        for n, (lex, i, _, _, pos) in enumerate(EXAMPLES)
    ],
)
def test_each_lexicon_example_is_found_or_left_alone_as_its_entry_says(
    lex: CategoryLexicon, index: int, entry: Entry, text: str, positive: bool
) -> None:
    findings = get_matcher(lex.language).find(text)
    ref = f"{lex.language}/{lex.path.name}#entries[{index}]"
    if positive:
        assert any(f.entity_type == lex.entity for f in findings), (ref, "no finding")
        # The finding is this entry's (a merge may keep another entry's ref for the union).
        assert any(f.entity_type == lex.entity and f.ref == ref for f in findings) or any(
            f.entity_type == lex.entity
            and any(term_key(t) in text.lower()[f.start : f.end].lower() for t in entry.terms)
            for f in findings
        ), (ref, "found by another entry only")
    else:
        assert not any(f.entity_type == lex.entity for f in findings), (ref, "unexpected finding")


def test_a_malformed_examples_key_is_refused_with_file_and_key(tmp_path: Path) -> None:
    src = LEXICON_DIR / "en" / "biometric.yaml"
    bad = tmp_path / "en" / "biometric.yaml"
    bad.parent.mkdir()
    text = src.read_text(encoding="utf-8").replace(
        "entries:\n", "entries:\n  - terms: [voiceprintx]\n    examples: {matches: [a]}\n", 1
    )
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"entries\[0\]\.examples"):
        load_category_file(bad)


# ------------------------------------------------------------ guards against look-alike words


@pytest.mark.parametrize("lang", LANGS)
def test_no_homograph_is_itself_a_lexicon_term(lang: str) -> None:
    settings, lexicons = load_language(lang)
    keys = {term_key(t) for lex in lexicons for e in lex.entries for t in e.terms}
    assert not set(settings.homographs) & keys


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Sie liest gerade einen Roman, das ist ein Roman über Venedig."),
        ("de", "Christine ruft morgen wegen der Lieferung an."),
        ("de", "Die Kooperation mit dem Lieferanten läuft gut."),
        ("en", "I can't see why the parcel was returned."),
    ],
)
def test_a_word_that_only_contains_a_term_is_not_a_finding(lang: str, text: str) -> None:
    assert get_matcher(lang).find(text) == ()


@pytest.mark.parametrize(
    ("lang", "text", "entity"),
    [
        ("de", "Nach der Herzoperation braucht sie Ruhe.", "HEALTH"),
        ("de", "Die Kundin ist gläubige Christin.", "RELIGION"),
        ("de", "Herr Ott ist Diabetiker.", "HEALTH"),
        ("en", "She can't see well since the accident.", "HEALTH"),
    ],
)
def test_the_guards_leave_real_compounds_inflections_and_impairments_alone(
    lang: str, text: str, entity: str
) -> None:
    assert any(f.entity_type == entity for f in get_matcher(lang).find(text))


# ------------------------------------------------------------- look-alike digits (spelling.py)


@pytest.mark.parametrize("lang", LANGS)
def test_no_term_changes_when_look_alike_digits_are_read_as_letters(lang: str) -> None:
    """The matcher reads "4" between letters as "a": a term such as "h1n1" would never match."""
    _, lexicons = load_language(lang)
    changed = [
        term
        for lex in lexicons
        for entry in lex.entries
        for term in entry.terms
        if unleet(term_key(term)) != term_key(term)
    ]
    assert not changed


def test_look_alike_digits_between_letters_read_as_letters_and_keep_offsets() -> None:
    low = "ihr schw4rzen, brca1, apoe4, covid-19, 2% und tel. 0171 5550123"
    out = unleet(low)
    assert len(out) == len(low)
    assert out.startswith("ihr schwarzen, brca1, apoe4, covid-19, 2% und tel. 0171 5550123"[:13])
    assert out[14:] == low[14:]


@pytest.mark.parametrize(
    ("lang", "text", "entity", "span"),
    [
        (
            "de",
            "Der Fahrer nannte sie eine Schw4rze, das wurde gemeldet.",
            "ETHNIC_ORIGIN",
            "Schw4rze",
        ),
        ("de", "Im Chat stand, Beh1nderte seien schuld.", "HEALTH", "Beh1nderte"),
        ("en", "The driver called him a f4ggot at the door.", "SEX_LIFE", "f4ggot"),
    ],
)
def test_a_disguised_term_is_found_with_its_original_offsets(
    lang: str, text: str, entity: str, span: str
) -> None:
    start = text.index(span)
    found = [(f.entity_type, f.start, f.end) for f in get_matcher(lang).find(text)]
    assert (entity, start, start + len(span)) in found


def test_the_prefilter_lets_a_disguised_term_through() -> None:
    prefilter = Prefilter(trigger_terms("de"), (), None, ["ETHNIC_ORIGIN"])
    assert prefilter.candidate_entities("Der Fahrer nannte sie eine Schw4rze.") == {"ETHNIC_ORIGIN"}
    assert prefilter.candidate_entities("Der Fahrer nannte sie eine Schwalbe.") == frozenset()


# ------------------------------------------------------------------ who wrote it (writer.py)


@pytest.mark.parametrize(
    ("text", "gender"),
    [
        ("Paket bitte beim Nachbarn abgeben.\nViele Grüße\nJulia Brandt", "female"),
        ("Please ring twice. Cheers, Oliver", "male"),
        ("Rückruf erbeten.\nFrau Kerstin Vogel", "female"),
        ("Ich als Mutter von drei Kindern finde das gut.", "female"),
        ("Paket bitte beim Nachbarn abgeben.", None),
        ("Gruß, Kim", None),
    ],
)
def test_the_writers_gender_comes_from_signature_or_self_description(
    text: str, gender: str | None
) -> None:
    assert writer_gender(text) == gender


def test_meine_frau_is_sex_life_only_when_a_woman_signs_the_note() -> None:
    matcher = get_matcher("de")
    body = "Bitte alles an meine Frau schicken, sie ist zu Hause."
    by_her = [f.entity_type for f in matcher.find(body + "\nLiebe Grüße, Sandra")]
    by_him = [f.entity_type for f in matcher.find(body + "\nLiebe Grüße, Markus")]
    unsigned = [f.entity_type for f in matcher.find(body)]
    assert by_her == ["SEX_LIFE"]
    assert by_him == []
    assert unsigned == []


@pytest.mark.parametrize(
    ("lang", "text", "entity", "span"),
    [
        (
            "de",
            "Im Forum stand: T r a n s m e n s c h e n raus.",
            "SEX_LIFE",
            "T r a n s m e n s c h e n",
        ),
        ("en", "The caller insulted M u s l i m s again.", "RELIGION", "M u s l i m s"),
    ],
)
def test_a_letter_spaced_term_is_found_over_its_spaced_letters(
    lang: str, text: str, entity: str, span: str
) -> None:
    start = text.index(span)
    found = [(f.entity_type, f.start, f.end) for f in get_matcher(lang).find(text)]
    assert (entity, start, start + len(span)) in found
    prefilter = Prefilter(trigger_terms(lang), (), None, [entity])
    assert prefilter.candidate_entities(text) == {entity}


def test_letter_spaced_ordinary_words_stay_ordinary() -> None:
    assert get_matcher("en").find("Please call me b a c k later, s o r r y.") == ()
