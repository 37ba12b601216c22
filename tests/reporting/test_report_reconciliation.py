"""Every headline number of the DPO report equals an independent query on the table it links to.

The report marks each headline number with ``data-headline`` (what it counts), ``data-source`` (the
table it links to) and ``data-value`` (the exact value behind the locale-formatted text). This
test parses them from the rendered HTML in both languages and recomputes each with its own SQL,
written here and not shared with the report's queries, so a report query that counts the wrong
thing (notifications instead of people, the manifest's total instead of its overdue deletions)
fails here. A figure the report shows but this test does not know fails too: a new headline
number must come with its reconciliation query.
"""

from __future__ import annotations

import csv
import html as html_lib
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest
from babel.numbers import format_decimal

from orchestration.defs.reporting.assets import render_to
from orchestration.lib.warehouse import connection_config, read_only

LATEST = """(select manifest_id from governance_ops.deletion_manifests
             order by first_written_at desc limit 1)"""
#: Figure name -> the SQL that must give the same number, on the table the figure links to.
RECONCILE: dict[str, str] = {
    "findings_total": "select coalesce(sum(finding_count), 0) "
    "from governance.special_category_findings",
    "redacted_fields": """select count(*) from (select distinct record_table, record_id,
        column_name from intermediate.int_note_findings_resolved where is_special_category)""",
    "redacted_records": """select count(*) from (select distinct record_table, record_id
        from intermediate.int_note_findings_resolved where is_special_category)""",
    "notifications_pending": "select count(*) from landing.redaction_notifications "
    "where notification_status = 'pending'",
    "notifications_pending_people": """select count(*) from (select distinct subject_type,
        subject_id from landing.redaction_notifications where notification_status = 'pending')""",
    "held_values": "select count(*) from landing.free_text_review",
    # Overdue deletions of the newest manifest, none once an erasure run has carried it out.
    "overdue_deletions": f"""select count(*) from governance_ops.deletion_manifest_items
        where manifest_id = {LATEST} and action = 'delete' and is_overdue
          and manifest_id not in (select manifest_id from governance_ops.audit_log
                                  where action = 'erasure' and event = 'completed')""",
    "expired_records": "select count(*) from governance.record_retention_statuses "
    "where retention_status = 'expired'",
    "manifest_total": f"select item_count from governance_ops.deletion_manifests "
    f"where manifest_id = {LATEST}",
    "manifest_delete": f"select count(*) from governance_ops.deletion_manifest_items "
    f"where manifest_id = {LATEST} and action = 'delete'",
    "manifest_anonymize": f"select count(*) from governance_ops.deletion_manifest_items "
    f"where manifest_id = {LATEST} and action = 'anonymize'",
    "manifest_restrict": f"select count(*) from governance_ops.deletion_manifest_items "
    f"where manifest_id = {LATEST} and action = 'restrict'",
    "writeback_items": f"select count(*) from governance_ops.deletion_manifest_items "
    f"where manifest_id = {LATEST} and reason = 'redaction_writeback'",
    "erasure_runs": "select count(*) from governance_ops.audit_log "
    "where action = 'erasure' and event = 'completed'",
    "dsr_exports": "select count(*) from governance_ops.audit_log "
    "where action = 'dsr_export' and event = 'completed'",
    "audit_entries": "select count(*) from governance_ops.audit_log",
    # rows of the latest load of each table (an export delivered again counts once)
    "suppressed_rows": """select count(*) from (
        select distinct q.table_name, q.source_row from landing.quarantine q
        where q.reason = 'erased_subject' and q.export_id = (
            select l.export_id from landing.ingest_log l where l.table_name = q.table_name
            order by l.loaded_at desc limit 1))""",
    "sends_without_consent": """select coalesce(sum(sends_without_valid_consent
        + sends_after_objection), 0) from governance.consent_coverages""",
    "consent_gaps": """select coalesce(sum(consents_without_double_opt_in
        + consents_without_parental_consent), 0) from governance.consent_coverages""",
    # Open requests that no executed erasure or export has fulfilled (per the audit log).
    "open_requests": """select count(*) from governance.data_subject_requests r
        where r.is_open and r.request_id not in (select request_id from fulfilled)""",
    "overdue_requests": """select count(*) from governance.data_subject_requests r
        where r.is_open and r.is_overdue
          and r.request_id not in (select request_id from fulfilled)""",
    "quality_checks": """select count(*) from (select distinct check_name, asset_key
        from governance_ops.quality_check_results where run_id = (select run_id
        from governance_ops.quality_check_results order by checked_at desc limit 1))""",
    "quality_blocking_failed": """select count(*) from (select check_name
        from governance_ops.quality_check_results where run_id = (select run_id
        from governance_ops.quality_check_results order by checked_at desc limit 1)
        group by check_name, asset_key having not bool_and(passed) and bool_or(is_blocking))""",
    "quality_advisory_failed": """select count(*) from (select check_name
        from governance_ops.quality_check_results where run_id = (select run_id
        from governance_ops.quality_check_results order by checked_at desc limit 1)
        group by check_name, asset_key having not bool_and(passed) and not bool_or(is_blocking))""",
    "role_violations": "select count(*) from governance.role_access_report where not is_compliant",
}
FULFILLED = """create or replace temp view fulfilled as
    select distinct i.request_id from governance_ops.deletion_manifest_items i
    where i.request_id is not null
      and (i.action in ('delete', 'anonymize') or i.reason = 'restriction_request')
      and i.manifest_id in (select manifest_id from governance_ops.audit_log
                            where action = 'erasure' and event = 'completed')
    union
    select json_extract_string(entry_json, '$.request_label') from governance_ops.audit_log
    where action = 'dsr_export' and event = 'completed'"""
