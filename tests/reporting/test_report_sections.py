"""The DPO report's sections a DPO signs: deletion summary in words, executed erasures, the Art. 30
record, and wording in the page language (German that reads as German, English legal references).

Real warehouse of the shared nightly run (copies where a test changes it); the erasure test runs
the real erasure on a copy of the warehouse and its data directory.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from orchestration.defs.erasure.runner import execute_erasure
from orchestration.defs.reporting.assets import render_to
from orchestration.defs.reporting.formatting import Formatter
from orchestration.defs.reporting.render import RETENTION_COLORS, _run_labels
from orchestration.defs.reporting.texts import TEXTS
from orchestration.defs.retention.manifest import find_manifest
from orchestration.lib.warehouse import connection_config, read_only
from tests.reporting.test_report_reconciliation import expected, figures


def _section(page: str, key: str) -> str:
    start = page.index(f'id="sec-{key}"')
    return page[start : page.index("</section>", start)]


def _visible(fragment: str) -> str:
    """The text a reader sees: no tags, no attributes."""
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment.replace("<wbr>", "")))
    return " ".join(text.replace("\u00ad", "").split())


@pytest.fixture(scope="module")
def pages(german_report_path: Path, english_report_path: Path) -> dict[str, str]:
    return {
        "de": german_report_path.read_text(encoding="utf-8"),
        "en": english_report_path.read_text(encoding="utf-8"),
    }


def test_deletion_summary_rows_are_per_record_type_and_action_and_add_up_to_the_manifest(
    pipeline_run: Any, pages: dict[str, str]
) -> None:
    with read_only(pipeline_run.warehouse_path) as con:
        manifest_id, total = con.execute(
            """select manifest_id, item_count from governance_ops.deletion_manifests
               order by first_written_at desc limit 1"""
        ).fetchone()  # type: ignore[misc]
        grouped = dict(
            (tuple(k), n)
            for *k, n in con.execute(
                """select coalesce(record_type, ''), action, reason, coalesce(rule_id, ''),
                          count(*)
                   from governance_ops.deletion_manifest_items where manifest_id = ?
                   group by all""",
                [manifest_id],
            ).fetchall()
        )
    section = _section(pages["de"], "retention")
    assert manifest_id[:12] in section
    rows = re.findall(
        r'<tr data-record-type="([^"]*)" data-action="([^"]*)" data-reason="([^"]*)" '
        r'data-rule="([^"]*)">(.*?)</tr>',
        section,
        re.S,
    )
    shown = {}
    for record_type, action, reason, rule, cells in rows:
        values = re.findall(r'data-value="(\d+)"', cells)
        assert (record_type, action, reason, rule) not in shown
        shown[(record_type, action, reason, rule)] = int(values[0])
    assert shown == grouped
    assert sum(shown.values()) == total
    assert f'data-value="{total}" data-headline="manifest_total"' in section


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", "2 Jahre ab dem Versand"),
        ("de", "8 Jahre ab Ende des Kalenderjahres, in dem das Rechnungsdatum liegt"),
        ("en", "2 years from the send"),
        ("en", "8 years from the end of the calendar year of the invoice date"),
    ],
)
def test_deletion_summary_states_each_rule_as_a_period_in_words(
    language: str, words: str, pages: dict[str, str]
) -> None:
    section = _visible(_section(pages[language], "retention"))
    assert words in section
    for code in ("origin_log_2y", "invoice_8y", "commercial_letter_6y", "retention_expired"):
        assert code not in section, code


def test_an_executed_erasure_is_shown_verified_and_closes_the_requests_it_fulfilled(
    pipeline_run: Any, tmp_path: Path
) -> None:
    """After a real erasure run the report names the run, its manifest, its rows, the
    verification and the intact hash chain; the erasure requests it carried out are no longer
    "in progress, overdue"."""
    data_dir = tmp_path / "data"
    shutil.copytree(pipeline_run.data_dir / "manifests", data_dir / "manifests")
    warehouse = data_dir / "warehouse.duckdb"
    shutil.copy(pipeline_run.warehouse_path, warehouse)
    con = duckdb.connect(str(warehouse), config=connection_config())
    try:
        # Make every request with manifest items open and overdue, as in a CRM that lags behind.
        reopened = [
            r
            for (r,) in con.execute(
                """update governance.data_subject_requests
                   set is_open = true, is_overdue = true, request_status = 'in_progress'
                   where request_id in (
                       select request_id from governance_ops.deletion_manifest_items
                       where request_id is not null and action = 'delete')
                   returning request_id"""
            ).fetchall()
        ]
        con.execute("checkpoint")
    finally:
        con.close()
    assert reopened, "the sample must hold erasure requests with items to delete"
    outcome = execute_erasure(find_manifest("latest", data_dir), warehouse, data_dir)
    assert outcome.outcome == "completed"
    with read_only(warehouse) as ro:
        path, _, _ = render_to(
            ro,
            tmp_path / "report",
            as_of=pipeline_run.as_of,
            run_id="t",
            language="de",
            data_dir=data_dir,
        )
    page = path.read_text(encoding="utf-8")
    erasures = _section(page, "erasures")
    assert outcome.manifest_id[:12] in erasures
    assert 'data-chain="chain_ok"' in erasures
    assert TEXTS["de"]["verified_yes"] in erasures
    assert outcome.applied is not None
    rows_deleted = re.findall(r'data-value="(\d+)"', erasures.split("<tbody>")[1])[0]
    assert int(rows_deleted) == outcome.applied.records_planned
    # The headline numbers still reconcile after the erasure, and none is overdue any more.
    con = duckdb.connect(str(warehouse), config=connection_config())
    try:
        truth = expected(con)
    finally:
        con.close()
    shown = {f["data-headline"]: int(f["data-value"]) for f in figures(page)}
    assert shown == {name: truth[name] for name in shown}
    assert shown["erasure_runs"] == 1 and shown["overdue_deletions"] == 0
    assert 'data-executed="' in _section(page, "retention")
    requests = _section(page, "requests")
    for request_id in reopened:
        row = re.search(rf'<tr data-request="{request_id}">(.*?)</tr>', requests, re.S)
        assert row is not None, request_id
        assert TEXTS["de"]["fulfilled_erasure"] in row.group(1)
        assert "lamp red" not in row.group(1)


def test_art30_counts_records_by_their_current_purpose_and_keeps_marketing_off_restricted_data(
    pipeline_run: Any, pages: dict[str, str]
) -> None:
    with read_only(pipeline_run.warehouse_path) as con:
        counts = dict(
            con.execute(
                """select processing_purpose_id, count(*)
                   from governance.record_retention_statuses group by 1"""
            ).fetchall()
        )
    section = _section(pages["de"], "activities")
    rows = dict(re.findall(r'<tr data-purpose="([^"]+)">(.*?)</tr>', section, re.S))
    assert counts.get("statutory_retention", 0) > 0
    for purpose, cells in rows.items():
        assert int(re.findall(r'data-value="(\d+)"', cells)[-1]) == counts.get(purpose, 0), purpose
    for restricted in ("statutory_retention", "legal_claims"):
        assert TEXTS["de"]["role_marketing"] not in _visible(rows[restricted]), restricted
    assert "gesperrt" not in " ".join(_visible(c) for c in rows.values())


def test_art30_flags_what_the_dpo_has_not_filled_in_and_shows_what_they_did(
    pipeline_run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with read_only(pipeline_run.warehouse_path) as con:
        path, _, _ = render_to(con, tmp_path / "a", as_of=pipeline_run.as_of, run_id="t")
    section = _section(path.read_text(encoding="utf-8"), "activities")
    assert section.count('class="not-filled"') >= 5  # controller, address, DPO, TOM states
    settings = tmp_path / "record.yaml"
    settings.write_text(
        "controller: {name: Beispiel GmbH, address: Hauptstr. 1, representative: A. Muster}\n"
        "dpo: {name: Datenschutz AG, contact: dsb@example.org}\n"
        "third_country_transfers: [{recipient: Mail-Dienst, country: USA, safeguard: DPF}]\n"
        "toms: {backup: {state: in place, note: Restore getestet}}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("CRM_PROCESSING_RECORD", str(settings))
    with read_only(pipeline_run.warehouse_path) as con:
        path, _, _ = render_to(con, tmp_path / "b", as_of=pipeline_run.as_of, run_id="t")
    section = _visible(_section(path.read_text(encoding="utf-8"), "activities"))
    for value in ("Beispiel GmbH", "Datenschutz AG", "USA", "Restore getestet", "umgesetzt"):
        assert value in section, value


def test_a_tom_note_written_per_language_is_shown_in_the_report_language(
    pipeline_run: Any, tmp_path: Path
) -> None:
    """The shipped settings file gives each measure's note in German and English."""
    shown = {}
    for language in ("de", "en"):
        with read_only(pipeline_run.warehouse_path) as con:
            path, _, _ = render_to(
                con, tmp_path / language, as_of=pipeline_run.as_of, run_id="t", language=language
            )
        shown[language] = _visible(_section(path.read_text(encoding="utf-8"), "activities"))
    assert "Datum der letzten geprüften Wiederherstellung" in shown["de"]
    assert "date of the last tested restore" in shown["en"]
    assert "Wiederherstellung" not in shown["en"] and "restore" not in shown["de"]


