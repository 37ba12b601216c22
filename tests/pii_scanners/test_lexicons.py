"""The special-category lexicons: every file validates, errors name file and key, and the
trigger-term contract the prefilter relies on holds exactly."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from special_category_cases import NEGATIVES, POSITIVES

from pii_scanners.lexicons import loader
from pii_scanners.lexicons.loader import (
    LEXICON_DIR,
    SPECIAL_CATEGORIES,
    LexiconError,
    load_category_file,
    load_language,
    trigger_terms,
)
from pii_scanners.recognizers.special_category.matcher import get_matcher

LANGS = ("de", "en")
CATEGORY_FILES = sorted(p for p in LEXICON_DIR.glob("*/*.yaml") if p.name != "_language.yaml")


@pytest.mark.parametrize("path", CATEGORY_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_lexicon_file_loads_and_validates(path: Path) -> None:
    lexicon = load_category_file(path)
    assert lexicon.language == path.parent.name
    assert lexicon.entries
    assert lexicon.legal_reference.startswith("Art.")


@pytest.mark.parametrize("lang", LANGS)
def test_every_article_9_category_has_a_lexicon_in_each_language(lang: str) -> None:
    _, lexicons = load_language(lang)
    assert {lex.entity for lex in lexicons} >= set(SPECIAL_CATEGORIES)


@pytest.mark.parametrize("lang", LANGS)
def test_trigger_terms_are_lowercase_unique_and_sorted(lang: str) -> None:
    terms = trigger_terms(lang)
    assert terms == sorted(set(terms))
    assert all(t == t.lower() and t.strip() == t and t for t in terms)


@pytest.mark.parametrize("lang", LANGS)
def test_trigger_terms_are_exactly_the_keys_the_matcher_searches_for(lang: str) -> None:
    matcher = get_matcher(lang)
    assert set(matcher._automaton.keys()) - set(trigger_terms(lang)) <= {
        # exclusion phrases only veto; they never start a finding
        key
        for cat in matcher.categories
        for key in (e.rstrip("*") for e in cat.lexicon.exclusions)
    }


@pytest.mark.parametrize("case", POSITIVES + NEGATIVES, ids=lambda c: c.id)
def test_every_note_with_a_finding_contains_a_trigger_term(case) -> None:
    matcher = get_matcher(case.lang)
    if not matcher.find(case.text):
        return
    low = case.text.lower()
    assert any(term in low for term in trigger_terms(case.lang))


@pytest.mark.parametrize("lang", LANGS)
def test_trigger_contract_holds_on_random_notes_built_from_lexicon_terms(lang: str) -> None:
    """Property test: mixed case, typographic apostrophes and "İ" never break the contract."""
    rng = random.Random(7)
    terms = trigger_terms(lang)
    matcher = get_matcher(lang)
    fillers = ["und", "the", "İstanbul", "Herr", "im", "a", "-", ",", "ist", "is", "’", "\n"]
    found_any = 0
    for _ in range(400):
        words = [rng.choice(terms) for _ in range(3)] + rng.sample(fillers, 4)
        rng.shuffle(words)
        text = " ".join(w.upper() if rng.random() < 0.2 else w.title() for w in words)
        findings = matcher.find(text)
        if findings:
            found_any += 1
            low = text.lower()
            assert any(term in low for term in terms), text
            for f in findings:
                assert 0 <= f.start < f.end <= len(text)
    assert found_any > 100


def _copy_lexicons(tmp_path: Path) -> Path:
    target = tmp_path / "lexicons"
    shutil.copytree(LEXICON_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


BAD_EDITS = [
    ("compound: none", "compund: none", "unknown key(s) ['compund']"),
    ("defaults: {compound: none,", "defaults: {compound: sometimes,", "defaults"),
    ("entity: HEALTH", "entity: HEALTHY", "entity"),
    ("context_boost: 0.1", "context_boost: 5", "context_boost"),
    ("entries:", "entries: oops\nx-old:", "entries"),
    ("terms: [krank]", "terms: [Krank]", "has capitals but case is 'any'"),
    ("terms: [krank]", "terms: [krank, diabetes]", "is already listed at"),
    ("terms: [krank]", "terms: krank", "must be a list of strings"),
    ("terms: [krank]", "terms: [krank, no]", "must be a non-empty string"),
    ("terms: [krank]", "terms: [krank]\n    requires: [governor]", "requires[0]"),
    ("terms: [krank]", "terms: [krank]\n    requires: [before]", "no 'before' is given"),
    ("max_gap: 4", "max_gap: 40", "max_gap"),
    ("entity: HEALTH", "entity: HEALTH\n  broken: [", "not valid YAML"),
    ("language: de", "language: de\nlanguage: de", "duplicate key 'language'"),
]


@pytest.mark.parametrize(("old", "new", "expected"), BAD_EDITS, ids=[e[2] for e in BAD_EDITS])
def test_a_malformed_lexicon_fails_with_an_error_naming_the_file_and_key(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    directory = _copy_lexicons(tmp_path)
    path = directory / "de" / "health.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LexiconError) as error:
        load_language("de", directory)
    message = str(error.value)
    assert str(path) in message
    assert expected in message


def test_a_second_lexicon_for_the_same_category_is_refused(tmp_path: Path) -> None:
    directory = _copy_lexicons(tmp_path)
    shutil.copy(directory / "de" / "health.yaml", directory / "de" / "health_extra.yaml")
    with pytest.raises(LexiconError, match="already defined"):
        load_language("de", directory)


def test_an_unsupported_language_is_refused() -> None:
    with pytest.raises(LexiconError, match="unsupported language"):
        trigger_terms("fr")


def test_the_lexicon_digest_changes_when_a_lexicon_changes(tmp_path: Path) -> None:
    directory = _copy_lexicons(tmp_path)
    before = loader.lexicon_sha256(directory)
    path = directory / "en" / "religion.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert loader.lexicon_sha256(directory) != before


def test_the_readme_documents_every_schema_key() -> None:
    readme = (LEXICON_DIR / "README.md").read_text(encoding="utf-8")
    for key in sorted(loader._ENTRY_KEYS | loader._FILE_KEYS | loader._GOVERNOR_KEYS):
        assert f"`{key}`" in readme, key