MIRROR = """create table if not exists governance_ops.audit_log (seq bigint, recorded_at timestamp,
    action varchar, event varchar, execution_id varchar, manifest_id varchar, outcome varchar,
    prev_hash varchar, entry_hash varchar, entry_json varchar)"""
FIGURE = re.compile(r"<a [^>]*data-headline=\"[^\"]+\"[^>]*>.*?</a>", re.S)


def figures(page: str) -> list[dict[str, str]]:
    """Every headline number: its figure name, source, exact value and the text a reader sees."""
    found = []
    for tag in FIGURE.findall(page):
        attributes = dict(re.findall(r'([a-z-]+)="([^"]*)"', tag.split(">", 1)[0]))
        shown = html_lib.unescape(re.sub(r"<[^>]+>", "", tag))
        found.append({**attributes, "shown": shown})
    return found


def expected(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    con.execute(MIRROR)
    con.execute(FULFILLED)
    return {name: int(con.execute(sql).fetchone()[0]) for name, sql in RECONCILE.items()}  # type: ignore[index]


@pytest.fixture(scope="module")
def truth(pipeline_run: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """The independent queries, on a copy (the audit mirror may be created for the query)."""
    copy = tmp_path_factory.mktemp("reconcile") / "warehouse.duckdb"
    shutil.copy(pipeline_run.warehouse_path, copy)
    con = duckdb.connect(str(copy), config=connection_config())
    try:
        return expected(con)
    finally:
        con.close()


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_headline_number_equals_an_independent_query_on_its_table(
    language: str, german_report_path: Path, english_report_path: Path, truth: dict[str, int]
) -> None:
    page = (german_report_path if language == "de" else english_report_path).read_text("utf-8")
    shown = figures(page)
    names = {f["data-headline"] for f in shown}
    # Every headline figure the report can show is there, and none the test cannot check.
    assert names == set(RECONCILE), (sorted(names - set(RECONCILE)), sorted(set(RECONCILE) - names))
    locale = "de_DE" if language == "de" else "en_GB"
    for figure in shown:
        name = figure["data-headline"]
        assert int(figure["data-value"]) == truth[name], name
        assert figure["shown"] == format_decimal(truth[name], locale=locale), name
        assert figure["data-source"] in RECONCILE[name], f"{name} links to the wrong table"


def test_distinct_people_and_notifications_are_different_numbers_on_the_page(
    german_report_path: Path, truth: dict[str, int]
) -> None:
    """The sample has people with several redacted fields: the page must not equate them."""
    assert truth["notifications_pending"] > truth["notifications_pending_people"] > 0
    page = german_report_path.read_text("utf-8")
    values = {f["data-headline"]: int(f["data-value"]) for f in figures(page)}
    assert values["notifications_pending"] == truth["notifications_pending"]
    assert values["notifications_pending_people"] == truth["notifications_pending_people"]


def test_a_report_that_counts_the_wrong_thing_fails_the_reconciliation(
    pipeline_run: Any, tmp_path: Path, truth: dict[str, int]
) -> None:
    """Plant a disagreement (one more pending notification in the report's copy only) and show
    that the comparison sees it: the test can fail."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(pipeline_run.warehouse_path, copy)
    con = duckdb.connect(str(copy), config=connection_config())
    try:
        con.execute(
            """insert into landing.redaction_notifications
               select * from landing.redaction_notifications limit 1"""
        )
        path, _, _ = render_to(con, tmp_path, as_of=pipeline_run.as_of, run_id="t", language="de")
    finally:
        con.close()
    values = {f["data-headline"]: int(f["data-value"]) for f in figures(path.read_text("utf-8"))}
    assert values["notifications_pending"] == truth["notifications_pending"] + 1


def test_reconciliation_queries_run_on_the_warehouse_the_report_read(pipeline_run: Any) -> None:
    with read_only(pipeline_run.warehouse_path) as con:
        tables = {
            f"{s}.{n}"
            for s, n in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
    for name, sql in RECONCILE.items():
        named = set(re.findall(r"\b(?:from|join)\s+([a-z_]+\.[a-z_]+)", sql))
        assert named, name
        assert named - {"governance_ops.audit_log", "landing.quarantine"} <= tables, name


def test_the_manifest_total_shown_is_its_item_count_and_the_actions_add_up_to_it(
    truth: dict[str, int],
) -> None:
    assert truth["manifest_total"] == sum(
        truth[f"manifest_{action}"] for action in ("delete", "anonymize", "restrict")
    )
    assert truth["overdue_deletions"] <= truth["manifest_delete"]


#: The page's and the CSV's order of open requests, written here independently of the report.
OPEN_REQUESTS = """select r.request_id, r.request_status,
           r.request_id in (select request_id from fulfilled) as is_fulfilled,
           coalesce(r.is_overdue, false)
               and r.request_id not in (select request_id from fulfilled) as late
    from governance.data_subject_requests r where r.is_open
    order by late desc, r.due_date nulls last, r.request_id"""


def _reopened_report(pipeline_run: Any, tmp_path: Path, limit: int) -> tuple[Path, list[tuple]]:  # type: ignore[type-arg]
    """A copy with many open requests (every second one overdue), rendered with ``limit``;
    returns the page and the independent list of open requests in the page's order."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(pipeline_run.warehouse_path, copy)
    con = duckdb.connect(str(copy), config=connection_config())
    try:
        # The sample's few requests, each copied twelve times with its own id, status,
        # deadline and overdue flag.
        con.execute(
            """create or replace table governance.data_subject_requests as
               select r.* replace (
                   r.request_id || '-' || lpad(n::varchar, 2, '0') as request_id,
                   true as is_open,
                   case when n % 3 = 0 then 'received' else 'in_progress' end
                       as request_status,
                   n % 2 = 0 as is_overdue,
                   r.due_date + (n % 5)::integer as due_date)
               from governance.data_subject_requests as r, range(12) as t(n)"""
        )
        path, _, _ = render_to(
            con, tmp_path / "report", as_of=pipeline_run.as_of, run_id="t", list_limit=limit
        )
        con.execute(MIRROR)
        con.execute(FULFILLED)
        truth = con.execute(OPEN_REQUESTS).fetchall()
    finally:
        con.close()
    return path, truth


def test_the_paged_request_list_shows_the_most_urgent_and_counts_every_open_request(
    pipeline_run: Any, tmp_path: Path
) -> None:
    path, truth = _reopened_report(pipeline_run, tmp_path, limit=3)
    assert len(truth) > 3, "the sample must hold more requests than the page lists"
    page = path.read_text(encoding="utf-8")
    section = page.split('id="sec-requests"')[1].split("</section>")[0]
    listed = re.findall(r'<tr data-request="([^"]+)">', section)
    assert listed == [r[0] for r in truth[:3]]
    paged = re.search(r'data-shown="(\d+)" data-total="(\d+)"', section)
    assert paged is not None and paged.groups() == ("3", str(len(truth)))
    by_status = {
        status: int(value)
        for status, value in re.findall(
            r'<tr data-status="([^"]+)">.*?data-value="(\d+)"', section, re.S
        )
    }
    expected_status: dict[str, int] = {}
    for _, status, fulfilled, _ in truth:
        key = "fulfilled" if fulfilled else status
        expected_status[key] = expected_status.get(key, 0) + 1
    fulfilled_shown = sum(n for s, n in by_status.items() if s.startswith("fulfilled_"))
    assert {s: n for s, n in by_status.items() if not s.startswith("fulfilled_")} == {
        s: n for s, n in expected_status.items() if s != "fulfilled"
    }
    assert fulfilled_shown == expected_status.get("fulfilled", 0)
    assert sum(by_status.values()) == len(truth)
    # The headline figures still count every open request, not the listed ones.
    values = {f["data-headline"]: int(f["data-value"]) for f in figures(page)}
    assert values["open_requests"] == sum(1 for r in truth if not r[2])
    assert values["overdue_requests"] == sum(1 for r in truth if r[3])


def test_the_csv_beside_the_report_lists_every_open_request_in_the_page_order(
    pipeline_run: Any, tmp_path: Path
) -> None:
    path, truth = _reopened_report(pipeline_run, tmp_path, limit=3)
    with (path.parent / "open_requests.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["request_id"] for r in rows] == [r[0] for r in truth]
    assert [r["is_overdue"] == "true" for r in rows] == [bool(r[3]) for r in truth]
    # ids, codes, dates, flags and day counts only
    assert set(rows[0]) == {
        "request_id",
        "request_type",
        "gdpr_article",
        "request_status",
        "fulfilled_by",
        "received_date",
        "due_date",
        "is_deadline_extended",
        "is_overdue",
        "days_until_due",
        "days_overdue",
    }


def test_a_csv_cell_that_could_start_a_formula_is_prefixed_with_a_quote(
    pipeline_run: Any, tmp_path: Path
) -> None:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(pipeline_run.warehouse_path, copy)
    con = duckdb.connect(str(copy), config=connection_config())
    try:
        planted = con.execute(
            """update governance.data_subject_requests
               set is_open = true, request_id = '=HYPERLINK("http://x")',
                   gdpr_article = '@SUM(A1)', days_until_due = -4
               where request_id = (select min(request_id) from governance.data_subject_requests)
               returning request_id"""
        ).fetchall()
        render_to(con, tmp_path / "report", as_of=pipeline_run.as_of, run_id="t")
    finally:
        con.close()
    assert planted
    with (tmp_path / "report" / "open_requests.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    row = next(r for r in rows if "HYPERLINK" in r["request_id"])
    assert row["request_id"] == '\'=HYPERLINK("http://x")'
    assert row["gdpr_article"] == "'@SUM(A1)"
    assert row["days_until_due"] == "'-4"
    assert not [c for r in rows for c in r.values() if c[:1] in ("=", "+", "-", "@")]
