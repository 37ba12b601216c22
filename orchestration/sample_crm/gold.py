"""Ground truth in the evaluation format, joined from an export's CSVs and ``labels.jsonl``.

Why a join instead of storing text in the labels: the labels file stays free of personal data
(only offsets and label names), and the evaluator reads the text from the same CSV the pipeline
ingests, so both see exactly the same characters (also for cp1252 exports).

Every non-empty free-text field is yielded, with empty ``spans`` when nothing was planted, so
that precision can be measured. The join streams: labels are written in the same order as the
rows of each table, so one pass per table suffices; the only state that grows with N is the
language of each customer (for the language of unlabelled order comments and service notes).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from orchestration.lib.crm_schema import EXPORT_MANIFEST, LABELS_FILE, TABLES

#: Evaluation ``source`` name per free-text column.
SOURCE_OF_COLUMN = {
    ("wishlist_submissions", "wish_text"): "wishlist",
    ("service_notes", "note_text"): "service_note",
    ("orders", "order_comment"): "order_comment",
    ("partner_contacts", "partner_note"): "partner_note",
}


def _labels_of(export_dir: Path, table: str, column: str) -> Iterator[dict[str, Any]]:
    with (export_dir / LABELS_FILE).open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec["table"] == table and rec["column"] == column:
                yield rec


def _customer_langs(export_dir: Path, encoding: str) -> dict[str, str]:
    """Language per customer id; needed for unlabelled order comments and service notes.

    This is the one part of the join whose memory grows with N (a short string per customer).
    """
    langs: dict[str, str] = {}
    with (export_dir / "customers.csv").open(encoding=encoding, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        key, lang = header.index("customer_id"), header.index("preferred_language")
        for row in reader:
            langs[row[key]] = sys.intern(row[lang])
    return langs


def iter_gold_notes(export_dir: Path | str) -> Iterator[dict[str, Any]]:
    """Yield ``{"id", "lang", "source", "text", "spans"}`` for every non-empty free-text field.

    ``lang`` of an unlabelled field is the language of its owner (customer, partner contact or
    wish-list sender), which is the language the generator wrote it in.
    """
    export_dir = Path(export_dir)
    manifest = json.loads((export_dir / EXPORT_MANIFEST).read_text(encoding="utf-8"))
    encoding = manifest["encoding"]
    customer_lang = _customer_langs(export_dir, encoding)
    for table in TABLES:
        for column in table.free_text_columns:
            source = SOURCE_OF_COLUMN[(table.name, column)]
            yield from _join_table(export_dir, table.name, table.primary_key, column, source,
                                   encoding, customer_lang)  # fmt: skip


def _join_table(
    export_dir: Path,
    table: str,
    key: str,
    column: str,
    source: str,
    encoding: str,
    customer_lang: dict[str, str],
) -> Iterator[dict[str, Any]]:
    labels = _labels_of(export_dir, table, column)
    pending = next(labels, None)
    with (export_dir / f"{table}.csv").open(encoding=encoding, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        ki, ti = header.index(key), header.index(column)
        owner = header.index("customer_id") if "customer_id" in header else None
        phone = header.index("phone") if table == "partner_contacts" else None
        for row in reader:
            text = row[ti]
            record_id = row[ki]
            if pending is not None and pending["record_id"] == record_id:
                label, pending = pending, next(labels, None)
            else:
                label = None
            if not text:
                if label is not None:
                    raise ValueError(f"{table}:{record_id}:{column} is labelled but empty")
                continue
            if label is not None:
                lang, spans = label["lang"], label["spans"]
            else:
                spans = []
                lang = _unlabelled_lang(text, row, owner, phone, customer_lang)
            yield {
                "id": f"{table}:{record_id}:{column}",
                "lang": lang,
                "source": source,
                "text": text,
                "spans": spans,
            }
    if pending is not None:
        raise ValueError(
            f"{LABELS_FILE}: label {pending['id']} has no matching row in {table}.csv "
            "(labels must be in the table's row order)"
        )


def _unlabelled_lang(
    text: str,
    row: list[str],
    owner: int | None,
    phone: int | None,
    customer_lang: dict[str, str],
) -> str:
    if owner is not None and row[owner]:
        lang = customer_lang.get(row[owner])
        if lang:
            return lang
    if phone is not None and row[phone][:3] in _LANG_OF_PHONE:
        return _LANG_OF_PHONE[row[phone][:3]]
    return guess_lang(text)


#: Partner contacts carry no language column, but the generator gives German contacts German
#: numbers and English contacts UK numbers.
_LANG_OF_PHONE = {"+49": "de", "+44": "en"}


_DE_MARKERS = frozenset((
    "und", "ich", "der", "die", "das", "ist", "nicht", "bitte", "mit", "für", "von", "wir", "mir",
    "auch", "ein", "eine", "einen", "im", "zum", "zur", "kd.", "kundin", "kunde", "wünsche",
    "lieber", "liebes", "dem", "den", "sich", "bei", "auf", "bis", "kann", "es", "sind", "noch",
    "ab", "zu", "keine", "kein", "oder", "wenn", "falls", "danke", "hat", "habe", "vor", "nach",
    "aus", "über",
))  # fmt: skip
_EN_MARKERS = frozenset((
    "the", "and", "i", "is", "not", "please", "with", "for", "from", "we", "me", "a", "to", "my",
    "our", "you", "of", "on", "customer", "cust.", "dear", "would", "like", "at", "can", "this",
    "by", "it", "be", "if", "no", "are", "so", "just", "there", "have", "has", "after", "all",
    "any", "i'm", "it's", "he's", "she's", "we're", "don't",
))  # fmt: skip


def guess_lang(text: str) -> str:
    """German or English, for the few fields whose owner has no language column.

    Wish-list senders and partner contacts carry no language in the CRM; the generator wrote
    their text from German or English templates only, so counting function words is reliable
    here (the tests check it against the labelled fields, whose language is known).
    """
    de = en = 0
    for word in text.lower().split():
        word = word.strip(",.!?:;()\"'")
        if word in _DE_MARKERS:
            de += 1
        elif word in _EN_MARKERS:
            en += 1
        if "ä" in word or "ö" in word or "ü" in word or "ß" in word:
            de += 1
    return "en" if en > de else "de"


def write_gold(export_dir: Path | str, out_file: Path | str) -> int:
    """Write the gold notes as JSON Lines; return how many were written."""
    n = 0
    with Path(out_file).open("w", encoding="utf-8", newline="\n") as f:
        for rec in iter_gold_notes(export_dir):
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n
