"""The DPO's compliance report as one self-contained HTML page (inline CSS, inline SVG charts).

Written for the data protection officer, not an engineer: a verdict first, then one section per
question the DPO asks (REQUIREMENTS R6). Every number links to the table or check that produced it
(the "Quellen" appendix), and the page shows counts and ids only, never names, contact data or
free text: it is read by people who must not see the personal data it is about.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

import duckdb

from orchestration.defs.reporting import scanner_quality as sq
from orchestration.defs.reporting.charts import PALETTE, bar_chart, trend_chart
from orchestration.defs.reporting.suppressed import suppressed_block
from orchestration.defs.reporting.texts import TEXTS, Language

GREEN, AMBER, RED = "green", "amber", "red"
#: Areas of the verdict that are shown inside another area's section.
SECTION_OF_AREA = {"access": "activities"}
RESULTS_TABLE = "governance_ops.quality_check_results"

#: What each source table holds, for the appendix every number links to.
SOURCES: dict[str, str] = {
    "governance.special_category_findings": "findings",
    "intermediate.int_note_findings_resolved": "findings_history",
    "landing.redaction_notifications": "notifications",
    "governance.record_retention_statuses": "retention",
    "governance_ops.deletion_manifest_items": "manifest",
    "governance.consent_coverages": "consent",
    "governance.data_subject_requests": "requests",
    RESULTS_TABLE: "quality",
    "governance.processing_activities": "activities",
    "governance.role_access_report": "roles",
    "governance.data_subjects": "provenance",
    sq.SCAN_STATUS: "scan_status",
    sq.FINDINGS: "note_findings",
    sq.REVIEW: "review",
    sq.EVALUATIONS: "evaluations",
}
#: Tables each section reads: a first run that failed early lacks some, and the section says so.
SECTION_SOURCES: dict[str, tuple[str, ...]] = {
    "special": ("governance.special_category_findings", "intermediate.int_note_findings_resolved"),
    "notifications": ("landing.redaction_notifications", "intermediate.int_note_findings_resolved"),
    "review": ("landing.free_text_review",),
    "retention": ("governance.record_retention_statuses",),
    "consent": ("governance.consent_coverages",),
    "requests": ("governance.data_subject_requests", "policy.request_types"),
    "quality": (RESULTS_TABLE,),
    "activities": ("governance.processing_activities", "governance.role_access_report"),
    "provenance": ("governance.data_subjects",),
}
#: Held values listed by record id per table, column and category in the review section.
REVIEW_IDS_SHOWN = 10
#: While a report is built from a warehouse that lacks some tables, queries on them read as empty.
_TOLERATE_MISSING: ContextVar[bool] = ContextVar("tolerate_missing_tables", default=False)


def anchor(table: str) -> str:
    return "src-" + table.replace(".", "-")


def grouped(value: int, thousands: str) -> str:
    """``14975`` as ``14.975`` (German) or ``14,975`` (English): one convention per page."""
    return f"{int(value):,}".replace(",", thousands)


def num(value: Any, source: str, thousands: str = ".") -> str:
    """A number (or an id) that links to the table that produced it."""
    shown = grouped(value, thousands) if isinstance(value, int | float) else ident(str(value))
    return f'<a class="num" href="#{anchor(source)}" title="{escape(source)}">{shown}</a>'


_BREAK_AFTER = re.compile(r"([_.])(?=\w)")


def ident(text: str) -> str:
    """Escape an identifier and allow line breaks after ``_`` and ``.`` only.

    Check names such as ``int_marketing_sends_validated__sent_with_valid_consent`` have no
    spaces; without break points they force a table wider than the page, and with CSS
    ``overflow-wrap: anywhere`` (the old rule) every narrow column broke words mid-word.
    """
    return _BREAK_AFTER.sub(r"\1<wbr>", escape(text))


@dataclass
class Area:
    key: str
    status: str
    note: str


@dataclass
class Report:
    """What the page is built from; kept so tests can read the verdict without parsing HTML."""

    as_of: dt.date
    run_id: str
    language: Language
    areas: list[Area] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    #: The step that failed the run, when the nightly job's failure hook renders the report.
    failed_step: str | None = None
    #: Tables the report reads that this warehouse lacks (a first run that failed early).
    missing_tables: list[str] = field(default_factory=list)

    @property
    def overall(self) -> str:
        statuses = {a.status for a in self.areas}
        if self.failed_step or RED in statuses:
            return RED
        return AMBER if AMBER in statuses else GREEN


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[tuple]:  # type: ignore[type-arg]
    """All rows; no rows when the warehouse lacks a table and the report tolerates that."""
    try:
        return con.execute(sql, list(params)).fetchall()
    except duckdb.CatalogException:
        if _TOLERATE_MISSING.get():
            return []
        raise


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    schema, name = table.split(".")
    return bool(
        _rows(
            con,
            """select count(*) from information_schema.tables
               where table_schema = ? and table_name = ?""",
            (schema, name),
        )[0][0]
    )


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], css: str = "") -> str:
    head = "".join(f"<th>{ident(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _lamp(status: str, t: dict[str, str]) -> str:
    return f'<span class="lamp {status}" title="{t[status]}">{t[status]}</span>'


def build_report(
    con: duckdb.DuckDBPyConnection,
    *,
    as_of: dt.date,
    run_id: str,
    language: Language = "de",
    failed_step: str | None = None,
    evaluations_dir: Path | None = None,
) -> Report:
    """Read the governance tables and assemble the report's sections and verdicts.

    ``failed_step`` marks the report of a failed run: red overall, with a notice that tables
    built after that step are still the previous run's. ``evaluations_dir``: where the stored
    scanner evaluations are read (default: the packaged ``pii_scanners/evaluations``).
    """
    report = Report(as_of=as_of, run_id=run_id, language=language, failed_step=failed_step)
    read = {table for tables in SECTION_SOURCES.values() for table in tables}
    report.missing_tables = sorted(table for table in read if not _exists(con, table))
    # Only a warehouse that lacks tables may read missing tables as empty; otherwise a missing
    # table is a bug and must raise.
    token = _TOLERATE_MISSING.set(bool(report.missing_tables))
    try:
        _build_sections(con, report, evaluations_dir)
    finally:
        _TOLERATE_MISSING.reset(token)
    _mark_not_computed(report)
    return report


def _build_sections(
    con: duckdb.DuckDBPyConnection, report: Report, evaluations_dir: Path | None
) -> None:
    """Read the tables and fill ``report.areas`` and ``report.sections``."""
    language, run_id = report.language, report.run_id
    t = TEXTS[language]
    # Every number on the page uses the page language's digit grouping.
    number: Callable[[int], str] = partial(grouped, thousands=t["thousands"])
    link = partial(num, thousands=t["thousands"])

    # --- special categories -------------------------------------------------------------------
    src = "governance.special_category_findings"
    name_col = "category_name_de" if language == "de" else "category_name_en"
    by_category = _rows(
        con,
        f"select {name_col}, sum(finding_count)::bigint from {src} group by 1 order by 2 desc",
    )
    by_source = _rows(
        con,
        f"""select record_table, column_name, sum(finding_count)::bigint, sum(record_count)::bigint
            from {src} group by 1, 2 order by 3 desc""",
    )
    history = _rows(
        con,
        """select export_id, count(*) from intermediate.int_note_findings_resolved
           where is_special_category group by 1 order by min(found_at)""",
    )
    findings_total = sum(n for _, n in by_category)
    # Measured scanner quality and the guard's held values, instead of an assurance.
    quality = sq.query_scanner_quality(con, evaluations_dir)
    # --- quality checks (this run, else the latest run that stored results) --------------------
    quality_rows: list[tuple] = []  # type: ignore[type-arg]
    quality_trend: list[tuple[str, int, int]] = []
    quality_run = run_id
    if _exists(con, RESULTS_TABLE):
        if not _rows(con, f"select count(*) from {RESULTS_TABLE} where run_id = ?", (run_id,))[0][
            0
        ]:
            latest = _rows(
                con, f"select run_id from {RESULTS_TABLE} order by checked_at desc limit 1"
            )
            quality_run = latest[0][0] if latest else run_id
        quality_rows = _rows(
            con,
            f"""select check_name, asset_key, bool_and(passed), any_value(is_blocking),
                       max(element_count), sum(coalesce(unexpected_count, 0))::bigint
                from {RESULTS_TABLE} where run_id = ? group by 1, 2 order by 3, 1""",
            (quality_run,),
        )
        quality_trend = [
            (str(a), int(f), int(p))
            for a, f, p in _rows(
                con,
                f"""select as_of, count(distinct check_name) filter (where not passed),
                           count(distinct check_name) filter (where passed)
                    from {RESULTS_TABLE} group by run_id, as_of order by min(checked_at)
                    limit 30""",
            )
        ]
    unredacted_failed = [r for r in quality_rows if "unredacted" in r[0] and not r[2]]
    blocking_failed = [r for r in quality_rows if r[3] and not r[2]]
    advisory_failed = [r for r in quality_rows if not r[3] and not r[2]]

    # --- notifications ------------------------------------------------------------------------
    nsrc = "landing.redaction_notifications"
    notifications = dict(
        _rows(con, f"select notification_status, count(*) from {nsrc} group by 1 order by 1")
    )
    pending = int(notifications.get("pending", 0))
    redacted_fields = (
        _rows(
            con,
            """select count(distinct record_table || record_id || column_name)
               from intermediate.int_note_findings_resolved where is_special_category""",
        )
        or [(0,)]
    )[0][0]

    # --- retention and manifest ---------------------------------------------------------------
    rsrc = "governance.record_retention_statuses"
    retention = _rows(
        con, f"select retention_status, count(*) from {rsrc} group by 1 order by 2 desc"
    )
    msrc = "governance_ops.deletion_manifest_items"
    manifest = (
        _rows(
            con,
            f"""select action, reason, legal_reference, count(*), count(*) filter (where is_overdue)
            from {msrc}
            where manifest_id = (select manifest_id from governance_ops.deletion_manifests
                                 order by first_written_at desc limit 1)
            group by all order by 4 desc""",
        )
        if _exists(con, msrc)
        else []
    )
    overdue_deletions = sum(int(r[4]) for r in manifest if r[0] == "delete")

    # --- consent ------------------------------------------------------------------------------
    csrc = "governance.consent_coverages"
    consent = _rows(
        con,
        f"""select purpose_id, channel, sum(subjects_total)::bigint,
                   sum(subjects_with_valid_consent)::bigint, sum(consents_withdrawn)::bigint,
                   sum(consents_without_double_opt_in)::bigint,
                   sum(consents_without_parental_consent)::bigint, sum(sends_total)::bigint,
                   sum(sends_without_valid_consent)::bigint, sum(sends_after_objection)::bigint
            from {csrc} group by 1, 2 order by 1, 2""",
    )
    sends_without_consent = sum(int(r[8]) + int(r[9]) for r in consent)
    consent_gaps = sum(int(r[5]) + int(r[6]) for r in consent)

    # --- requests -----------------------------------------------------------------------------
    dsrc = "governance.data_subject_requests"
    requests = _rows(
        con,
        f"""select r.request_id, coalesce(rt.name_{language}, r.request_type), r.gdpr_article,
                   r.request_status, r.due_date, r.days_until_due, r.is_overdue
            from {dsrc} as r
            left join policy.request_types as rt using (request_type)
            where r.is_open order by r.is_overdue desc, r.due_date""",
    )
    overdue_requests = sum(1 for r in requests if r[6])

    # --- roles --------------------------------------------------------------------------------
    asrc = "governance.role_access_report"
    roles = _rows(
        con,
        f"""select role_id, data_class, is_allowed, exposed_column_count, is_compliant
            from {asrc} order by role_id, data_class""",
    )
    non_compliant = sum(1 for r in roles if not r[4])

    # --- verdicts -----------------------------------------------------------------------------
    report.areas = [
        Area(
            "special",
            RED if unredacted_failed else AMBER if pending or quality.status == AMBER else GREEN,
            " ".join(
                [
                    t["v_special"].format(findings=number(findings_total), pending=number(pending)),
                    *_quality_notes(quality, t, number),
                ]
            ),
        ),
        Area(
            "retention",
            RED if overdue_deletions else GREEN,
            t["v_retention"].format(overdue=number(overdue_deletions)),
        ),
        Area(
            "consent",
            RED if sends_without_consent else AMBER if consent_gaps else GREEN,
            t["v_consent"].format(sends=number(sends_without_consent), gaps=number(consent_gaps)),
        ),
        Area(
            "requests",
            RED if overdue_requests else AMBER if requests else GREEN,
            t["v_requests"].format(open=number(len(requests)), overdue=number(overdue_requests)),
        ),
        Area(
            "quality",
            RED if blocking_failed else AMBER if advisory_failed or not quality_rows else GREEN,
            t["v_quality"].format(
                total=number(len(quality_rows)),
                blocking=number(len(blocking_failed)),
                advisory=number(len(advisory_failed)),
            ),
        ),
        Area(
            "access",
            RED if non_compliant else GREEN,
            t["v_access"].format(violations=number(non_compliant)),
        ),
    ]

    sections = report.sections
    # 2 special categories
    sections.append(
        _section(
            "special",
            t,
            t["special_intro"],
            bar_chart(
                t["chart_by_category"],
                [(str(c), int(n)) for c, n in by_category],
                number=number,
                href=f"#{anchor(src)}",
            )
            + _table(
                [t["h_table"], t["h_column"], t["h_findings"], t["h_records"]],
                [(ident(a), ident(b), link(n, src), link(r, src)) for a, b, n, r in by_source],
            )
            + f"<h3>{t['h_trend']}</h3>"
            + trend_chart(t["chart_trend"], [(str(e), int(n)) for e, n in history], number=number)
            + sq.render_scanner_quality(
                quality,
                t,
                language=language,
                lamp=partial(_lamp, t=t),
                link=link,
                ident=ident,
                table=_table,
            ),
        )
    )
    # 3 redactions and notifications
    sections.append(
        _section(
            "notifications",
            t,
            t["notifications_intro"].format(
                fields=link(redacted_fields, "intermediate.int_note_findings_resolved"),
                pending=link(pending, nsrc),
            ),
            _table(
                [t["h_status"], t["h_count"]],
                [(escape(t.get("st_" + s, s)), link(n, nsrc)) for s, n in notifications.items()],
            ),
        )
    )
    # 3b values the independent guard held for review
    review_area, review_section = _review(
        con, t, number, link, partial(quality.category, t=t, language=language)
    )
    report.areas.append(review_area)
    sections.append(review_section)
    # 3c rows of erased persons the CRM delivered again, kept out by the suppression list
    suppressed_note, suppressed_section = suppressed_block(con, language, number)
    report.areas.append(Area("suppressed", GREEN, suppressed_note))
    sections.append(suppressed_section)
    # 4 retention and the next deletion run
    sections.append(
        _section(
            "retention",
            t,
            t["retention_intro"],
            bar_chart(
                t["chart_retention"],
                [(t.get("rs_" + s, s), int(n)) for s, n in retention],
                color=PALETTE[2],
                number=number,
                href=f"#{anchor(rsrc)}",
            )
            + f"<h3>{t['h_manifest']}</h3>"
            + _table(
                [t["h_action"], t["h_reason"], t["h_legal"], t["h_items"], t["h_overdue"]],
                [
                    (
                        escape(t.get("act_" + a, a)),
                        escape(t.get("rsn_" + r, r)),
                        f'<span class="legal">{escape(lr or "")}</span>',
                        link(n, msrc),
                        link(o, msrc),
                    )
                    for a, r, lr, n, o in manifest
                ],
            ),
        )
    )
    # 5 consent
    sections.append(
        _section(
            "consent",
            t,
            t["consent_intro"],
            bar_chart(
                t["chart_consent"],
                [(f"{p} / {c}", int(v)) for p, c, _, v, *_ in consent],
                color=PALETTE[3],
                number=number,
                href=f"#{anchor(csrc)}",
            )
            + _table(
                [
                    t["h_purpose"],
                    t["h_channel"],
                    t["h_subjects"],
                    t["h_valid"],
                    t["h_withdrawn"],
                    t["h_no_doi"],
                    t["h_no_parental"],
                    t["h_sends"],
                    t["h_sends_bad"],
                ],
                [
                    (
                        escape(p),
                        escape(c),
                        link(s, csrc),
                        link(v, csrc),
                        link(w, csrc),
                        link(d, csrc),
                        link(pc, csrc),
                        link(st, csrc),
                        f'<span class="{RED if sb + so else ""}">{link(sb + so, csrc)}</span>',
                    )
                    for p, c, s, v, w, d, pc, st, sb, so in consent
                ],
            ),
        )
    )
    # 6 requests
    sections.append(
        _section(
            "requests",
            t,
            t["requests_intro"],
            _table(
                [
                    t["h_request"],
                    t["h_type"],
                    t["h_article"],
                    t["h_status"],
                    t["h_due"],
                    t["h_days"],
                ],
                [
                    (
                        link(rid, dsrc),
                        escape(rt),
                        escape(ga or ""),
                        escape(t.get("rqs_" + rs, rs))
                        + (f' <span class="lamp red">{t["overdue"]}</span>' if od else ""),
                        escape(str(due)),
                        link(days, dsrc),
                    )
                    for rid, rt, ga, rs, due, days, od in requests
                ],
            )
            if requests
            else f"<p>{t['no_open_requests']}</p>",
        )
    )
    # 7 quality checks
    sections.append(
        _section(
            "quality",
            t,
            t["quality_intro"].format(run=escape(quality_run)),
            _table(
                [
                    t["h_check"],
                    t["h_asset"],
                    t["h_result"],
                    t["h_kind"],
                    t["h_rows"],
                    t["h_unexpected"],
                ],
                [
                    (
                        f'<a id="chk-{escape(c)}" href="#{anchor(RESULTS_TABLE)}">{ident(c)}</a>',
                        ident(a),
                        _lamp(GREEN if p else RED if b else AMBER, t),
                        t["blocking"] if b else t["advisory"],
                        link(rows or 0, RESULTS_TABLE),
                        link(u, RESULTS_TABLE),
                    )
                    for c, a, p, b, rows, u in quality_rows
                ],
            )
            + f"<h3>{t['h_quality_trend']}</h3>"
            + trend_chart(
                t["chart_quality_trend"], [(a, f) for a, f, _ in quality_trend], number=number
            ),
        )
    )
    # 8 processing activities and roles
    psrc = "governance.processing_activities"
    purpose_name = "purpose_name_de" if language == "de" else "purpose_name_en"
    activities = _rows(
        con,
        f"""select purpose_id, {purpose_name}, legal_reference, personal_data_classes,
                   recipient_roles, retention_rules, record_count
            from {psrc} order by record_count desc""",
    )
    role_ids = sorted({r[0] for r in roles})
    classes = sorted({r[1] for r in roles})
    grid = {(r[0], r[1]): r for r in roles}
    sections.append(
        _section(
            "activities",
            t,
            t["activities_intro"],
            _table(
                [
                    t["h_purpose"],
                    t["h_legal"],
                    t["h_classes"],
                    t["h_roles"],
                    t["h_rules"],
                    t["h_records"],
                ],
                [
                    (
                        f"{escape(name)}<br><small>{ident(pid)}</small>",
                        f'<span class="legal">{escape(lr or "")}</span>',
                        escape((pc or "").replace(",", ", ")),
                        escape((rr or "").replace(",", ", ")),
                        escape((rl or "").replace(",", ", ")),
                        link(n, psrc),
                    )
                    for pid, name, lr, pc, rr, rl, n in activities
                ],
            )
            + f"<h3>{t['h_roles_matrix']}</h3>"
            + _table(
                [t["h_class"], *role_ids],
                [
                    (
                        ident(cls),
                        *(_access_cell(grid.get((role, cls)), asrc, t) for role in role_ids),
                    )
                    for cls in classes
                ],
                css="matrix",
            ),
        )
    )
    # 9 provenance
    vsrc = "governance.data_subjects"
    provenance = _rows(
        con,
        f"""select source_channel, subject_type, count(*) from {vsrc}
            group by 1, 2 order by 1, 2""",
    )
    by_channel: dict[str, int] = {}
    for channel, _, n in provenance:
        by_channel[channel] = by_channel.get(channel, 0) + int(n)
    sections.append(
        _section(
            "provenance",
            t,
            t["provenance_intro"],
            bar_chart(
                t["chart_provenance"],
                sorted(by_channel.items(), key=lambda kv: -kv[1]),
                color=PALETTE[4],
                number=number,
                href=f"#{anchor(vsrc)}",
            )
            + _table(
                [t["h_channel_src"], t["h_subject_type"], t["h_subjects"]],
                [(ident(str(c)), ident(s), link(n, vsrc)) for c, s, n in provenance],
            ),
        )
    )


def _review(
    con: duckdb.DuckDBPyConnection,
    t: dict[str, str],
    number: Callable[[int], str],
    link: Callable[[Any, str], str],
    category_name: Callable[[str], str],
) -> tuple[Area, str]:
    """The guard's review list: counts per table, column and category (named in the page
    language, as in the special-category section), and the first ids."""
    from orchestration.defs.pii_scan.guard import load_guard

    src = "landing.free_text_review"
    rows = _rows(
        con,
        f"""select table_name, column_name, guard_category, count(*),
                   list(record_id order by record_id)[1:{REVIEW_IDS_SHOWN}], min(held_at)
            from {src} group by all order by 4 desc, 1, 2, 3""",
    )
    held = sum(int(r[3]) for r in rows)
    guard = load_guard()
    area = Area("review", AMBER if held else GREEN, t["v_review"].format(held=number(held)))
    body = (
        _table(
            [t["h_table"], t["h_column"], t["h_category"], t["h_held"], t["h_record_ids"],
             t["h_held_at"]],
            [
                (
                    ident(table),
                    ident(column),
                    escape(category_name(category)),
                    link(int(n), src),
                    ", ".join(ident(str(i)) for i in ids),
                    escape(str(since)[:16]),
                )
                for table, column, category, n, ids, since in rows
            ],
        )
        if rows
        else f"<p>{t['review_none']}</p>"
    )  # fmt: skip
    intro = t["review_intro"].format(
        guard=escape(guard.version), marker=escape(guard.marker), held=link(held, src)
    )
    return area, _section("review", t, intro, body)


def _mark_not_computed(report: Report) -> None:
    """Say so in each section and verdict line whose tables this warehouse lacks."""
    if not report.missing_tables:
        return
    t = TEXTS[report.language]
    missing = set(report.missing_tables)
    lacking = {
        key: [table for table in tables if table in missing]
        for key, tables in SECTION_SOURCES.items()
        if missing.intersection(tables)
    }
    for index, html in enumerate(report.sections):
        for key, tables in lacking.items():
            opening = f'<section id="sec-{key}"><h2>{t["sec_" + key]}</h2>'
            if html.startswith(opening):
                notice = t["not_computed"].format(tables=", ".join(map(ident, tables)))
                report.sections[index] = (
                    f'{opening}<p class="run-failed not-computed">{notice}</p>'
                    + html[len(opening) :]
                )
    for area in report.areas:
        if SECTION_OF_AREA.get(area.key, area.key) in lacking:
            area.status = AMBER if area.status == GREEN else area.status
            area.note = t["not_computed_area"]


def _quality_notes(
    quality: sq.ScannerQuality, t: dict[str, str], number: Callable[[int], str]
) -> list[str]:
    """The verdict's words on the scanner's measured quality and the guard's held values."""
    notes = []
    if quality.unevaluated:
        notes.append(t["v_scanner_not_evaluated"].format(versions=number(len(quality.unevaluated))))
    if quality.missed:
        notes.append(t["v_scanner_missed"].format(missed=number(quality.missed)))
    elif quality.versions and not quality.unevaluated:
        notes.append(t["v_scanner_ok"])
    if quality.review is None:
        notes.append(t["v_guard_not_run"])
    elif quality.review.held:
        notes.append(t["v_guard_held"].format(held=number(quality.review.held)))
    return notes