#: Codes of the warehouse a reader must never see in the visible text of these sections.
CODES = (
    "customer_service",
    "in_progress",
    "email_marketing",
    "statutory_retention",
    "legal_hold",
    "retention_expired",
    "redaction_writeback",
    "wishlist_sender",
    "web_form",
    "trade_fair",
    "date_of_birth",
    "free_text",
)
TRANSLATED = ("retention", "erasures", "consent", "requests", "activities", "provenance")


@pytest.mark.parametrize("language", ["de", "en"])
def test_no_code_of_the_warehouse_is_shown_as_a_word(language: str, pages: dict[str, str]) -> None:
    for key in TRANSLATED:
        text = _visible(_section(pages[language], key))
        assert [c for c in CODES if c in text] == [], key


def test_german_report_writes_german_dates_and_overdue_days(
    pipeline_run: Any, tmp_path: Path
) -> None:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(pipeline_run.warehouse_path, copy)
    con = duckdb.connect(str(copy), config=connection_config())
    try:
        con.execute(
            """update governance.data_subject_requests set is_open = true, is_overdue = true,
               days_overdue = 162, request_status = 'in_progress'"""
        )
        path, _, _ = render_to(con, tmp_path, as_of=pipeline_run.as_of, run_id="t", language="de")
    finally:
        con.close()
    section = _visible(_section(path.read_text(encoding="utf-8"), "requests"))
    assert "162 Tage überfällig" in section
    assert re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", section)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", section)


