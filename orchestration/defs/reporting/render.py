"""The DPO's compliance report as one self-contained HTML page (inline CSS, inline SVG charts).

Written for the data protection officer, not an engineer: a verdict first, then one section per
question the DPO asks. ``build_report`` reads the warehouse (SQL in ``queries.py``,
``executed.py`` and here) into a ``Report`` of plain values per section; ``render_html`` renders
it with the Jinja2 templates in ``templates/`` (one per section, autoescaped) and Babel's
locale-aware numbers and dates (``formatting.py``). Every number links to the table that produced
it (the sources appendix) and carries ``data-source``/``data-value``; the page shows counts and
ids only, never names, contact data or free text: it is read by people who must not see the
personal data it is about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
from markupsafe import Markup, escape

from orchestration.defs.reporting import queries as q
from orchestration.defs.reporting import scanner_quality as sq
from orchestration.defs.reporting.charts import PALETTE, bar_chart, trend_chart
from orchestration.defs.reporting.executed import Executed, query_executed
from orchestration.defs.reporting.formatting import Formatter, anchor, environment
from orchestration.defs.reporting.record_settings import (
    TOM_KEYS,
    is_filled,
    load_record_settings,
    settings_path,
)
from orchestration.defs.reporting.requests_csv import CSV_NAME as REQUESTS_CSV
from orchestration.defs.reporting.texts import TEXTS, Language
from orchestration.lib.quality_results import RESULTS_TABLE
from orchestration.lib.warehouse import has_table

__all__ = ["AMBER", "CSS", "GREEN", "RED", "REVIEW_IDS_SHOWN", "build_report", "render_html"]

GREEN, AMBER, RED = "green", "amber", "red"
#: Areas of the verdict that are shown inside another area's section.
SECTION_OF_AREA = {"access": "activities"}
REPO_ROOT = Path(__file__).resolve().parents[3]

#: What each source table holds, for the appendix every number links to.
SOURCES: dict[str, str] = {
    "governance.special_category_findings": "findings",
    "intermediate.int_note_findings_resolved": "findings_history",
    "landing.redaction_notifications": "notifications",
    "governance.record_retention_statuses": "retention",
    "governance_ops.deletion_manifests": "manifests",
    "governance_ops.deletion_manifest_items": "manifest",
    "policy.retention_rules": "rules",
    "governance_ops.audit_log": "audit",
    "landing.quarantine": "quarantine",
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


@dataclass
class Area:
    key: str
    status: str
    note: str


@dataclass
class Section:
    """One section: its template (``templates/sections/<key>.html.j2``) and the values it shows."""

    key: str
    context: dict[str, Any]
    #: Tables this warehouse lacks that the section reads.
    not_computed: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What the page is built from; kept so tests can read the verdict without parsing HTML."""

    as_of: dt.date
    run_id: str
    language: Language
    areas: list[Area] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    #: The step that failed the run, when the nightly job's failure hook renders the report.
    failed_step: str | None = None
    #: Tables the report reads that this warehouse lacks (a first run that failed early).
    missing_tables: list[str] = field(default_factory=list)
    #: Open requests listed on the page; the CSV beside it (``REQUESTS_CSV``) lists all.
    list_limit: int = q.DEFAULT_LIST_LIMIT
    #: What fulfilled requests (from the audit log), for the CSV's query.
    erased_manifests: list[str] = field(default_factory=list)
    export_labels: list[str] = field(default_factory=list)
    with_manifest_items: bool = False

    @property
    def overall(self) -> str:
        statuses = {a.status for a in self.areas}
        if self.failed_step or RED in statuses:
            return RED
        return AMBER if AMBER in statuses else GREEN

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[tuple]:  # type: ignore[type-arg]
    """All rows; no rows when the warehouse lacks a table and the report tolerates that."""
    try:
        return con.execute(sql, list(params)).fetchall()
    except duckdb.CatalogException:
        if _TOLERATE_MISSING.get():
            return []
        raise


def texts(language: str) -> dict[str, Markup]:
    """The page language's wording as trusted markup (a few texts carry ``<a>`` or ``<code>``):
    ``Markup.format`` then escapes every value filled in that is not itself markup."""
    return {key: Markup(value) for key, value in TEXTS[language].items()}