def _access_cell(row: tuple | None, source: str, t: dict[str, str]) -> str:  # type: ignore[type-arg]
    if row is None:
        return "–"
    _, _, allowed, exposed, compliant = row
    label = t["allowed"] if allowed else t["denied"]
    css = "" if compliant else RED
    return f'<span class="{css}">{label} ({num(exposed, source, t["thousands"])})</span>'


def _section(key: str, t: dict[str, str], intro: str, body: str) -> str:
    return (
        f'<section id="sec-{key}"><h2>{t["sec_" + key]}</h2>'
        f'<p class="intro">{intro}</p>{body}</section>'
    )


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;
max-width:980px;padding:24px;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:0}h2{border-bottom:2px solid #2f6f9f;padding-bottom:4px;
margin-top:2em}h3{font-size:1.05em}.meta{color:#666;font-size:.9em}
table{border-collapse:collapse;width:100%;margin:.8em 0;font-size:.9em;table-layout:auto}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top;
overflow-wrap:break-word}th{background:#f2f5f8}
/* break-word, not anywhere: "anywhere" also shrinks a column's minimum width, so the table
   squeezed narrow columns into "Maßn|ahme"; identifiers get <wbr> break points instead. */
a.num{white-space:nowrap}
td a.num{color:inherit;text-decoration:none;border-bottom:1px dotted #2f6f9f}
.lamp{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:.85em;
white-space:nowrap}
.lamp.green{background:#2e7d32}.lamp.amber{background:#e69500}.lamp.red{background:#c62828;color:#fff}
span.red{color:#c62828;font-weight:bold}
.sq-warn{border-left:4px solid #e69500;padding:6px 10px;background:#fff4e0}
table.figures td.n{white-space:nowrap}
ul.corpora{font-size:.85em;color:#444}.legal{font-size:.8em;color:#444}
.verdict{border:1px solid #ccc;border-radius:6px;padding:12px 16px;background:#fafafa}
.verdict h2{margin-top:.2em}.verdict ul{padding-left:0}
.verdict li{margin:.3em 0;list-style:none}
.run-failed{border-left:4px solid #c62828;padding:6px 10px;background:#fdecea}
a.chart-link{display:block;width:max-content;max-width:100%}
svg.chart{display:block;max-width:100%;height:auto;margin:.5em 0}
table.matrix td,table.matrix th{text-align:center}
table.matrix td:first-child,table.matrix th:first-child{text-align:left}
.sources dt{font-family:monospace;margin-top:.5em}
/* Narrow windows: the nine-column consent table still fits at 800px (browser test). */
@media screen and (max-width:900px){body{padding:16px}table{font-size:.8em}
th,td{padding:3px 4px}}
@page{size:A4;margin:16mm 14mm 18mm;
@top-left{content:string(report-title);font:8pt system-ui,sans-serif;color:#666}
@bottom-right{content:counter(page) " / " counter(pages);font:8pt system-ui,sans-serif;color:#666}}
/* Print (WeasyPrint PDF): A4, running title and page numbers, big sections on a new page. */
@media print{
body{max-width:none;padding:0;font-size:9.5pt;line-height:1.35}
/* WeasyPrint ignores <wbr> inside a link when break-word is on and cuts check names mid-word;
   with normal wrapping it breaks at the <wbr>s (tests/reporting/test_report_pdf.py). */
th,td{overflow-wrap:normal}
h1{string-set:report-title content()}
a{color:inherit;text-decoration:none}td a.num{border-bottom:none}
h2,h3{break-after:avoid}h2{margin-top:1.2em}
#sec-special,#sec-retention,#sec-consent,#sec-quality,#sec-activities{break-before:page}
a.chart-link{width:auto}svg.chart{width:100%;break-inside:avoid}
thead{display:table-header-group}tr{break-inside:avoid}
.lamp{print-color-adjust:exact;-webkit-print-color-adjust:exact}
}
"""


def render_html(report: Report) -> str:
    """The page: verdict, sections, and the sources appendix every number links to."""
    t = TEXTS[report.language]
    lamps = "".join(
        f'<li>{_lamp(a.status, t)} <a href="#sec-{SECTION_OF_AREA.get(a.key, a.key)}">'
        f"<strong>{t['sec_' + a.key]}</strong></a>"
        f": {escape(a.note)}</li>"
        for a in report.areas
    )
    failure = (
        f'<p id="run-failed" class="run-failed">{_lamp(RED, t)} '
        f"{t['run_failed'].format(step=ident(report.failed_step))}</p>"
        if report.failed_step
        else ""
    )
    if report.missing_tables:
        failure += (
            f'<p id="not-computed" class="run-failed">'
            f"{t['missing_tables'].format(count=len(report.missing_tables))}</p>"
        )
    verdict = (
        f'<section id="sec-verdict" class="verdict"><h2>{t["sec_verdict"]}</h2>{failure}'
        f"<p>{t['verdict_' + report.overall]} {_lamp(report.overall, t)}</p><ul>{lamps}</ul>"
        "</section>"
    )
    meta = t["meta"].format(as_of=report.as_of.isoformat(), run=escape(report.run_id))
    sources = "".join(
        f'<dt id="{anchor(table)}">{ident(table)}</dt><dd>{t["src_" + key]}</dd>'
        for table, key in SOURCES.items()
    )
    return (
        f'<!DOCTYPE html><html lang="{report.language}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{t['title']} {report.as_of.isoformat()}</title><style>{CSS}</style></head><body>"
        f'<h1>{t["title"]}</h1><p class="meta">{meta}</p>'
        f"{verdict}{''.join(report.sections)}"
        f'<section id="sec-sources"><h2>{t["sec_sources"]}</h2><p>{t["sources_intro"]}</p>'
        f'<dl class="sources">{sources}</dl></section></body></html>'
    )
