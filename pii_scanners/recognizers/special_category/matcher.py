"""One Aho-Corasick pass per note for all special categories of a language.

Why not Presidio's ``PatternRecognizer`` with a deny list: its regex over a few hundred terms is
about 35x slower than an Aho-Corasick automaton, and ``\\b``-bounded regexes miss German
compounds (DESIGN.md, "Presidio's cost"). Here every lexicon term of every category of one
language is a key of a single automaton over the lowercased text. The few hits are then checked
in Python: word/compound boundaries, inflection endings, exact case for abbreviations, required
or optional governing words, exclusions and vetoes, and finally expanded to the whole
(hyphenated) word (span rule 1). Overlapping candidates of all categories are resolved here to
their union, once per category (``_resolve``), so the spans the recognizers report are disjoint
or identical. Vetoes and governors look only inside the hit's sentence (pii_scanners.sentences).
``find_traced`` records every decision for ``pii_scanners explain``; normal scans pass no trace
sink and pay one ``is None`` test on paths that already reject or keep a hit.

The result of the last text is cached, so the eight category recognizers that Presidio calls
one after the other on the same note share one pass.

Cost: ``find`` runs once per note on ~100k notes, and most notes hold no special-category term,
or only a near miss such as "christ" inside "Christkind". So the note is lowercased once and
scanned once; the boundary rules that depend only on the key and its two neighbouring
characters (exact case, compound/word boundaries, inflection ending) are applied right in the
scan loop, with per-key facts precomputed in ``__init__``. Only a hit that survives them pays
for the rest: redaction tags, exclusions, and the second automaton pass for context/veto words,
which runs lazily (``_LazyWordHits``) because many candidates are decided without it.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from pii_scanners.lexicons.loader import (
    LEXICON_DIR,
    CategoryLexicon,
    Entry,
    Governor,
    LanguageSettings,
    apostrophe_variants,
    load_language,
    term_key,
)
from pii_scanners.recognizers.special_category.guards import TokenGuard
from pii_scanners.recognizers.special_category.spelling import spaced_term_hits, unleet
from pii_scanners.recognizers.special_category.writer import writer_gender
from pii_scanners.sentences import Sentences, load_abbreviations

#: A trace sink (``pii_scanners explain``): a list the matcher appends one event dict to per
#: decision. None in every normal scan, where each trace site costs one ``is None`` test on a
#: path that is already rejecting or keeping a hit.
Trace = list[dict[str, object]]

#: Characters that join two words into one hyphenated compound (span rule 1).
HYPHENS = frozenset("-\u2010\u2011")
#: Quote characters that can enclose a book, film or song title.
QUOTES = "\"'„“”‚‘’«»"
#: Any quote character: one C-level search instead of a test per quote character.
_ANY_QUOTE = re.compile(f"[{re.escape(QUOTES)}]")
#: A word between a governor and its term ("wähle sowieso immer CDU"): no sentence punctuation.
_GAP_TOKEN = r"[^\s.,;:!?()\[\]{}\"„“”«»]+"
#: How far back a media word may stand before the opening quote of a title.
_MEDIA_WINDOW = 40


#: The anonymizer's replacement tags, e.g. ``<HEALTH>`` (config/scanner.yaml operators).
REDACTION_TAG = re.compile(r"<[A-Z_]+>")


def lower_preserving_offsets(text: str) -> str:
    """``text.lower()`` when that keeps every offset, else a per-character lowercase.

    ``"İ".lower()`` has two characters; offsets into the lowercased text must stay offsets into
    the original. Such characters are kept unchanged, so every key hit in the result is also a
    substring of ``text.lower()`` (all keys are lowercase), which keeps the trigger contract.
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _inflection_follows(low: str, end: int, inflections: frozenset[str]) -> bool:
    """Is the letter run from ``end`` one of the inflection endings, not followed by a digit?

    The caller has checked that ``low[end]`` continues the word; "Diabetiker|in" passes,
    "Diabetiker|n2" and "Diabetiker|haus" do not.
    """
    n = len(low)
    stop = end
    while stop < n and low[stop].isalpha():
        stop += 1
    if stop < n and low[stop].isdigit():
        return False
    return low[end:stop] in inflections


