"""Typed loading and validation of the Art. 9 special-category lexicons (YAML).

Why a validator of its own: the lexicons are policy-as-data that a DPO edits by hand. A typo
("compund: prefix", a score of 8.5, a term list that is a string) must stop the scanner at build
time with a message naming the file and the key, not silently turn a category off. The schema is
documented in ``pii_scanners/lexicons/README.md``.

``trigger_terms(language)`` is the contract with the prefilter: every special-category finding
on a text requires at least one returned string to occur in ``text.lower()``. It holds by
construction, because the matcher only starts from Aho-Corasick hits of exactly these keys on a
lowercased copy of the text (see ``recognizers/special_category/matcher.py``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LEXICON_DIR = Path(__file__).resolve().parent
SUPPORTED_LANGUAGES = ("de", "en")

#: Art. 9(1) GDPR categories (the product's entity names) plus the optional Art. 10 one.
SPECIAL_CATEGORIES = (
    "HEALTH",
    "RELIGION",
    "ETHNIC_ORIGIN",
    "POLITICAL_OPINION",
    "TRADE_UNION",
    "SEX_LIFE",
    "GENETIC",
    "BIOMETRIC",
)
OPTIONAL_CATEGORIES = ("CRIMINAL_OFFENCE",)
ALL_CATEGORIES = SPECIAL_CATEGORIES + OPTIONAL_CATEGORIES

COMPOUND_MODES = ("none", "prefix", "suffix", "any")
CASE_MODES = ("any", "exact")
REQUIREMENTS = ("before", "after", "heads", "context")
LANGUAGE_FILE = "_language.yaml"


class LexiconError(ValueError):
    """A lexicon file is invalid; the message names the file and the offending key."""


@dataclass(frozen=True, slots=True)
class Governor:
    """Words (or regexes) that must/may stand next to a term, e.g. "hat" before "Zucker".

    ``max_gap`` words may stand between governor and term ("wähle sowieso immer CDU");
    ``in_span`` says whether the governor becomes part of the finding (span rule 3/4).
    """

    words: tuple[str, ...]
    patterns: tuple[str, ...]
    max_gap: int
    in_span: bool
    inflect: bool


@dataclass(frozen=True, slots=True)
class Entry:
    """One group of terms sharing matching rules (see README.md for every field)."""

    terms: tuple[str, ...]
    compound: str
    inflect: bool
    case: str
    score: float
    requires: tuple[str, ...]
    before: tuple[Governor, ...]
    after: tuple[Governor, ...]
    heads: tuple[str, ...]
    context: tuple[str, ...]
    veto_context: tuple[str, ...]
    veto_before: Governor | None
    veto_after: Governor | None
    veto_heads: tuple[str, ...]
    window: int
    note: str
    #: Texts this entry must find (``examples.match``) and must leave alone
    #: (``examples.no_match``); the lint tests run them, so every rule carries its own proof.
    examples_match: tuple[str, ...] = ()
    examples_no_match: tuple[str, ...] = ()
    #: "female"/"male": the hit counts only when the note's writer is known to be so
    #: (``recognizers/special_category/writer.py``); "" for every other entry.
    writer: str = ""


@dataclass(frozen=True, slots=True)
class CategoryLexicon:
    """One ``<lang>/<category>.yaml`` file."""

    path: Path
    entity: str
    language: str
    legal_reference: str
    description: str
    context_words: tuple[str, ...]
    context_window: int
    context_boost: float
    exclusions: tuple[str, ...]
    veto_context: tuple[str, ...]
    veto_before: Governor | None
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class LanguageSettings:
    """``<lang>/_language.yaml``: rules shared by all categories of one language."""

    path: Path
    language: str
    inflections: tuple[str, ...]
    media_words: tuple[str, ...]
    #: Words that look like a term plus an inflection ending but are another word (Roman).
    homographs: tuple[str, ...] = ()


# --------------------------------------------------------------------------- validation helpers


class _Ctx:
    """Carries the file path so every error message names it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, message: str) -> LexiconError:
        return LexiconError(f"{self.path}: {key}: {message}")

    def mapping(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a mapping, got {type(value).__name__}")
        return value

    def known_keys(self, value: dict[str, Any], key: str, allowed: set[str]) -> None:
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(key, f"unknown key(s) {unknown}; allowed: {sorted(allowed)}")

    def strings(self, value: Any, key: str, *, lower: bool = False) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str) or not isinstance(value, list):
            raise self.fail(key, "must be a list of strings")
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{key}[{i}]", f"must be a non-empty string, got {item!r}")
            if item != item.strip():
                raise self.fail(f"{key}[{i}]", f"has leading/trailing whitespace: {item!r}")
            out.append(item.lower() if lower else item)
        return tuple(out)

    def choice(self, value: Any, key: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            raise self.fail(key, f"must be one of {list(choices)}, got {value!r}")
        return str(value)

    def boolean(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {value!r}")
        return value

    def number(self, value: Any, key: str, lo: float, hi: float) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            raise self.fail(key, f"must be a number between {lo} and {hi}, got {value!r}")
        return float(value)

    def integer(self, value: Any, key: str, lo: int, hi: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise self.fail(key, f"must be an integer between {lo} and {hi}, got {value!r}")
        return value


_GOVERNOR_KEYS = {"words", "patterns", "max_gap", "in_span", "inflect"}
_ENTRY_KEYS = {
    "terms",
    "compound",
    "inflect",
    "case",
    "score",
    "requires",
    "before",
    "after",
    "heads",
    "context",
    "veto_context",
    "veto_before",
    "veto_after",
    "veto_heads",
    "window",
    "note",
    "examples",
    "writer",
}
WRITERS = ("female", "male")
_EXAMPLE_KEYS = {"match", "no_match"}
_FILE_KEYS = {
    "entity",
    "language",
    "legal_reference",
    "description",
    "defaults",
    "context_words",
    "context_window",
    "context_boost",
    "exclusions",
    "veto_context",
    "veto_before",
    "entries",
}
_DEFAULT_KEYS = {"compound", "inflect", "case", "score"}
_BRACKETS = re.compile(r"^[^\[\]]*(\[[^\[\]]+\])?[^\[\]]*$")


def _governors(ctx: _Ctx, value: Any, key: str) -> tuple[Governor, ...]:
    """``before``/``after``: one governor mapping, or a list of them tried in order."""
    if value is None:
        return ()
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return tuple(_governor(ctx, v, f"{key}[{i}]") for i, v in enumerate(value))
    gov = _governor(ctx, value, key)
    return (gov,) if gov else ()


def _governor(ctx: _Ctx, value: Any, key: str, *, veto: bool = False) -> Governor | None:
    if value is None:
        return None
    if isinstance(value, list):  # shorthand: a plain word list
        value = {"words": value}
    data = ctx.mapping(value, key)
    ctx.known_keys(data, key, _GOVERNOR_KEYS)
    words = ctx.strings(data.get("words"), f"{key}.words", lower=True)
    patterns = ctx.strings(data.get("patterns"), f"{key}.patterns")
    for i, pat in enumerate(patterns):
        try:
            re.compile(pat)
        except re.error as exc:
            raise ctx.fail(f"{key}.patterns[{i}]", f"invalid regular expression: {exc}") from exc
    if not words and not patterns:
        raise ctx.fail(key, "needs 'words' or 'patterns'")
    return Governor(
        words=words,
        patterns=patterns,
        max_gap=ctx.integer(data.get("max_gap", 0), f"{key}.max_gap", 0, 6),
        in_span=False if veto else ctx.boolean(data.get("in_span", True), f"{key}.in_span"),
        inflect=ctx.boolean(data.get("inflect", False), f"{key}.inflect"),
    )


def _examples(ctx: _Ctx, value: Any, key: str) -> dict[str, tuple[str, ...]]:
    """``examples: {match: [...], no_match: [...]}``: test texts, never read by the matcher."""
    if value is None:
        return {}
    data = ctx.mapping(value, key)
    ctx.known_keys(data, key, _EXAMPLE_KEYS)
    return {
        "examples_match": ctx.strings(data.get("match"), f"{key}.match"),
        "examples_no_match": ctx.strings(data.get("no_match"), f"{key}.no_match"),
    }


def _entry(ctx: _Ctx, value: Any, key: str, defaults: dict[str, Any]) -> Entry:
    data = ctx.mapping(value, key)
    ctx.known_keys(data, key, _ENTRY_KEYS)
    if "terms" not in data:
        raise ctx.fail(key, "missing required key 'terms'")
    case = ctx.choice(data.get("case", defaults["case"]), f"{key}.case", CASE_MODES)
    terms = ctx.strings(data["terms"], f"{key}.terms")
    if not terms:
        raise ctx.fail(f"{key}.terms", "must not be empty")
    for i, term in enumerate(terms):
        if not _BRACKETS.match(term):
            raise ctx.fail(f"{key}.terms[{i}]", f"at most one [span] marker allowed: {term!r}")
        if case == "any" and term != term.lower():
            raise ctx.fail(
                f"{key}.terms[{i}]",
                f"{term!r} has capitals but case is 'any': write it lowercase, "
                "or set case: exact for abbreviations such as MS",
            )
        core = term.replace("[", "").replace("]", "")
        if len(core.strip()) < 2:
            raise ctx.fail(f"{key}.terms[{i}]", "a term needs at least two characters")
    requires = ctx.strings(data.get("requires"), f"{key}.requires")
    for i, req in enumerate(requires):
        ctx.choice(req, f"{key}.requires[{i}]", REQUIREMENTS)
    entry = Entry(
        terms=terms,
        compound=ctx.choice(
            data.get("compound", defaults["compound"]), f"{key}.compound", COMPOUND_MODES
        ),
        inflect=ctx.boolean(data.get("inflect", defaults["inflect"]), f"{key}.inflect"),
        case=case,
        # At least 0.5: every finding must clear the scanner's default threshold (0.4).
        score=ctx.number(data.get("score", defaults["score"]), f"{key}.score", 0.5, 1.0),
        requires=requires,
        before=_governors(ctx, data.get("before"), f"{key}.before"),
        after=_governors(ctx, data.get("after"), f"{key}.after"),
        heads=ctx.strings(data.get("heads"), f"{key}.heads", lower=True),
        context=ctx.strings(data.get("context"), f"{key}.context", lower=True),
        veto_context=ctx.strings(data.get("veto_context"), f"{key}.veto_context", lower=True),
        veto_before=_governor(ctx, data.get("veto_before"), f"{key}.veto_before", veto=True),
        veto_after=_governor(ctx, data.get("veto_after"), f"{key}.veto_after", veto=True),
        veto_heads=ctx.strings(data.get("veto_heads"), f"{key}.veto_heads", lower=True),
        window=ctx.integer(data.get("window", 0), f"{key}.window", 0, 400),
        note=str(data.get("note", "")),
        **_examples(ctx, data.get("examples"), f"{key}.examples"),
        writer=ctx.choice(data["writer"], f"{key}.writer", WRITERS) if "writer" in data else "",
    )
    for field in ("heads", "veto_heads"):
        for i, head in enumerate(getattr(entry, field)):
            if "*" in head:
                raise ctx.fail(f"{key}.{field}[{i}]", "heads are substrings already; drop the '*'")
    for field in ("context", "veto_context"):
        for i, word in enumerate(getattr(entry, field)):
            if "*" in word[1:-1]:
                raise ctx.fail(f"{key}.{field}[{i}]", "'*' is only allowed at either end of a word")
    for req, present in (
        ("before", entry.before),
        ("after", entry.after),
        ("heads", entry.heads),
    ):
        if req in entry.requires and not present:
            raise ctx.fail(f"{key}.requires", f"requires '{req}' but no '{req}' is given")
    return entry


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice in one mapping.

    PyYAML keeps the last value silently, so a second ``veto_after:`` added by hand would
    quietly replace the first; for policy files that is an error the DPO must see.
    """


def _no_duplicate_keys(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicate_keys)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: not valid YAML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: cannot be read: {exc}") from exc


def load_category_file(path: str | Path) -> CategoryLexicon:
    """Read and validate one category lexicon; raise ``LexiconError`` naming file and key."""
    path = Path(path)
    ctx = _Ctx(path)
    data = ctx.mapping(_read_yaml(path), "<top level>")
    # Keys starting with "x-" hold YAML anchors (shared word lists) and are not read otherwise.
    data = {k: v for k, v in data.items() if not str(k).startswith("x-")}
    ctx.known_keys(data, "<top level>", _FILE_KEYS)
    for required in ("entity", "language", "legal_reference", "entries"):
        if required not in data:
            raise ctx.fail(required, "missing required key")
    entity = ctx.choice(data["entity"], "entity", ALL_CATEGORIES)
    language = ctx.choice(data["language"], "language", SUPPORTED_LANGUAGES)
    if path.parent.name in SUPPORTED_LANGUAGES and path.parent.name != language:
        raise ctx.fail("language", f"is {language!r} but the file lives in {path.parent.name}/")
    raw_defaults = ctx.mapping(data.get("defaults") or {}, "defaults")
    ctx.known_keys(raw_defaults, "defaults", _DEFAULT_KEYS)
    defaults = {"compound": "none", "inflect": True, "case": "any", "score": 0.85}
    defaults.update(raw_defaults)
    ctx.choice(defaults["compound"], "defaults.compound", COMPOUND_MODES)
    ctx.choice(defaults["case"], "defaults.case", CASE_MODES)
    ctx.boolean(defaults["inflect"], "defaults.inflect")
    ctx.number(defaults["score"], "defaults.score", 0.5, 1.0)
    entries_raw = data["entries"]
    if not isinstance(entries_raw, list) or not entries_raw:
        raise ctx.fail("entries", "must be a non-empty list")
    entries = tuple(
        _entry(ctx, item, f"entries[{i}]", defaults) for i, item in enumerate(entries_raw)
    )
    # The same term in two entries would run two rule sets on one word; a DPO reading the
    # file could not tell which one decides. Refuse it.
    first_seen: dict[str, str] = {}
    for i, entry in enumerate(entries):
        for j, term in enumerate(entry.terms):
            key = term_key(term)
            where = f"entries[{i}].terms[{j}]"
            if key in first_seen:
                raise ctx.fail(where, f"{term!r} is already listed at {first_seen[key]}")
            first_seen[key] = where
    return CategoryLexicon(
        path=path,
        entity=entity,
        language=language,
        legal_reference=str(data["legal_reference"]),
        description=str(data.get("description", "")),
        context_words=ctx.strings(data.get("context_words"), "context_words", lower=True),
        context_window=ctx.integer(data.get("context_window", 60), "context_window", 0, 400),
        context_boost=ctx.number(data.get("context_boost", 0.1), "context_boost", 0.0, 0.5),
        exclusions=ctx.strings(data.get("exclusions"), "exclusions", lower=True),
        veto_context=ctx.strings(data.get("veto_context"), "veto_context", lower=True),
        veto_before=_governor(ctx, data.get("veto_before"), "veto_before", veto=True),
        entries=entries,
    )


def load_language_file(path: str | Path) -> LanguageSettings:
    """Read and validate ``_language.yaml`` (inflection endings, media words)."""
    path = Path(path)
    ctx = _Ctx(path)
    data = ctx.mapping(_read_yaml(path), "<top level>")
    ctx.known_keys(
        data, "<top level>", {"language", "inflections", "media_words", "homographs", "note"}
    )
    language = ctx.choice(data.get("language"), "language", SUPPORTED_LANGUAGES)
    inflections = ctx.strings(data.get("inflections"), "inflections", lower=True)
    for i, ending in enumerate(inflections):
        if not ending.isalpha():
            raise ctx.fail(f"inflections[{i}]", f"must be letters only, got {ending!r}")
    return LanguageSettings(
        path=path,
        language=language,
        inflections=inflections,
        media_words=ctx.strings(data.get("media_words"), "media_words", lower=True),
        homographs=ctx.strings(data.get("homographs"), "homographs", lower=True),
    )


# ----------------------------------------------------------------------------- public API


def lexicon_paths(language: str, directory: Path = LEXICON_DIR) -> list[Path]:
    """All category files of a language, sorted (the language settings file excluded)."""
    if language not in SUPPORTED_LANGUAGES:
        raise LexiconError(f"unsupported language {language!r}; use one of {SUPPORTED_LANGUAGES}")
    return sorted(p for p in (directory / language).glob("*.yaml") if p.name != LANGUAGE_FILE)


@cache
def load_language(
    language: str, directory: Path = LEXICON_DIR
) -> tuple[LanguageSettings, tuple[CategoryLexicon, ...]]:
    """Load and validate every lexicon of a language (cached: the files are read once)."""
    if language not in SUPPORTED_LANGUAGES:
        raise LexiconError(f"unsupported language {language!r}; use one of {SUPPORTED_LANGUAGES}")
    settings = load_language_file(directory / language / LANGUAGE_FILE)
    lexicons = tuple(
        # Ordered as ALL_CATEGORIES: the order breaks ties between overlapping categories.
        sorted(
            (load_category_file(p) for p in lexicon_paths(language, directory)),
            key=lambda lex: ALL_CATEGORIES.index(lex.entity),
        )
    )
    seen: dict[str, Path] = {}
    for lex in lexicons:
        if lex.entity in seen:
            raise LexiconError(
                f"{lex.path}: entity: {lex.entity} is already defined in {seen[lex.entity]}"
            )
        seen[lex.entity] = lex.path
    return settings, lexicons


def term_key(term: str) -> str:
    """The Aho-Corasick key of a lexicon term: lowercase, without the ``[span]`` marker."""
    return term.replace("[", "").replace("]", "").lower()


def apostrophe_variants(key: str) -> list[str]:
    """A key with a straight apostrophe also matches the typographic one (can't / can’t)."""
    return [key, key.replace("'", "\u2019")] if "'" in key else [key]


def trigger_terms(language: str, directory: Path = LEXICON_DIR) -> list[str]:
    """Lowercase strings of which at least one occurs in ``text.lower()`` for any finding.

    These are exactly the Aho-Corasick keys the special-category matcher searches for; a
    finding can only start from such a key hit, so a note that contains none of them cannot
    produce a special-category finding and the prefilter may skip it. Sorted, de-duplicated.
    """
    _, lexicons = load_language(language, directory)
    keys = {
        variant
        for lex in lexicons
        for entry in lex.entries
        for term in entry.terms
        for variant in apostrophe_variants(term_key(term))
    }
    return sorted(keys)


def lexicon_sha256(directory: Path = LEXICON_DIR) -> str:
    """Digest over every lexicon file (for the scanner version: findings name their policy)."""
    digest = hashlib.sha256()
    for path in sorted([*directory.glob("*/*.yaml"), *directory.glob("*.txt")]):
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
