"""Report block: rows of erased subjects the CRM delivered again and the ingest did not load.

Self-contained (query, wording de/en, section) so the report can place it where it fits. Reads
``landing.quarantine`` rows with reason ``erased_subject`` (the contract with the ingest,
``suppression/ingest.py``): per table, row counts only, never content.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import duckdb

SOURCE = "landing.quarantine"
REASON = "erased_subject"

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "sec_suppressed": "Nach Löschung erneut gelieferte Daten",
        "v_suppressed": "{rows} erneut gelieferte Zeilen gelöschter Personen nicht geladen "
        "(Sperrliste).",
        "suppressed_intro": "Das CRM liefert Daten gelöschter Personen mitunter erneut. Die "
        "Sperrliste (verschlüsselte Prüfwerte von Kennung, E-Mail und Telefon, Art. 17(1) und "
        "21(3) DSGVO) hält sie beim Laden zurück: {rows} Zeilen wurden nicht geladen, sondern "
        "nur mit Zeilennummer vermerkt. Bitte veranlassen Sie die Löschung im CRM.",
        "suppressed_none": "Keine Zeile einer gelöschten Person wurde erneut geliefert.",
        "h_suppressed_table": "Tabelle",
        "h_suppressed_rows": "Nicht geladen",
    },
    "en": {
        "sec_suppressed": "Data delivered again after erasure",
        "v_suppressed": "{rows} re-delivered rows of erased persons not loaded (suppression list).",
        "suppressed_intro": "The CRM sometimes delivers data of erased persons again. The "
        "suppression list (keyed hashes of id, e-mail and phone, Art. 17(1) and 21(3) GDPR) keeps "
        "them out at ingest: {rows} rows were not loaded, only their row numbers were noted. "
        "Please have them erased in the CRM.",
        "suppressed_none": "No row of an erased person was delivered again.",
        "h_suppressed_table": "Table",
        "h_suppressed_rows": "Not loaded",
    },
}


def suppressed_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Rows suppressed by the latest load of each table (earlier exports' rows are history)."""
    try:
        found = con.execute(
            f"""with latest as (
                    select table_name, arg_max(export_id, loaded_at) as export_id
                    from landing.ingest_log group by table_name
                )
                select q.table_name, count(distinct q.source_row)
                from {SOURCE} q join latest using (table_name, export_id)
                where q.reason = ? group by 1 order by 2 desc, 1""",
            [REASON],
        ).fetchall()
    except duckdb.CatalogException:  # a first run that stopped before the ingest
        return []
    return [(str(t), int(n)) for t, n in found]


def suppressed_block(
    con: duckdb.DuckDBPyConnection,
    language: str,
    number: Callable[[int], str],
) -> tuple[str, str]:
    """(verdict note, section html) in ``language``; the section's title is ``sec_suppressed``."""
    t = TEXTS[language]
    rows = suppressed_rows(con)
    total = sum(n for _, n in rows)
    note = t["v_suppressed"].format(rows=number(total))
    if rows:
        body = (
            f"<table><tr><th>{t['h_suppressed_table']}</th><th>{t['h_suppressed_rows']}</th></tr>"
            + "".join(f"<tr><td>{escape(tb)}</td><td>{number(n)}</td></tr>" for tb, n in rows)
            + "</table>"
        )
    else:
        body = f"<p>{t['suppressed_none']}</p>"
    intro = t["suppressed_intro"].format(rows=number(total))
    html = (
        f'<section id="sec-suppressed"><h2>{t["sec_suppressed"]}</h2>'
        f'<p class="intro">{intro}</p>{body}</section>'
    )
    return note, html