def _lamp(status: str, t: dict[str, Markup]) -> Markup:
    return Markup('<span class="lamp {0}" title="{1}">{1}</span>').format(status, t[status])


def build_report(
    con: duckdb.DuckDBPyConnection,
    *,
    as_of: dt.date,
    run_id: str,
    language: Language = "de",
    failed_step: str | None = None,
    evaluations_dir: Path | None = None,
    data_dir: Path | None = None,
    list_limit: int | None = None,
) -> Report:
    """Read the governance tables and assemble the report's sections and verdicts.

    ``failed_step`` marks the report of a failed run: red overall, with a notice that tables
    built after that step are still the previous run's. ``evaluations_dir``: where the stored
    scanner evaluations are read (default: the packaged ``pii_scanners/evaluations``).
    ``data_dir``: where the audit log file and the write-back file are (default: the pipeline's).
    ``list_limit``: open requests listed on the page (default ``CRM_REPORT_LIST_LIMIT`` or 50).
    """
    if data_dir is None:
        from orchestration.lib import settings

        data_dir = settings.data_dir()
    report = Report(
        as_of=as_of,
        run_id=run_id,
        language=language,
        failed_step=failed_step,
        list_limit=q.list_limit() if list_limit is None else list_limit,
    )
    read = {table for tables in SECTION_SOURCES.values() for table in tables}
    report.missing_tables = sorted(table for table in read if not has_table(con, table))
    # Only a warehouse that lacks tables may read missing tables as empty; otherwise a missing
    # table is a bug and must raise.
    token = _TOLERATE_MISSING.set(bool(report.missing_tables))
    try:
        _build_sections(con, report, evaluations_dir, data_dir)
    finally:
        _TOLERATE_MISSING.reset(token)
    _mark_not_computed(report)
    return report


