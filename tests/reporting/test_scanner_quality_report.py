"""The special-category section's measured figures and held values, reconciled with their sources.

Real warehouse of the shared nightly run, copied per test so a test can plant what the sample
does not have yet: values stored by a scanner version nobody evaluated, and the guard's review
table (``landing.free_text_review``, the contract of the guard's helper). Every number in the new
blocks is compared with a query on the table, or a lookup in the stored evaluation file, that it
comes from.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from orchestration.defs.reporting.render import (
    AMBER,
    GREEN,
    REVIEW_IDS_SHOWN,
    build_report,
    render_html,
)
from orchestration.defs.reporting.scanner_quality import FIGURES
from orchestration.defs.reporting.texts import TEXTS
from orchestration.lib.warehouse import connection_config
from pii_scanners.evaluate import PII
from pii_scanners.evaluations import figure_at, load_evaluation, load_targets

UNEVALUATED = "0.0.0+000000000000"
REVIEW_DDL = """create table landing.free_text_review (
    table_name varchar, column_name varchar, record_id varchar, guard_category varchar,
    guard_version varchar, export_id varchar, held_at timestamp)"""


@pytest.fixture
def warehouse(pipeline_run: Any, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable copy of the nightly run's warehouse."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(pipeline_run.warehouse_path, copy)
    con = duckdb.connect(str(copy), config=connection_config())
    try:
        yield con
    finally:
        con.close()


def _plant_review_and_old_version(con: duckdb.DuckDBPyConnection) -> None:
    """Hold 18 values per table (three categories) and mark 40 stored values as scanned by a
    version that has no stored figures."""
    con.execute("drop table if exists landing.free_text_review")
    con.execute(REVIEW_DDL)
    con.execute(
        """insert into landing.free_text_review
           select table_name, column_name, record_id,
                  if(rn % 3 = 0, 'HEALTH', 'ETHNIC_ORIGIN'),
                  'guard-test', export_id, timestamp '2026-11-23 02:00:00'
           from (select *, row_number() over (partition by table_name order by record_id) as rn
                 from landing.free_text_scan_status)
           where rn <= 18"""
    )
    # A second suspicion on a value already held: one more suspected leak, not one more value.
    con.execute(
        """insert into landing.free_text_review
           select table_name, column_name, record_id, 'RELIGION', guard_version, export_id,
                  held_at
           from landing.free_text_review order by table_name, record_id limit 1"""
    )
    con.execute(
        f"""update landing.free_text_scan_status set scanner_version = '{UNEVALUATED}'
            where record_id in (select record_id from landing.free_text_scan_status
                                order by record_id desc limit 40)"""
    )


def _render(con: duckdb.DuckDBPyConnection, language: str, **kwargs: Any) -> tuple[Any, str]:
    report = build_report(con, as_of=dt.date(2026, 11, 23), run_id="t", language=language, **kwargs)
    return report, render_html(report)


def _block(page: str, start_id: str, end: str = "</section>") -> str:
    start = page.index(f'id="{start_id}"')
    return page[start : page.index(end, start)]


def _text(cell: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", "", cell.replace("<wbr>", ""))).strip()


def _rows(fragment: str) -> list[list[str]]:
    """Cells of the first table's body rows in ``fragment``, as text."""
    body = fragment[fragment.index("<tbody>") : fragment.index("</tbody>")]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr.*?</tr>", body)]


def _int(text: str) -> int:
    return int(_text(text).replace(".", "").replace(",", ""))


def _special_in() -> str:
    excluded = ", ".join(f"'{e}'" for e in (*PII, "PERSON"))
    return f"entity_type not in ({excluded})"


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_number_of_the_scanner_versions_table_equals_a_query_on_the_landing_tables(
    warehouse: duckdb.DuckDBPyConnection, language: str
) -> None:
    _plant_review_and_old_version(warehouse)
    _, page = _render(warehouse, language)
    values = dict(
        warehouse.execute(
            "select scanner_version, count(*) from landing.free_text_scan_status group by 1"
        ).fetchall()
    )
    findings = {
        v: (n, s)
        for v, n, s in warehouse.execute(
            f"""select scanner_version, count(*), count(*) filter (where {_special_in()})
                from landing.note_findings group by 1"""
        ).fetchall()
    }
    shown = {
        _text(version): (_int(n_values), _int(n_findings), _int(n_special))
        for version, n_values, n_findings, n_special, _ in _rows(_block(page, "scanner-quality"))
    }
    assert set(shown) == set(values) | set(findings)
    assert UNEVALUATED in shown and values[UNEVALUATED] == 40
    for version, (n_values, n_findings, n_special) in shown.items():
        assert n_values == values.get(version, 0)
        assert (n_findings, n_special) == findings.get(version, (0, 0))