def test_english_report_cites_the_gdpr_in_english(pages: dict[str, str]) -> None:
    text = _visible(pages["en"].split('id="sec-sources"')[0])
    assert "GDPR" in text and "para." in text
    assert [w for w in ("DSGVO", " Abs. ", " Satz ", "i.V.m.") if w in text] == []


def test_expired_records_are_not_drawn_in_the_green_of_active_ones() -> None:
    assert RETENTION_COLORS["expired"] != RETENTION_COLORS["active"]


def test_several_runs_on_one_day_get_distinct_labels() -> None:
    runs = [
        (dt.datetime(2026, 12, 7, 1, 5), 1),
        (dt.datetime(2026, 12, 7, 14, 30), 0),
        (dt.datetime(2026, 12, 8, 1, 5), 2),
    ]
    labels = [label for label, _ in _run_labels(runs, Formatter("de"))]
    assert labels == ["07.12.2026 01:05", "07.12.2026 14:30", "08.12.2026"]


def test_numbers_and_dates_follow_the_page_language() -> None:
    de, en = Formatter("de"), Formatter("en")
    assert (de.number(14975), en.number(14975)) == ("14.975", "14,975")
    assert (de.date(dt.date(2026, 12, 7)), en.date(dt.date(2026, 12, 7))) == (
        "07.12.2026",
        "7 Dec 2026",
    )


def test_every_page_carries_the_reference_date_and_a_confidentiality_mark(
    pages: dict[str, str],
) -> None:
    from orchestration.defs.reporting.render import CSS

    for language, page in pages.items():
        assert 'class="as-of"' in page and 'class="confidential"' in page, language
    assert "string(report-date)" in CSS and "string(confidential)" in CSS


def test_write_back_lines_and_manifest_items_are_explained_by_an_independent_count(
    pipeline_run: Any,
) -> None:
    """Each line of the write-back file is a manifest item or a field of a record the manifest
    deletes; each manifest item missing from the file is a value held for review."""
    import json

    from orchestration.defs.reporting import queries as q
    from orchestration.defs.reporting.render import _rows

    with read_only(pipeline_run.warehouse_path) as con:
        manifest_id = con.execute(
            """select manifest_id from governance_ops.deletion_manifests
               order by first_written_at desc limit 1"""
        ).fetchone()[0]  # type: ignore[index]
        writeback = q.writeback(
            lambda sql, params=(): _rows(con, sql, params), manifest_id, pipeline_run.data_dir
        )
        items = set(
            con.execute(
                """select record_table, record_id, column_name
                   from governance_ops.deletion_manifest_items
                   where manifest_id = ? and reason = 'redaction_writeback'""",
                [manifest_id],
            ).fetchall()
        )
        held = {
            (t, i, c)
            for t, c, i in con.execute(
                "select table_name, column_name, record_id from landing.free_text_review"
            ).fetchall()
        }
    assert writeback is not None
    files = sorted((pipeline_run.data_dir / "outputs" / "redaction_writeback").glob("*.jsonl"))
    lines = [json.loads(x) for x in files[-1].read_text("utf-8").splitlines() if x.strip()]
    listed = {(x["table"], x["record_id"], x["column"]) for x in lines}
    assert writeback.lines == len(lines) > 0
    assert writeback.in_manifest == len(listed & items)
    assert writeback.other_lines == 0
    assert writeback.items_not_in_file == len(items - listed)
    assert items - listed <= held