def _build_sections(
    con: duckdb.DuckDBPyConnection,
    report: Report,
    evaluations_dir: Path | None,
    data_dir: Path,
) -> None:
    """Read the tables and fill ``report.areas`` and ``report.sections``."""
    language, run_id = report.language, report.run_id
    t = texts(language)
    fmt = Formatter(language)
    num = fmt.num
    rows = partial(_rows, con)

    # --- special categories -------------------------------------------------------------------
    src = "governance.special_category_findings"
    name_col = "category_name_de" if language == "de" else "category_name_en"
    by_category = rows(
        f"select {name_col}, sum(finding_count)::bigint from {src} group by 1 order by 2 desc"
    )
    by_source = rows(
        f"""select record_table, column_name, sum(finding_count)::bigint, sum(record_count)::bigint
            from {src} group by 1, 2 order by 3 desc"""
    )
    history = rows(
        """select export_id, count(*) from intermediate.int_note_findings_resolved
           where is_special_category group by 1 order by min(found_at)"""
    )
    findings_total = sum(int(n) for _, n in by_category)
    quality = sq.query_scanner_quality(con, evaluations_dir)

    # --- quality checks (this run, else the latest run that stored results) --------------------
    quality_rows: list[tuple] = []  # type: ignore[type-arg]
    quality_trend: list[tuple[str, int]] = []
    quality_run = run_id
    if has_table(con, RESULTS_TABLE):
        if not rows(f"select count(*) from {RESULTS_TABLE} where run_id = ?", (run_id,))[0][0]:
            latest = rows(f"select run_id from {RESULTS_TABLE} order by checked_at desc limit 1")
            quality_run = latest[0][0] if latest else run_id
        quality_rows = rows(
            f"""select check_name, asset_key, bool_and(passed), any_value(is_blocking),
                       max(element_count), sum(coalesce(unexpected_count, 0))::bigint
                from {RESULTS_TABLE} where run_id = ? group by 1, 2 order by 3, 1""",
            (quality_run,),
        )
        trend = rows(
            f"""select min(checked_at), count(distinct check_name) filter (where not passed)
                from {RESULTS_TABLE} group by run_id order by min(checked_at) limit 30"""
        )
        quality_trend = _run_labels(trend, fmt)
    unredacted_failed = [r for r in quality_rows if "unredacted" in r[0] and not r[2]]
    blocking_failed = [r for r in quality_rows if r[3] and not r[2]]
    advisory_failed = [r for r in quality_rows if not r[3] and not r[2]]

    # --- notifications, retention, executed erasures, consent, requests, roles -----------------
    notes = q.notifications(rows, report.as_of)
    deletion = q.deletion(
        rows, data_dir, all(has_table(con, t) for t in (q.MANIFESTS, q.MANIFEST_ITEMS, q.RULES))
    )
    rules = q.rules_by_id(rows) if has_table(con, q.RULES) else {}
    executed = query_executed(con, data_dir)
    # A manifest an erasure run has carried out has no overdue deletions left: the run deleted
    # them (the audit log says so); the next nightly run writes a new manifest.
    executed_run = next(
        (r for r in executed.erasures if r.manifest_id == deletion.manifest_id), None
    )
    if executed_run is not None:
        deletion.overdue_deletions = 0
    csrc = "governance.consent_coverages"
    consent = rows(
        f"""select purpose_id, channel, sum(subjects_total)::bigint,
                   sum(subjects_with_valid_consent)::bigint, sum(consents_withdrawn)::bigint,
                   sum(consents_without_double_opt_in)::bigint,
                   sum(consents_without_parental_consent)::bigint, sum(sends_total)::bigint,
                   sum(sends_without_valid_consent)::bigint, sum(sends_after_objection)::bigint
            from {csrc} group by 1, 2 order by 1, 2"""
    )
    purpose_names = (
        dict(rows(f"select purpose_id, purpose_name_{language} from policy.purposes"))
        if has_table(con, "policy.purposes")
        else {}
    )
    sends_without_consent = sum(int(r[8]) + int(r[9]) for r in consent)
    consent_gaps = sum(int(r[5]) + int(r[6]) for r in consent)
    report.erased_manifests = executed.erased_manifests
    report.export_labels = executed.export_labels
    report.with_manifest_items = has_table(con, q.MANIFEST_ITEMS)
    requests = q.requests(
        rows,
        language,
        report.erased_manifests,
        report.export_labels,
        limit=report.list_limit,
        with_manifest_items=report.with_manifest_items,
    )
    overdue_requests = requests.overdue
    still_open = requests.still_open
    asrc = "governance.role_access_report"
    roles = rows(
        f"""select role_id, data_class, is_allowed, exposed_column_count, is_compliant
            from {asrc} order by role_id, data_class"""
    )
    non_compliant = sum(1 for r in roles if not r[4])
    nsrc, rsrc, msrc = q.NOTIFICATIONS, q.RETENTION, q.MANIFEST_ITEMS
    dsrc, audit = q.REQUESTS, "governance_ops.audit_log"

    # --- verdicts: every number says what it counts and carries its figure name ---------------
    report.areas = [
        Area(
            "special",
            RED
            if unredacted_failed
            else AMBER
            if notes.pending or quality.status == AMBER
            else GREEN,
            Markup(" ").join(
                [
                    t["v_special"].format(
                        findings=num(findings_total, src, "findings_total"),
                        fields=num(notes.redacted_fields, q.FINDINGS_RESOLVED, "redacted_fields"),
                        pending=num(notes.pending, nsrc, "notifications_pending"),
                        people=num(notes.pending_people, nsrc, "notifications_pending_people"),
                    ),
                    *_quality_notes(quality, t, fmt),
                ]
            ),
        ),
        Area(
            "retention",
            RED if deletion.overdue_deletions else GREEN,
            t["v_retention_done" if executed_run else "v_retention"].format(
                manifest=deletion.manifest_id[:12],
                date=fmt.date(executed_run.finished_at[:10]) if executed_run else "",
                overdue=num(deletion.overdue_deletions, msrc, "overdue_deletions"),
                expired=num(deletion.expired_records, rsrc, "expired_records"),
            ),
        ),
        Area(
            "erasures",
            RED if executed.chain_ok is False else GREEN,
            t["v_erasures"].format(
                runs=num(len(executed.erasures), audit, "erasure_runs"),
                exports=num(len(executed.exports), audit, "dsr_exports"),
                chain=t[_chain_key(executed)],
            ),
        ),
        Area(
            "consent",
            RED if sends_without_consent else AMBER if consent_gaps else GREEN,
            t["v_consent"].format(
                sends=num(sends_without_consent, csrc, "sends_without_consent"),
                gaps=num(consent_gaps, csrc, "consent_gaps"),
            ),
        ),
        Area(
            "requests",
            RED if overdue_requests else AMBER if still_open else GREEN,
            t["v_requests"].format(
                open=num(still_open, dsrc, "open_requests"),
                overdue=num(overdue_requests, dsrc, "overdue_requests"),
            ),
        ),
        Area(
            "quality",
            RED if blocking_failed else AMBER if advisory_failed or not quality_rows else GREEN,
            t["v_quality"].format(
                total=num(len(quality_rows), RESULTS_TABLE, "quality_checks"),
                blocking=num(len(blocking_failed), RESULTS_TABLE, "quality_blocking_failed"),
                advisory=num(len(advisory_failed), RESULTS_TABLE, "quality_advisory_failed"),
            ),
        ),
        Area(
            "access",
            RED if non_compliant else GREEN,
            t["v_access"].format(violations=num(non_compliant, asrc, "role_violations")),
        ),
    ]

    sections = report.sections
    sections.append(
        Section(
            "special",
            {
                "src": src,
                "by_category_chart": Markup(
                    bar_chart(
                        t["chart_by_category"],
                        [(str(c), int(n)) for c, n in by_category],
                        number=fmt.number,
                        href=f"#{anchor(src)}",
                    )
                ),
                "by_source": by_source,
                "trend_chart": Markup(
                    trend_chart(
                        t["chart_trend"], [(str(e), int(n)) for e, n in history], number=fmt.number
                    )
                ),
                "quality": sq.quality_view(quality, t, language),
            },
        )
    )
    sections.append(Section("notifications", {"n": notes, "src": nsrc}))
    review_area, review_section = _review(rows, t, fmt, quality, language)
    report.areas.insert(1, review_area)
    sections.append(review_section)
    sections.append(
        Section(
            "retention",
            {
                "d": deletion,
                "executed_run": executed_run,
                "rsrc": rsrc,
                "msrc": msrc,
                "chart": Markup(
                    bar_chart(
                        t["chart_retention"],
                        [(str(t.get("rs_" + s, s)), n) for s, n in deletion.retention_by_status],
                        colors=[
                            RETENTION_COLORS.get(s, PALETTE[6])
                            for s, _ in deletion.retention_by_status
                        ],
                        number=fmt.number,
                        href=f"#{anchor(rsrc)}",
                    )
                ),
                "rule_words": {
                    (line.rule_id, line.record_type): _rule_words(
                        t,
                        line.rule_id,
                        rules.get((line.rule_id, line.record_type), rules.get(line.rule_id)),
                    )
                    for line in deletion.lines
                },
            },
        )
    )
    sections.append(
        Section("erasures", {"e": executed, "audit": audit, "chain": _chain_key(executed)})
    )
    sections.append(
        Section(
            "consent",
            {
                "src": csrc,
                "rows": consent,
                "purpose_names": purpose_names,
                "chart": Markup(
                    bar_chart(
                        t["chart_consent"],
                        [
                            (f"{purpose_names.get(p, p)} / {t.get('ch_' + c, c)}", int(v))
                            for p, c, _, v, *_ in consent
                        ],
                        color=PALETTE[3],
                        number=fmt.number,
                        href=f"#{anchor(csrc)}",
                    )
                ),
            },
        )
    )
    csv_link = Markup('<a class="csv" href="{0}">{0}</a>').format(REQUESTS_CSV)
    sections.append(Section("requests", {"requests": requests, "src": dsrc, "csv_link": csv_link}))
    sections.append(
        Section(
            "quality",
            {
                "run": quality_run,
                "rows": quality_rows,
                "src": RESULTS_TABLE,
                "chart": Markup(
                    trend_chart(t["chart_quality_trend"], quality_trend, number=fmt.number)
                ),
            },
        )
    )
    record = load_record_settings()
    acts = q.activities(rows, language, record, roles)
    grid = {(r[0], r[1]): r for r in roles}
    sections.append(
        Section(
            "activities",
            {
                "activities": acts,
                "psrc": q.ACTIVITIES,
                "rsrc": rsrc,
                "asrc": asrc,
                "rule_words": {
                    rule: _rule_words(t, rule, rules.get(rule)) for a in acts for rule in a.rules
                },
                "record": record,
                "settings_path": _display_path(settings_path()),
                "role_ids": sorted({str(r[0]) for r in roles}),
                "classes": sorted({str(r[1]) for r in roles}),
                "grid": grid,
                "toms": _toms(record, t, fmt, executed, non_compliant, deletion),
            },
        )
    )
    vsrc = "governance.data_subjects"
    provenance = rows(
        f"""select source_channel, subject_type, count(*) from {vsrc}
            group by 1, 2 order by 1, 2"""
    )
    by_channel: dict[str, int] = {}
    for channel, _, n in provenance:
        label = str(t.get("srcch_" + str(channel), channel))
        by_channel[label] = by_channel.get(label, 0) + int(n)
    sections.append(
        Section(
            "provenance",
            {
                "rows": provenance,
                "src": vsrc,
                "chart": Markup(
                    bar_chart(
                        t["chart_provenance"],
                        sorted(by_channel.items(), key=lambda kv: -kv[1]),
                        color=PALETTE[4],
                        number=fmt.number,
                        href=f"#{anchor(vsrc)}",
                    )
                ),
            },
        )
    )