def expand_token(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow [start, end) to the whole word, including hyphenated compound parts."""
    n = len(text)
    while start > 0:
        prev = text[start - 1]
        if _is_word(prev) or (
            prev in HYPHENS and start >= 2 and _is_word(text[start - 2]) and _is_word(text[start])
        ):
            start -= 1
        else:
            break
    while end < n:
        nxt = text[end]
        if _is_word(nxt) or (
            nxt in HYPHENS and end + 1 < n and _is_word(text[end + 1]) and _is_word(text[end - 1])
        ):
            end += 1
        else:
            break
    return start, end


def _word_alternation(words: tuple[str, ...], inflections: tuple[str, ...], inflect: bool) -> str:
    parts = [r"\s+".join(re.escape(piece) for piece in word.split()) for word in words]
    alt = "|".join(sorted(parts, key=len, reverse=True))
    if inflect and inflections:
        endings = "|".join(sorted((re.escape(e) for e in inflections), key=len, reverse=True))
        return rf"(?:{alt})(?:{endings})?"
    return rf"(?:{alt})"


@dataclass(frozen=True, slots=True)
class _CompiledGovernor:
    """Regexes for one governor, matched against the text right before / after a term.

    ``before[k]`` matches exactly k gap words, tried for k = 0, 1, ... so the nearest governor
    wins; within one k the lazy ``.*?`` makes the longest alternative win ("gehört zu den"
    over "zu den"). ``after`` prefers the fewest gap words by a lazy repeat. ``window`` is how
    many characters the governor can need, so the regexes only see a short slice.
    """

    before: tuple[re.Pattern[str], ...]
    after: re.Pattern[str]
    anywhere: re.Pattern[str]
    in_span: bool
    window: int


def _compile_governor(gov: Governor, inflections: tuple[str, ...]) -> _CompiledGovernor:
    alternatives = []
    if gov.words:
        alternatives.append(_word_alternation(gov.words, inflections, gov.inflect))
    alternatives.extend(f"(?:{p})" for p in gov.patterns)
    alt = "|".join(alternatives)
    k = gov.max_gap
    before = tuple(
        re.compile(rf"(?s).*?(?<!\w)(?P<g>{alt})(?:\s+{_GAP_TOKEN}){{{gap}}}\s+\Z")
        for gap in range(k + 1)
    )
    after = re.compile(rf"(?:\s+{_GAP_TOKEN}){{0,{k}}}?\s+(?P<g>{alt})(?!\w)")
    longest = max((len(w) for w in gov.words), default=0)
    # Words are short; a regex pattern may be longer (say 60 characters); a gap word ~20.
    window = max(longest + 8, 80 if gov.patterns else 0) + 24 * k
    # Cheap pre-check: most windows contain no governor at all, so one search rules them out
    # before the anchored regexes run.
    anywhere = re.compile(alt)
    return _CompiledGovernor(
        before=before, after=after, anywhere=anywhere, in_span=gov.in_span, window=window
    )


class _WordSet:
    """Context/veto words: whole words (with an inflection ending); "*" marks an open end.

    "locker" must not count as "lock", but "diagnos*" finds "Diagnose" and "diagnosed", and
    "*allergie*" finds "Nussallergie" (German compounds). All word sets of a language share one
    Aho-Corasick automaton (``_WordIndex``), run once per note that has a candidate: a regex per
    window cost ~8 µs, the lookup in the precomputed hits well under one.
    """

    __slots__ = ("id", "words")

    def __init__(self, set_id: int, words: tuple[str, ...]) -> None:
        self.id = set_id
        self.words = words


class _WordIndex:
    """One automaton over every context/veto word of a language."""

    def __init__(self, inflections: tuple[str, ...]) -> None:
        self._inflections = frozenset(inflections)
        self._payloads: dict[str, list[tuple[int, bool, bool]]] = {}
        self._sets: list[_WordSet] = []
        self._automaton: ahocorasick.Automaton | None = None

    def add(self, words: tuple[str, ...]) -> _WordSet | None:
        if not words:
            return None
        word_set = _WordSet(len(self._sets), words)
        self._sets.append(word_set)
        for word in words:
            key = word.strip("*")
            payload = (word_set.id, word.startswith("*"), word.endswith("*"))
            self._payloads.setdefault(key, []).append(payload)
        return word_set

    def build(self) -> None:
        automaton = ahocorasick.Automaton()
        for key, payloads in self._payloads.items():
            automaton.add_word(key, (len(key), tuple(payloads)))
        automaton.make_automaton()
        self._automaton = automaton

    def hits(self, low: str) -> dict[int, list[int]]:
        """Start offsets of every valid word of every set in ``low``, by set id (sorted)."""
        found: dict[int, list[int]] = {}
        if self._automaton is None:
            return found
        n = len(low)
        for end_index, (length, payloads) in self._automaton.iter(low):
            end = end_index + 1
            start = end - length
            left_ok = start == 0 or not low[start - 1].isalnum()
            right_ok = end == n or not low[end].isalnum()
            if not right_ok:
                stop = end
                while stop < n and low[stop].isalpha():
                    stop += 1
                right_ok = low[end:stop] in self._inflections and (
                    stop == n or not low[stop].isalnum()
                )
            for set_id, open_left, open_right in payloads:
                if (open_left or left_ok) and (open_right or right_ok):
                    found.setdefault(set_id, []).append(start)
        for starts in found.values():
            starts.sort()
        return found


class _LazyWordHits:
    """The context/veto word hits of one note, computed on first use.

    Why lazy: the word pass is a second automaton scan of the whole note (about as costly as
    the term scan), and many candidates are decided without it: an exclusion, a missing
    required governor or a veto governor drops them first. ``_WordIndex.hits`` runs at most
    once per note and has no side effects, so the results are those of an eager pass.
    """

    __slots__ = ("_found", "_index", "_low")

    def __init__(self, index: _WordIndex, low: str) -> None:
        self._index = index
        self._low = low
        self._found: dict[int, list[int]] | None = None

    def starts(self, set_id: int) -> list[int] | None:
        """Sorted start offsets of the words of set ``set_id`` in the note, or None."""
        found = self._found
        if found is None:
            found = self._found = self._index.hits(self._low)
        return found.get(set_id)


@dataclass(slots=True)
class _CompiledEntry:
    entry: Entry
    ref: str
    category: int
    before: tuple[_CompiledGovernor, ...]
    after: tuple[_CompiledGovernor, ...]
    veto_before: _CompiledGovernor | None
    veto_after: _CompiledGovernor | None
    context_re: _WordSet | None
    veto_context_re: _WordSet | None
    window: int


@dataclass(frozen=True, slots=True)
class _Key:
    """One automaton key of a term: where its span core sits, and its exact-case form.

    The last five fields are facts about the key and its entry that the scan loop in
    ``SpecialCategoryMatcher._find`` needs for every hit; deriving them once here keeps that
    loop free of attribute chains and string tests. A hit's text equals its key, so whether the
    hit starts/ends with a word character is known before the note is seen.
    """

    entry: int
    core_start: int
    core_end: int
    exact_core: str | None
    #: ``key[0].isalnum()``: a word character before the hit would glue it to a longer word.
    first_is_word: bool
    #: ``key[-1].isalnum()``: a word character after the hit would glue it to a longer word.
    last_is_word: bool
    #: The entry may end a compound (``compound`` is "suffix" or "any").
    free_left: bool
    #: The entry may start a compound (``compound`` is "prefix" or "any").
    free_right: bool
    #: A whole-word term may carry one of the language's inflection endings.
    inflect: bool


@dataclass(frozen=True, slots=True)
class _Category:
    lexicon: CategoryLexicon
    context_re: _WordSet | None
    veto_before: _CompiledGovernor | None


@dataclass(frozen=True, slots=True)
class Finding:
    """A special-category span; never carries the matched text (R2)."""

    entity_type: str
    start: int
    end: int
    score: float
    ref: str  # lexicon file and entry index, for explanations


class SpecialCategoryMatcher:
    """All special-category lexicons of one language compiled into one automaton."""

    def __init__(
        self,
        language: str,
        directory: Path = LEXICON_DIR,
        entities: frozenset[str] | None = None,
    ) -> None:
        settings, lexicons = load_language(language, directory)
        load_abbreviations()  # a malformed sentence rule fails here, not mid-scan
        if entities is not None:  # a disabled category must not win overlaps either
            lexicons = tuple(lex for lex in lexicons if lex.entity in entities)
        self.language = language
        self.settings: LanguageSettings = settings
        self._inflections = frozenset(settings.inflections)
        self._guard = TokenGuard(settings.homographs)
        self._words = _WordIndex(settings.inflections)
        self._media_re = self._words.add(settings.media_words)
        self.categories: tuple[_Category, ...] = tuple(
            _Category(
                lex,
                self._words.add(lex.context_words),
                _compile_governor(lex.veto_before, settings.inflections)
                if lex.veto_before
                else None,
            )
            for lex in lexicons
        )
        self._entries: list[_CompiledEntry] = []
        self._keys: list[_Key] = []
        automaton = ahocorasick.Automaton()
        # Per key, in the order added: ("t", index into _keys) or ("x", index into _exclusions).
        payloads: dict[str, list[tuple[str, int]]] = {}
        self._exclusions: list[tuple[int, bool]] = []  # (category, prefix_only)
        for cat_index, cat in enumerate(self.categories):
            lex = cat.lexicon
            for entry_index, entry in enumerate(lex.entries):
                compiled = self._compile_entry(entry, cat_index, lex, entry_index)
                self._entries.append(compiled)
                for term in entry.terms:
                    self._add_term(term, len(self._entries) - 1, entry, payloads)
            for excl in lex.exclusions:
                prefix_only = excl.endswith("*")
                key = excl.rstrip("*")
                self._exclusions.append((cat_index, prefix_only))
                payloads.setdefault(key, []).append(("x", len(self._exclusions) - 1))
        for key, items in payloads.items():
            # The scan loop gets the objects themselves, split by kind: term keys in their
            # listed order (which decides ties in _resolve), exclusions as (category, prefix_only).
            terms = tuple(self._keys[i] for kind, i in items if kind == "t")
            exclusions = tuple(self._exclusions[i] for kind, i in items if kind == "x")
            automaton.add_word(key, (len(key), terms, exclusions))
        automaton.make_automaton()
        self._automaton = automaton
        self._words.build()
        # One attribute holding an immutable (text, findings) pair: reading or replacing it is
        # atomic, so concurrent callers see either the old or the new pair and need no lock.
        self._cache: tuple[str, tuple[Finding, ...]] | None = None

    # ------------------------------------------------------------------ compilation

    def _compile_entry(
        self, entry: Entry, cat_index: int, lex: CategoryLexicon, entry_index: int
    ) -> _CompiledEntry:
        infl = self.settings.inflections

        def gov(g: Governor | None) -> _CompiledGovernor | None:
            return _compile_governor(g, infl) if g else None

        context_words = entry.context or lex.context_words
        return _CompiledEntry(
            entry=entry,
            ref=f"{lex.language}/{lex.path.name}#entries[{entry_index}]",
            category=cat_index,
            before=tuple(_compile_governor(g, infl) for g in entry.before),
            after=tuple(_compile_governor(g, infl) for g in entry.after),
            veto_before=gov(entry.veto_before),
            veto_after=gov(entry.veto_after),
            context_re=self._words.add(context_words),
            veto_context_re=self._words.add(entry.veto_context + lex.veto_context),
            window=entry.window or lex.context_window,
        )

    def _add_term(
        self, term: str, entry_id: int, entry: Entry, payloads: dict[str, list[tuple[str, int]]]
    ) -> None:
        if "[" in term:
            core_start = term.index("[")
            core_end = term.index("]") - 1
        else:
            core_start, core_end = 0, len(term)
        plain = term.replace("[", "").replace("]", "")
        exact = plain[core_start:core_end] if entry.case == "exact" else None
        for key in apostrophe_variants(term_key(term)):
            self._keys.append(
                _Key(
                    entry=entry_id,
                    core_start=core_start,
                    core_end=core_end,
                    exact_core=exact,
                    first_is_word=_is_word(key[0]),
                    last_is_word=_is_word(key[-1]),
                    free_left=entry.compound in ("suffix", "any"),
                    free_right=entry.compound in ("prefix", "any"),
                    inflect=entry.inflect,
                )
            )
            payloads.setdefault(key, []).append(("t", len(self._keys) - 1))

    # ------------------------------------------------------------------ matching

    def find(self, text: str) -> tuple[Finding, ...]:
        """All special-category findings in ``text`` (cached for the last text). Spans are
        disjoint or identical: an identical span carries several categories (``_resolve``)."""
        cached = self._cache
        if cached is not None and (cached[0] is text or cached[0] == text):
            return cached[1]
        findings = self._find(text)
        self._cache = (text, findings)
        return findings

    def find_traced(self, text: str) -> tuple[tuple[Finding, ...], Trace]:
        """``find`` plus every decision taken on the way (``pii_scanners explain``); uncached."""
        trace: Trace = []
        return self._find(text, trace), trace

    def _find(self, text: str, trace: Trace | None = None) -> tuple[Finding, ...]:
        """One scan of the lowercased note; the costly checks only for hits that survive it.

        A note without a surviving hit (most notes) costs one ``lower()`` and one automaton
        pass and returns before redaction tags, exclusions or context words are looked at;
        the result does not depend on that order, as every step only removes hits.
        """
        low = text.lower()
        if len(low) != len(text):
            low = lower_preserving_offsets(text)
        # "Schw4rze" reads as "schwarze", offsets unchanged (spelling.py); ``cased`` is the
        # text the exact-case test compares with.
        cased, unleeted = text, unleet(low)
        if unleeted is not low:
            low, cased = unleeted, unleet(text)
        n = len(low)
        inflections = self._inflections
        term_hits: list[tuple[int, int, _Key]] = []
        raw_excluded: list[tuple[int, bool, int, int]] = []  # (category, prefix_only, start, end)
        for end_index, (length, keys, exclusions) in self._automaton.iter(low):
            end = end_index + 1
            start = end - length
            for exclusion in exclusions:
                raw_excluded.append((*exclusion, start, end))
            for key in keys:
                # Rule 2 of the lexicon README for what depends only on the key and the
                # characters next to it: exact spelling, may the word start before the term
                # (compound suffix/any), may it go on after it (compound prefix/any, or an
                # inflection ending). This turns away most hits ("christ" in "Christkind")
                # before any other work.
                if key.exact_core is not None and (
                    cased[start + key.core_start : start + key.core_end] != key.exact_core
                ):
                    if trace is not None:
                        self._trace(trace, "rejected", key, start, end, "case: exact differs")
                    continue
                if (
                    start > 0
                    and key.first_is_word
                    and not key.free_left
                    and _is_word(low[start - 1])
                ):
                    if trace is not None:
                        self._trace(
                            trace, "rejected", key, start, end, "inside a longer word (compound)"
                        )
                    continue
                if (
                    end < n
                    and key.last_is_word
                    and not key.free_right
                    and _is_word(low[end])
                    and not (key.inflect and _inflection_follows(low, end, inflections))
                ):
                    if trace is not None:
                        self._trace(
                            trace,
                            "rejected",
                            key,
                            start,
                            end,
                            "word goes on (no compound, no inflection ending)",
                        )
                    continue
                term_hits.append((start, end, key))
        term_hits += spaced_term_hits(self._automaton, low, inflections)  # "b l a c k"
        if not term_hits:
            return ()
        if "<" in text:
            # Redaction tags (``<RELIGION>``, ``<HEALTH>``) name a category, they do not reveal
            # one: a re-scan of redacted text must not report the tag itself.
            tags = [m.span() for m in REDACTION_TAG.finditer(text)]
            if tags:
                kept_hits = [
                    hit
                    for hit in term_hits
                    if not any(s <= hit[0] and hit[1] <= e for s, e in tags)
                ]
                if trace is not None:
                    for hit in term_hits:
                        if hit not in kept_hits:
                            self._trace(
                                trace, "rejected", hit[2], hit[0], hit[1], "inside a redaction tag"
                            )
                term_hits = kept_hits
                if not term_hits:
                    return ()
        excluded = [
            (cat, start, end)
            for cat, prefix_only, start, end in raw_excluded
            if self._bounded(low, start, end, right=not prefix_only)
        ]
        words = _LazyWordHits(self._words, low)  # context/veto words, only if a rule asks
        sentences = Sentences(text)  # the scope of every window, only if a rule asks
        candidates: list[tuple[int, int, float, int, _CompiledEntry]] = []
        for start, end, key in term_hits:
            cand = self._check(text, low, start, end, key, excluded, words, sentences, trace)
            if cand is not None:
                candidates.append(cand)
                if trace is not None:
                    self._trace(
                        trace, "candidate", key, start, end, "all rules passed", span=cand[:2]
                    )
        return self._resolve(low, candidates, trace)

    def _trace(
        self,
        trace: Trace | None,
        decision: str,
        key: _Key,
        start: int,
        end: int,
        reason: str,
        *,
        span: tuple[int, int] | None = None,
        at: int | None = None,
        rule: str | None = None,
    ) -> None:
        """One event of ``find_traced``: which entry's term hit where, what was decided, why.

        Without a trace sink (every normal scan) it does nothing, so ``_check``'s reject paths
        can ``return self._trace(...)``: one call on a path that is already rejecting a hit.
        """
        if trace is None:
            return
        compiled = self._entries[key.entry]
        event: dict[str, object] = {
            "decision": decision,
            "category": self.categories[compiled.category].lexicon.entity,
            "entry": compiled.ref,
            "hit": (start, end),
            "reason": reason,
        }
        if span is not None:
            event["span"] = tuple(span)
        if rule is not None:
            event["rule"] = rule
        if at is not None:
            event["at"] = at
        trace.append(event)

    @staticmethod
    def _bounded(low: str, start: int, end: int, *, right: bool) -> bool:
        if start > 0 and _is_word(low[start - 1]) and _is_word(low[start]):
            return False
        return not (right and end < len(low) and _is_word(low[end]) and _is_word(low[end - 1]))

    def _check(
        self,
        text: str,
        low: str,
        start: int,
        end: int,
        key: _Key,
        excluded: list[tuple[int, int, int]],
        words: _LazyWordHits,
        sentences: Sentences,
        trace: Trace | None = None,
    ) -> tuple[int, int, float, int, _CompiledEntry] | None:
        """The candidate of one key hit, or None; the hit has passed ``_find``'s boundary rules.

        Every window that can remove a hit (governors, veto words) ends at the hit's sentence
        (``pii_scanners.sentences``): a word in another sentence never vetoes it. Required and
        score-raising context words are looked for in the plain window: they only add.
        """
        compiled = self._entries[key.entry]
        entry = compiled.entry
        if entry.writer and writer_gender(text) != entry.writer:
            # "meine Frau" counts only when a woman wrote it (writer.py)
            return self._trace(
                trace, "rejected", key, start, end, f"writer is not {entry.writer}", rule="writer"
            )
        core_start, core_end = start + key.core_start, start + key.core_end
        # Span rule 1: the core grows to its whole (hyphenated) word. With a "[span]" marker the
        # rest of the key is context only ("hat [MS]"), separated from the core by a space.
        tok_start, tok_end = expand_token(text, core_start, core_end)
        if self._guard.rejects(text, low, tok_start, tok_end, core_start, core_end):
            # another word: a name, a homograph, a prefix + term (guards.py)
            return self._trace(
                trace, "rejected", key, start, end, "a look-alike word", rule="guards"
            )
        cat = compiled.category
        for ex_cat, ex_start, ex_end in excluded:
            if ex_cat == cat and ex_start < max(end, tok_end) and min(start, tok_start) < ex_end:
                return self._trace(
                    trace,
                    "vetoed",
                    key,
                    start,
                    end,
                    "exclusion phrase",
                    at=ex_start,
                    rule="exclusions",
                )
        token_rest = low[tok_start:core_start] + " " + low[core_end:tok_end]
        if entry.veto_heads and any(h in token_rest for h in entry.veto_heads):
            return self._trace(
                trace, "vetoed", key, start, end, "compound part vetoes", rule="veto_heads"
            )
        span_start, span_end = tok_start, tok_end
        satisfied = not entry.requires
        if entry.heads and any(h in token_rest for h in entry.heads):
            satisfied = True
        left = min(start, tok_start)
        right = max(end, tok_end)
        s_lo, s_hi = sentences.bounds(left, right)
        for governor in compiled.before:  # listed order = priority
            g_start = self._governor_before(low, left, governor, s_lo)
            if g_start is not None:
                satisfied = satisfied or "before" in entry.requires
                if governor.in_span:
                    span_start = g_start
                break
        for governor in compiled.after:
            g_end = self._governor_after(low, right, governor, s_hi)
            if g_end is not None:
                satisfied = satisfied or "after" in entry.requires
                if governor.in_span:
                    span_end = g_end
                break
        window = compiled.window
        if not satisfied and "context" in entry.requires and compiled.context_re is not None:
            # Not clipped to the sentence: a context word only ever adds a finding, so an
            # appended sentence cannot remove one through it, and the previous sentence often
            # carries the context ("... ist Muslima; im März fällt Ramadan ...").
            satisfied = (
                self._near(words, tok_start, tok_end, window, compiled.context_re) is not None
            )
        if not satisfied:
            return self._trace(
                trace,
                "rejected",
                key,
                start,
                end,
                f"requires {'/'.join(entry.requires)}: none found in the sentence",
                rule="requires",
            )
        if compiled.veto_context_re is not None:
            at = self._near(words, tok_start, tok_end, window, compiled.veto_context_re, s_lo, s_hi)
            if at is not None:
                return self._trace(
                    trace,
                    "vetoed",
                    key,
                    start,
                    end,
                    "veto word in the sentence",
                    at=at,
                    rule="veto_context",
                )
        if compiled.veto_before is not None:
            at = self._governor_before(low, left, compiled.veto_before, s_lo)
            if at is not None:
                return self._trace(
                    trace,
                    "vetoed",
                    key,
                    start,
                    end,
                    "veto governor before the term",
                    at=at,
                    rule="veto_before",
                )
        if compiled.veto_after is not None:
            at = self._governor_after(low, right, compiled.veto_after, s_hi)
            if at is not None:
                return self._trace(
                    trace,
                    "vetoed",
                    key,
                    start,
                    end,
                    "veto governor after the term",
                    at=at,
                    rule="veto_after",
                )
        category = self.categories[cat]
        if category.veto_before is not None:
            at = self._governor_before(low, left, category.veto_before, s_lo)
            if at is not None:
                return self._trace(
                    trace,
                    "vetoed",
                    key,
                    start,
                    end,
                    "file veto governor before the term",
                    at=at,
                    rule="file veto_before",
                )
        if self._in_media_title(text, words, span_start, span_end):
            return self._trace(
                trace,
                "vetoed",
                key,
                start,
                end,
                "inside a quoted media title",
                rule="media_words",
            )
        score = entry.score
        if category.context_re is not None and (
            self._near(
                words, span_start, span_end, category.lexicon.context_window, category.context_re
            )
            is not None
        ):
            score = min(1.0, score + category.lexicon.context_boost)
        return span_start, span_end, round(score, 2), cat, compiled

    @staticmethod
    def _governor_before(
        low: str, start: int, gov: _CompiledGovernor, floor: int = 0
    ) -> int | None:
        """Start of the nearest governor right before ``start``, not before ``floor``."""
        window_start = max(floor, start - gov.window)
        if not gov.anywhere.search(low, window_start, start):
            return None
        for regex in gov.before:
            match = regex.match(low, window_start, start)
            if match:
                return match.start("g")
        return None

    @staticmethod
    def _governor_after(
        low: str, end: int, gov: _CompiledGovernor, ceiling: int | None = None
    ) -> int | None:
        """End of the nearest governor right after ``end``, not after ``ceiling``."""
        stop = min(len(low) if ceiling is None else ceiling, end + gov.window)
        if not gov.anywhere.search(low, end, stop):
            return None
        match = gov.after.match(low, end, stop)
        return match.end("g") if match else None

    @staticmethod
    def _near(
        words: _LazyWordHits,
        start: int,
        end: int,
        window: int,
        word_set: _WordSet,
        lo: int = 0,
        hi: int | None = None,
    ) -> int | None:
        """Where a (context or veto) word starts within ``window`` characters of the span and
        inside [lo, hi) (the sentence), outside the span itself; None if nowhere."""
        starts = words.starts(word_set.id)
        if not starts:
            return None
        stop = end + window if hi is None else min(end + window, hi)
        i = bisect_left(starts, max(lo, start - window))
        while i < len(starts) and starts[i] < stop:
            if starts[i] < start or starts[i] >= end:
                return starts[i]
            i += 1
        return None

    def _in_media_title(self, text: str, words: _LazyWordHits, start: int, end: int) -> bool:
        """Is the span inside a quoted title announced by a media word (Buch "Die Therapie")?"""
        if self._media_re is None or not _ANY_QUOTE.search(text):
            return False
        line_start = text.rfind("\n", 0, start) + 1
        open_at = -1
        for i in range(start - 1, max(line_start, start - 80) - 1, -1):
            if text[i] in QUOTES and (i == 0 or not _is_word(text[i - 1])):
                open_at = i
                break
        if open_at < 0:
            return False
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if not _ANY_QUOTE.search(text, end, min(line_end, end + 80)):
            return False
        starts = words.starts(self._media_re.id) or []
        return any(open_at - _MEDIA_WINDOW <= s < open_at for s in starts)

    def _drop_subsumed(
        self,
        candidates: list[tuple[int, int, float, int, _CompiledEntry]],
        trace: Trace | None,
    ) -> list[tuple[int, int, float, int, _CompiledEntry]]:
        """Without the candidates strictly inside a longer one of another category."""
        kept = []
        for cand in candidates:
            start, end, _, cat, compiled = cand
            outer = next(
                (
                    o
                    for o in candidates
                    if o[3] != cat and o[0] <= start and end <= o[1] and o[1] - o[0] > end - start
                ),
                None,
            )
            if outer is None:
                kept.append(cand)
            elif trace is not None:
                trace.append(
                    {
                        "decision": "subsumed",
                        "category": self.categories[cat].lexicon.entity,
                        "entry": compiled.ref,
                        "span": (start, end),
                        "into": (outer[0], outer[1]),
                        "by": outer[4].ref,
                        "reason": "strictly inside a longer phrase of another category",
                    }
                )
        return kept

    def _resolve(
        self,
        low: str,
        candidates: list[tuple[int, int, float, int, _CompiledEntry]],
        trace: Trace | None = None,
    ) -> tuple[Finding, ...]:
        """Overlapping candidates become one span, their union; no category is lost.

        Why the union: redact more, never less. Dropping the shorter of two overlapping
        candidates of different categories lost both a category and the characters only it
        covered. A group of (transitively) overlapping candidates is reported once per
        category it holds, every finding with the group's union span (so spans are disjoint
        or identical), the category of the longest candidate first (then the higher score,
        then the order HEALTH, RELIGION, ...): the redactor tags an identical span with the
        first. One exception keeps precision without revealing anything: a candidate strictly
        inside a longer candidate of another category is a part of that phrase ("trade
        [unionist]" is no political unionist) and adds no category; its characters are inside
        the longer span anyway. Neighbouring groups with the same categories separated only by
        blanks are one phrase ("im fünften Monat schwanger", "Hindu priest") and merge.
        """
        if len(candidates) < 2:
            # Most notes with a finding have one candidate: nothing to group or merge.
            return tuple(
                Finding(self.categories[cat].lexicon.entity, start, end, score, compiled.ref)
                for start, end, score, cat, compiled in candidates
            )
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        candidates = self._drop_subsumed(candidates, trace)
        # One group: [start, end, {category: [best length, best's score, best's ref, top score]}]
        # (best: the longest candidate of the category, then the higher score, then the first).
        groups: list[list] = []
        for start, end, score, cat, compiled in candidates:
            last = groups[-1] if groups else None
            if last is not None and start < last[1]:
                if trace is not None:
                    trace.append(
                        {
                            "decision": "merged",
                            "category": self.categories[cat].lexicon.entity,
                            "entry": compiled.ref,
                            "span": (start, end),
                            "into": (last[0], last[1]),
                            "reason": "overlaps another candidate: the union is reported",
                        }
                    )
                last[1] = max(last[1], end)
                best = last[2].get(cat)
                if best is None:
                    last[2][cat] = [end - start, score, compiled.ref, score]
                else:
                    _keep_best(best, [end - start, score, compiled.ref, score])
            else:
                groups.append([start, end, {cat: [end - start, score, compiled.ref, score]}])
        merged: list[list] = []
        for group in groups:
            last = merged[-1] if merged else None
            if (
                last is not None
                and last[2].keys() == group[2].keys()
                and group[0] > last[1]
                and low[last[1] : group[0]].strip(" \t") == ""
            ):
                if trace is not None:
                    trace.append(
                        {
                            "decision": "merged",
                            "category": ",".join(
                                self.categories[c].lexicon.entity for c in group[2]
                            ),
                            "span": (group[0], group[1]),
                            "into": (last[0], last[1]),
                            "reason": "same category, separated only by blanks: one phrase",
                        }
                    )
                last[1] = group[1]
                for cat, info in group[2].items():
                    _keep_best(last[2][cat], info)
            else:
                merged.append(group)
        findings: list[Finding] = []
        for start, end, by_cat in merged:
            order = sorted(by_cat.items(), key=lambda item: (-item[1][0], -item[1][3], item[0]))
            findings.extend(
                Finding(self.categories[cat].lexicon.entity, start, end, info[3], info[2])
                for cat, info in order
            )
        return tuple(findings)


def _keep_best(best: list, other: list) -> None:
    """Fold ``other`` into ``best`` ([length, score, ref, top score] of one category): the
    longer candidate (then the higher score; on a tie the earlier) names the entry, and the
    top score is the highest of all."""
    if (other[0], other[1]) > (best[0], best[1]):
        best[0], best[1], best[2] = other[0], other[1], other[2]
    best[3] = max(best[3], other[3])


_MatcherKey = tuple[str, Path, frozenset[str] | None]
_MATCHERS: dict[_MatcherKey, SpecialCategoryMatcher] = {}
_MATCHERS_LOCK = threading.Lock()


def get_matcher(
    language: str,
    directory: Path = LEXICON_DIR,
    entities: frozenset[str] | None = None,
) -> SpecialCategoryMatcher:
    """The shared matcher of a language and set of categories (built once per process)."""
    key = (language, directory, entities)
    with _MATCHERS_LOCK:
        matcher = _MATCHERS.get(key)
        if matcher is None:
            matcher = SpecialCategoryMatcher(language, directory, entities)
            _MATCHERS[key] = matcher
        return matcher
