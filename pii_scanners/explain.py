"""Why the scanner found, vetoed, merged or dropped each span of one text.

Why: changing a lexicon with confidence needs to see which entry found a term, which rule
(exclusion, veto word, veto governor, required context, media title) turned a hit away and
where, how overlapping spans were merged, and what the PII recognizers found. This is a
developer / DPO tool run on a text the person supplies: the explanation quotes that text and
its matched terms, and goes to the caller (stdout) only, never to a log.

How: the special-category matcher of every language that runs on the text is run again with
a trace sink (``SpecialCategoryMatcher.find_traced``; the sink is None in normal scans, so the
hot path pays nothing), the other-language sentence gate is re-decided per finding, Presidio
is asked for the PII findings, and the final findings come from the scanner itself (no memo),
so the explanation ends with exactly what a scan stores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pii_scanners.language import detect_language
from pii_scanners.models import Finding, ScanRequest
from pii_scanners.scanner import Scanner
from pii_scanners.sentences import Sentences

_WORD_AT = re.compile(r"[\w'’-]+")


@dataclass
class Explanation:
    """Everything ``explain`` found out about one text (offsets into it; end exclusive)."""

    text: str
    lang: str
    languages: tuple[str, ...]
    detection: dict[str, Any]
    special: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    other_language: list[dict[str, Any]] = field(default_factory=list)
    pii: list[Finding] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    resolution: list[dict[str, Any]] = field(default_factory=list)
    redacted_text: str = ""


def explain(
    scanner: Scanner, text: str, lang: str | None = None, known_names: tuple[str, ...] = ()
) -> Explanation:
    """Trace one scan of ``text`` (``lang`` None or "auto": detected, as the pipeline does)."""
    request = ScanRequest("explain", text, lang, known_names)
    note_lang, languages = scanner.languages_for(request)
    det = detect_language(text, scanner.config.detection_default)
    result = Explanation(
        text=text,
        lang=note_lang,
        languages=tuple(languages),
        detection={"detected": det.lang, "margin": det.margin, "requested": lang or "auto"},
    )
    auto = (lang or "auto").lower() == "auto"
    for language in scanner.config.languages:
        direct = scanner._special.get(language)
        if direct is None or (language not in languages and not auto):
            continue
        _, trace = direct.matcher.find_traced(text)
        result.special[language] = trace
    crossed = scanner.other_language_findings(request, languages)
    if auto:
        sentences = Sentences(text)
        for language in scanner.config.languages:
            direct = scanner._special.get(language)
            if language in languages or direct is None:
                continue
            for f in direct.findings(text, None):
                lo, hi = sentences.bounds(f.start, f.end)
                sentence_det = detect_language(text[lo:hi], scanner.config.detection_default)
                result.other_language.append(
                    {
                        "language": language,
                        "finding": f,
                        "sentence": (lo, hi),
                        "sentence_language": sentence_det.lang,
                        "sentence_margin": sentence_det.margin,
                        "kept": f in crossed,
                    }
                )
    special_types = scanner.config.special_category_entities
    result.pii = [
        f
        for f in scanner._presidio_findings(request, languages, None)
        if f.entity_type not in special_types
    ]
    _, findings, redacted = scanner.scan_fresh("explain", text, lang, known_names)
    result.findings = findings
    result.redacted_text = redacted
    raw = [*result.pii]
    for language in result.languages:
        direct = scanner._special.get(language)
        if direct is not None:
            raw.extend(direct.findings(text, None))
    raw.extend(crossed)
    for final in findings:
        members = [f for f in raw if f.start < final.end and final.start < f.end]
        if members == [final] or (len(members) == 1 and _same(members[0], final)):
            continue
        result.resolution.append({"final": final, "members": members})
    covered = [(f.start, f.end) for f in findings]
    for f in raw:
        if not any(a < f.end and f.start < b for a, b in covered):
            result.resolution.append({"final": None, "members": [f]})
    return result


def _same(a: Finding, b: Finding) -> bool:
    return (a.entity_type, a.start, a.end) == (b.entity_type, b.start, b.end)


def _quote(text: str, start: int, end: int) -> str:
    return repr(text[start:end])


def _word_at(text: str, at: int) -> str:
    match = _WORD_AT.match(text, at)
    return repr(match.group()) if match else "?"


def format_explanation(ex: Explanation, scanner: Scanner) -> str:
    """A readable report of ``ex`` (quotes the text: for the person who supplied it)."""
    text = ex.text
    lines = [
        f"text: {len(text)} characters",
        f"language: {ex.lang} (requested {ex.detection['requested']}; detector says "
        f"{ex.detection['detected']}, margin {ex.detection['margin']}); recognizers of "
        f"{', '.join(ex.languages)} run",
        "",
        "special categories (lexicon matcher, per language):",
    ]
    notes = _entry_notes(scanner)
    for language, trace in ex.special.items():
        lines.append(f"  [{language}] {len(trace)} decision(s)")
        for event in trace:
            lines.append("    " + _format_event(text, event, notes))
    if ex.other_language:
        lines.append("")
        lines.append("other-language findings (kept only in a sentence in that language):")
        for item in ex.other_language:
            f = item["finding"]
            lo, hi = item["sentence"]
            verdict = "kept" if item["kept"] else "dropped"
            lines.append(
                f"  {verdict}: {f.entity_type} {_quote(text, f.start, f.end)} [{f.start}:{f.end}]"
                f" from the {item['language']} lexicons; its sentence [{lo}:{hi}] reads as "
                f"{item['sentence_language']} (margin {item['sentence_margin']})"
            )
    lines.append("")
    lines.append("PII recognizers (Presidio, thresholds applied):")
    if not ex.pii:
        lines.append("  none")
    for f in sorted(ex.pii, key=lambda f: (f.start, f.end)):
        lines.append(
            f"  {f.entity_type} {_quote(text, f.start, f.end)} [{f.start}:{f.end}] "
            f"score {f.score} by {f.recognizer}"
        )
    lines.append("")
    lines.append("overlap resolution (overlapping findings become their union):")
    if not ex.resolution:
        lines.append("  no overlaps")
    for item in ex.resolution:
        final = item["final"]
        members = ", ".join(
            f"{m.entity_type} [{m.start}:{m.end}] ({m.recognizer})" for m in item["members"]
        )
        if final is None:
            lines.append(f"  dropped: {members} (below threshold or not selected)")
        else:
            lines.append(
                f"  merged: {members} -> {final.entity_type} [{final.start}:{final.end}] "
                f"{_quote(text, final.start, final.end)}"
            )
    lines.append("")
    lines.append("final findings (what a scan stores):")
    if not ex.findings:
        lines.append("  none")
    for f in ex.findings:
        lines.append(
            f"  {f.entity_type} [{f.start}:{f.end}] {_quote(text, f.start, f.end)} "
            f"score {f.score} by {f.recognizer}"
        )
    lines.append("")
    lines.append(f"redacted: {ex.redacted_text}")
    return "\n".join(lines)


def _entry_notes(scanner: Scanner) -> dict[str, str]:
    """Lexicon entry reference -> its ``note`` (what the entry is for), for every language."""
    notes: dict[str, str] = {}
    for direct in scanner._special.values():
        if direct is None:
            continue
        for compiled in direct.matcher._entries:
            if compiled.entry.note:
                notes[compiled.ref] = " ".join(compiled.entry.note.split())
    return notes


def _format_event(text: str, event: dict[str, Any], notes: dict[str, str]) -> str:
    decision = str(event["decision"])
    parts = [f"{decision}: {event['category']}"]
    if "hit" in event:
        start, end = event["hit"]  # type: ignore[misc]
        parts.append(f"term {_quote(text, start, end)} [{start}:{end}]")
    elif "span" in event:
        start, end = event["span"]  # type: ignore[misc]
        parts.append(f"span {_quote(text, start, end)} [{start}:{end}]")
    if "entry" in event:
        ref = str(event["entry"])
        note = notes.get(ref)
        parts.append(f"entry {ref}" + (f" ({note[:70]})" if note else ""))
    if decision == "candidate" and "span" in event:
        start, end = event["span"]  # type: ignore[misc]
        parts.append(f"span {_quote(text, start, end)} [{start}:{end}]")
    if "into" in event:
        start, end = event["into"]  # type: ignore[misc]
        parts.append(f"into [{start}:{end}]")
    if "by" in event:
        parts.append(f"by entry {event['by']}")
    reason = str(event["reason"])
    if "rule" in event:
        reason += f" (rule {event['rule']})"
    if "at" in event:
        at = int(event["at"])  # type: ignore[call-overload]
        if event.get("rule") == "veto_after" and "hit" in event:
            hit_end = int(event["hit"][1])  # type: ignore[index]
            reason += f": {_quote(text, hit_end, at).strip()} ending at {at}"
        else:
            reason += f": {_word_at(text, at)} at {at}"
    parts.append("- " + reason)
    return " ".join(parts)