#: Retention statuses in colours a reader does not confuse: "expired" is not the green of "active".
RETENTION_COLORS = {
    "active": "#2e7d32",
    "restricted": "#e69500",
    "expired": "#c62828",
    "erasure_requested": "#8064a2",
    "legal_hold": "#4b6584",
}


def _run_labels(trend: list[tuple], fmt: Formatter) -> list[tuple[str, int]]:  # type: ignore[type-arg]
    """One label per run: the date, and the time of day when a date has several runs."""
    days: dict[str, int] = {}
    for checked_at, _ in trend:
        day = fmt.date(checked_at)
        days[day] = days.get(day, 0) + 1
    return [
        (
            fmt.datetime(checked_at) if days[fmt.date(checked_at)] > 1 else fmt.date(checked_at),
            int(n),
        )
        for checked_at, n in trend
    ]


def _chain_key(executed: Executed) -> str:
    """The audit chain's state: intact, broken, no entries yet, or not checkable here."""
    if executed.chain_ok is None:
        return "chain_empty" if not executed.audit_entries else "chain_unknown"
    return "chain_ok" if executed.chain_ok else "chain_broken"


def _rule_words(t: dict[str, Markup], rule_id: str, rule: tuple[int, str, bool] | None) -> str:
    """A retention rule in words: "2 Jahre ab dem Versand", "10 Jahre ab Ende des Kalenderjahres,
    in dem das Rechnungsdatum liegt"; rules without a period name their end instead."""
    if ("rule_" + rule_id) in t:
        return str(t["rule_" + rule_id])
    if rule is None:
        return rule_id
    months, event, end_of_year = rule
    if months % 12 == 0 and months:
        years = months // 12
        period = t["period_year"] if years == 1 else t["period_years"].format(n=years)
    else:
        period = t["period_month"] if months == 1 else t["period_months"].format(n=months)
    if end_of_year:
        return str(
            t["rule_words_eoy"].format(period=period, event_nom=t.get("evn_" + event, event))
        )
    return str(t["rule_words"].format(period=period, event=t.get("ev_" + event, event)))


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return path.name


