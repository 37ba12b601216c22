"""Locale-aware numbers and dates (Babel) and the Jinja2 environment the report renders with.

Why Babel: the DPO reads "14.975" and "07.12.2026" in German, "14,975" and "7 Dec 2026" in
English; hand-made ``replace(",", ".")`` got the digits right but not the dates, and Babel's
CLDR data does both for every locale. Why Jinja2 with autoescape: the report was HTML built in
Python strings, where every forgotten ``escape()`` was a hole; a template escapes by default and
keeps the wording and layout of each section in one file (``templates/``).

Every number a reader sees goes through ``num``: it links to the table that produced it and
carries ``data-source`` and ``data-value`` so a test can recompute it with its own query
(``tests/reporting/test_report_reconciliation.py``); a headline number also carries
``data-headline``, the name the reconciliation test knows it by.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

TEMPLATES = Path(__file__).parent / "templates"
LOCALES = {"de": "de_DE", "en": "en_GB"}
_BREAK_AFTER = re.compile(r"([_.])(?=\w)")
#: German citation words and their English forms ("Art. 17 Abs. 3 lit. b DSGVO" reads
#: "Art. 17 para. 3 lit. b GDPR"); statute names (AO, HGB, UStG, BGB, UWG) stay as they are.
_LEGAL_EN: tuple[tuple[str, str], ...] = (
    (r"\bDSGVO\b", "GDPR"),
    (r"\bAbs\.", "para."),
    (r"\bSatz\b", "sentence"),
    (r"\bNr\.", "no."),
    (r"\bi\.V\.m\.", "in conjunction with"),
    (r"\bi\.d\.F\.", "as amended by"),
    (r"\bErwG\b", "Recital"),
    (r"\bUrt\. v\.", "judgment of"),
    (r"\ba\.F\.", "old version"),
    (r"\bdes Vierten Bürokratieentlastungsgesetzes\b", "of the Fourth Bureaucracy Relief Act"),
    (r"\bÜbergangsvorschriften in\b", "transitional provisions in"),
    (r"\bje\b", "each"),
    (r"\bbis\b", "to"),
    (r"\bab\b", "from"),
    (r"\bvom\b", "of"),
    (r"\bund\b", "and"),
    (r"\bdie\b", "the"),
    (r"\bÜbergang\b", "transition"),
    (r"\bÜbergangsvorschriften\b", "transitional provisions"),
    (r"\binterne Löschfrist\b", "internal erasure period"),
    (r"\bvorvertragliche Maßnahmen auf Anfrage\b", "pre-contractual steps on request"),
    (r"\bMessekontakte ohne konkrete Anfrage\b", "trade-fair contacts without a request"),
    (r"\bHausregel: gesonderte Einwilligung\b", "house rule: separate consent"),
    (r"\bgesetzlich wäre\b", "the law would allow"),
    (r"\bmöglich\b", ""),
    (r"\bWiderspruch\b", "objection"),
    (r"\bDouble-Opt-In als Nachweis\b", "double opt-in as proof"),
    (r"\bi\.d\.F\.", "as amended"),
)


def anchor(table: str) -> str:
    """The id of a source table's entry in the appendix."""
    return "src-" + table.replace(".", "-")


def ident(text: object) -> Markup:
    """Escape an identifier and allow line breaks after ``_`` and ``.`` only.

    Check names such as ``int_marketing_sends_validated__sent_with_valid_consent`` have no
    spaces; without break points they force a table wider than the page.
    """
    return Markup(_BREAK_AFTER.sub(r"\1<wbr>", str(escape(str(text)))))


class Formatter:
    """Numbers and dates in one language's conventions; its methods are the templates' filters."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.locale = LOCALES[language]

    def number(self, value: int | float) -> str:
        return format_decimal(value, locale=self.locale)

    def date(self, value: dt.date | dt.datetime | str | None) -> str:
        """07.12.2026 (German) or 7 Dec 2026 (English); an empty string for no date."""
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            value = dt.date.fromisoformat(value[:10])
        if isinstance(value, dt.datetime):
            value = value.date()
        pattern = "dd.MM.yyyy" if self.language == "de" else "d MMM yyyy"
        return format_date(value, format=pattern, locale=self.locale)

    def datetime(self, value: dt.datetime | None) -> str:
        """A date and a time of day (minutes), for runs and audit entries."""
        if value is None:
            return ""
        return f"{self.date(value)} {value:%H:%M}"

    def legal(self, text: str | None) -> str:
        """A legal reference in the page language: German as written, English with "para.",
        "sentence" and "GDPR" (the statute abbreviations stay)."""
        text = text or ""
        if self.language != "en":
            return text
        for pattern, english in _LEGAL_EN:
            text = re.sub(pattern, english, text)
        return re.sub(r"\s{2,}", " ", text).strip()

    def num(self, value: Any, source: str, figure: str = "") -> Markup:
        """A number (or an id) that links to its source table and says what produced it."""
        if isinstance(value, bool):
            value = int(value)
        if isinstance(value, int | float):
            shown: Markup | str = self.number(value)
            data = f' data-value="{value}"'
        else:
            shown = ident(value)
            data = ""
        if figure:
            data += f' data-headline="{escape(figure)}"'
        return Markup(
            f'<a class="num" href="#{anchor(source)}" title="{escape(source)}" '
            f'data-source="{escape(source)}"{data}>{shown}</a>'
        )


def environment(language: str) -> Environment:
    """A Jinja2 environment for one language: autoescape on, undefined names fail loudly."""
    fmt = Formatter(language)
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        number=fmt.number,
        date=fmt.date,
        datetime=fmt.datetime,
        ident=ident,
        anchor=anchor,
        legal=fmt.legal,
    )
    env.globals.update(num=fmt.num, fmt=fmt)
    return env