def test_every_figure_row_equals_the_stored_evaluation_of_that_version(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    _, page = _render(warehouse, "de")
    (version,) = {
        v
        for (v,) in warehouse.execute(
            "select distinct scanner_version from landing.note_findings"
        ).fetchall()
    }
    stored = load_evaluation(version)
    assert stored is not None, "the nightly run's scanner version must have stored figures"
    targets = load_targets()
    block = _block(page, "scanner-quality")
    rows = re.findall(r'<tr data-figure="([^"]+)">(.*?)</tr>', block)
    expected = {
        f"{corpus}:{path}"
        for corpus, record in stored["corpora"].items()
        for path, _ in FIGURES[record["kind"]]
        if (figure_at(record, path) or {}).get("total")
    }
    assert {key for key, _ in rows} == expected
    assert len(expected) >= 20
    for key, row in rows:
        corpus, path = key.split(":", 1)
        figure = figure_at(stored["corpora"][corpus], path)
        cells = [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        count, total = (_int(n) for n in cells[-3].split("/"))
        assert (count, total) == (figure["count"], figure["total"]), key
        assert cells[-4] == f"{100 * count / total:.1f}".replace(".", ",") + "\u00a0%", key
        bound = targets.get(corpus, {}).get(path)
        if bound is None:
            assert cells[-2] == "" and cells[-1] == "", key
        else:
            ((kind, target),) = bound.items()
            met = count / total >= target if kind == "min" else count / total <= target
            assert cells[-1] == TEXTS["de"]["target_met" if met else "target_missed"], key


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_scanner_version_without_stored_figures_is_flagged_amber_never_assured(
    warehouse: duckdb.DuckDBPyConnection, language: str
) -> None:
    _plant_review_and_old_version(warehouse)
    report, page = _render(warehouse, language)
    t = TEXTS[language]
    warning = re.search(
        rf'<p class="sq-warn" data-version="{re.escape(UNEVALUATED)}">(.*?)</p>', page
    )
    assert warning is not None
    assert 'class="lamp amber"' in warning.group(1) and "make evaluate" in warning.group(1)
    special = next(a for a in report.areas if a.key == "special")
    assert special.status != GREEN
    assert t["v_scanner_not_evaluated"].format(versions="1") in special.note
    for assurance in ("vor der Speicherung geschwärzt.", "was redacted before storage"):
        assert assurance not in page


def test_with_no_stored_evaluations_every_version_is_not_evaluated(
    warehouse: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    empty = tmp_path / "no-evaluations"
    empty.mkdir()
    report, page = _render(warehouse, "en", evaluations_dir=empty)
    versions = [
        v
        for (v,) in warehouse.execute(
            "select distinct scanner_version from landing.free_text_scan_status"
        ).fetchall()
    ]
    assert versions
    for version in versions:
        assert f'data-version="{version}"' in page
    assert "data-figure=" not in page
    special = next(a for a in report.areas if a.key == "special")
    assert special.status in (AMBER, "red")


@pytest.mark.parametrize("language", ["de", "en"])
def test_guard_block_counts_equal_the_review_table_by_table_column_and_category(
    warehouse: duckdb.DuckDBPyConnection, language: str
) -> None:
    _plant_review_and_old_version(warehouse)
    report, page = _render(warehouse, language)
    t = TEXTS[language]
    block = _block(page, "guard-review")
    suspected, held = warehouse.execute(
        """select count(*), count(distinct (table_name, column_name, record_id))
           from landing.free_text_review"""
    ).fetchone()
    summary = block[block.index("<p>") : block.index("</p>")]
    assert [_int(n) for n in re.findall(r'<a class="num"[^>]*>(.*?)</a>', summary)] == [
        suspected,
        held,
    ]
    assert 'href="#sec-review"' in block, "the block links to the review section's list"
    # The held records are listed once, in the review section: per table, column and category
    # its counts and first ids equal the review table.
    names = dict(
        warehouse.execute(
            f"select entity_type, name_{language} from policy.special_categories"
        ).fetchall()
    )
    groups = {
        (table, column, names[category]): (n, ids)
        for table, column, category, n, ids in warehouse.execute(
            """select table_name, column_name, guard_category, count(*),
                      list(record_id order by record_id)
               from landing.free_text_review group by all"""
        ).fetchall()
    }
    shown = _rows(_block(page, "sec-review"))
    assert len(shown) == len(groups) >= 2
    assert suspected == held + 1
    assert max(n for n, _ in groups.values()) > REVIEW_IDS_SHOWN
    for table, column, category, n, ids, _held_at in shown:
        expected_n, expected_ids = groups[(_text(table), _text(column), _text(category))]
        assert _int(n) == expected_n
        listed = [i.strip() for i in _text(ids).split(",")]
        assert listed == expected_ids[:REVIEW_IDS_SHOWN]
    special = next(a for a in report.areas if a.key == "special")
    assert t["v_guard_held"].format(held=str(held)) in special.note


def test_no_held_value_text_appears_in_the_report(warehouse: duckdb.DuckDBPyConnection) -> None:
    """Ids only: the stored text of every held record stays out of the page."""
    _plant_review_and_old_version(warehouse)
    _, page = _render(warehouse, "de")
    texts = warehouse.execute(
        """select s.note_text from landing.service_notes s
           join landing.free_text_review r
             on r.table_name = 'service_notes' and r.record_id = s.service_note_id
           where length(s.note_text) > 20"""
    ).fetchall()
    assert texts, "the planted review table must hold service notes with text"
    for (text,) in texts:
        assert html_lib.escape(text) not in page and text not in page


def test_guard_block_says_the_guard_has_not_run_without_a_review_table(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    warehouse.execute("drop table if exists landing.free_text_review")
    report, page = _render(warehouse, "de")
    block = _block(page, "guard-review")
    assert TEXTS["de"]["guard_not_run"] in block and 'class="lamp amber"' in block
    special = next(a for a in report.areas if a.key == "special")
    assert TEXTS["de"]["v_guard_not_run"] in special.note and special.status != GREEN


def test_an_unreadable_evaluation_file_counts_as_not_evaluated(
    warehouse: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """The report always renders, and never shows figures it cannot vouch for."""
    (version,) = {
        v
        for (v,) in warehouse.execute(
            "select distinct scanner_version from landing.free_text_scan_status"
        ).fetchall()
    }
    broken = tmp_path / "evaluations"
    broken.mkdir()
    (broken / f"{version}.json").write_text("{not json", encoding="utf-8")
    _, page = _render(warehouse, "de", evaluations_dir=broken)
    assert f'data-version="{version}"' in page and "data-figure=" not in page