def _toms(
    record: dict[str, Any],
    t: dict[str, Markup],
    fmt: Formatter,
    executed: Executed,
    violations: int,
    deletion: q.Deletion,
) -> list[dict[str, Any]]:
    """The Art. 32 checklist: the DPO's state and note, beside the facts the pipeline knows."""
    configured = record.get("toms") or {}
    lock = q.lock_file_facts(REPO_ROOT)
    chain = t[_chain_key(executed)]
    facts = {
        "patching": t["fact_patching"].format(
            date=fmt.date(lock["lock_date"]), packages=fmt.number(lock["packages"])
        )
        if lock
        else "",
        "access_rights": t["fact_access_rights"].format(violations=fmt.number(violations)),
        "logging": t["fact_logging"].format(
            entries=fmt.number(executed.audit_entries), chain=chain
        ),
        "privacy_by_design": t["fact_privacy_by_design"].format(
            items=fmt.number(deletion.manifest_total)
        ),
    }
    out = []
    for key in TOM_KEYS:
        entry = configured.get(key) or {}
        state = str(entry.get("state", ""))
        out.append(
            {
                "key": key,
                "filled": is_filled(state),
                "state": t.get("state_" + state, state),
                "note": _in_language(entry.get("note"), fmt.language),
                "fact": facts.get(key, ""),
            }
        )
    return out


def _in_language(value: object, language: str) -> str:
    """A settings text the DPO wrote once (shown as written) or per language (``{de:, en:}``);
    empty when not filled in."""
    if isinstance(value, dict):
        value = value.get(language) or next(iter(value.values()), None)
    return str(value).strip() if is_filled(value) else ""


def _review(
    rows: Any,
    t: dict[str, Markup],
    fmt: Formatter,
    quality: sq.ScannerQuality,
    language: str,
) -> tuple[Area, Section]:
    """The guard's review list: counts per table, column and category (named in the page
    language, as in the special-category section), and the first ids."""
    from orchestration.lib.guard import load_guard

    src = "landing.free_text_review"
    held_rows = rows(
        f"""select table_name, column_name, guard_category, count(*),
                   min(record_id, {REVIEW_IDS_SHOWN}), min(held_at)
            from {src} group by all order by 4 desc, 1, 2, 3"""
    )
    held = sum(int(r[3]) for r in held_rows)
    guard = load_guard()
    area = Area(
        "review",
        AMBER if held else GREEN,
        t["v_review"].format(held=fmt.num(held, src, "held_values")),
    )
    return area, Section(
        "review",
        {
            "rows": [
                (table, column, quality.category(category, t, language), int(n), ids, since)
                for table, column, category, n, ids, since in held_rows
            ],
            "src": src,
            "held": held,
            "guard": guard,
        },
    )


def _mark_not_computed(report: Report) -> None:
    """Say so in each section and verdict line whose tables this warehouse lacks."""
    if not report.missing_tables:
        return
    t = texts(report.language)
    missing = set(report.missing_tables)
    lacking = {
        key: [table for table in tables if table in missing]
        for key, tables in SECTION_SOURCES.items()
        if missing.intersection(tables)
    }
    for section in report.sections:
        section.not_computed = lacking.get(section.key, [])
    for area in report.areas:
        if SECTION_OF_AREA.get(area.key, area.key) in lacking:
            area.status = AMBER if area.status == GREEN else area.status
            area.note = t["not_computed_area"]


def _quality_notes(
    quality: sq.ScannerQuality, t: dict[str, Markup], fmt: Formatter
) -> list[Markup]:
    """The verdict's words on the scanner's measured quality and the guard's held values."""
    notes = []
    if quality.unevaluated:
        notes.append(
            t["v_scanner_not_evaluated"].format(versions=fmt.number(len(quality.unevaluated)))
        )
    if quality.missed:
        notes.append(t["v_scanner_missed"].format(missed=fmt.number(quality.missed)))
    elif quality.versions and not quality.unevaluated:
        notes.append(t["v_scanner_ok"])
    if quality.review is None:
        notes.append(t["v_guard_not_run"])
    elif quality.review.held:
        notes.append(t["v_guard_held"].format(held=fmt.number(quality.review.held)))
    return notes


CSS = (Path(__file__).parent / "templates" / "report.css").read_text(encoding="utf-8")


def render_html(report: Report) -> str:
    """The page: verdict, sections, and the sources appendix every number links to."""
    env = environment(report.language)
    t = texts(report.language)
    return env.get_template("report.html.j2").render(
        report=report,
        t=t,
        css=Markup(CSS),
        lamp=partial(_lamp, t=t),
        section_of_area=SECTION_OF_AREA,
        sources=SOURCES,
        label=lambda prefix, code: t.get(f"{prefix}{code}", code),
        escape=escape,
    )
