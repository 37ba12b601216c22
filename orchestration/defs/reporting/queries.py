"""The report's data: one plain dataclass per section, computed by SQL from the warehouse.

Kept apart from rendering (``render.py`` and ``templates/``) so every figure on the page has one
query that produced it, and the reconciliation test can recompute it with its own query. Nothing
here formats or translates: counts, ids and codes only.

Each headline figure says what it counts: notifications (one per redacted field), distinct
people, records, manifest items. Where two figures look alike but count different things (the
write-back file's lines and the manifest's write-back items) both are given with the difference
explained.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orchestration.lib import settings

Rows = Callable[[str, Sequence[Any]], list[tuple]]  # type: ignore[type-arg]

NOTIFICATIONS = "landing.redaction_notifications"
FINDINGS_RESOLVED = "intermediate.int_note_findings_resolved"
RETENTION = "governance.record_retention_statuses"
MANIFESTS = "governance_ops.deletion_manifests"
MANIFEST_ITEMS = "governance_ops.deletion_manifest_items"
RULES = "policy.retention_rules"
REQUESTS = "governance.data_subject_requests"
ACTIVITIES = "governance.processing_activities"
ROLES = "governance.role_access_report"


@dataclass
class Notifications:
    by_status: dict[str, int]
    #: Notifications still to send (one per redacted field of a known subject).
    pending: int
    #: Distinct people those pending notifications are for.
    pending_people: int
    #: Distinct free-text fields with at least one special-category finding.
    redacted_fields: int
    #: Distinct records (rows) with such a field.
    redacted_records: int
    oldest_pending: dt.date | None
    oldest_pending_days: int


def notifications(rows: Rows, as_of: dt.date) -> Notifications:
    by_status = {
        str(s): int(n)
        for s, n in rows(
            f"select notification_status, count(*) from {NOTIFICATIONS} group by 1 order by 1", ()
        )
    }
    pending_rows = rows(
        f"""select count(distinct subject_type || ':' || subject_id), min(first_found_at)
            from {NOTIFICATIONS} where notification_status = 'pending'""",
        (),
    )
    people, oldest = pending_rows[0] if pending_rows else (0, None)
    fields = rows(
        f"""select count(distinct record_table || ':' || record_id || ':' || column_name),
                   count(distinct record_table || ':' || record_id)
            from {FINDINGS_RESOLVED} where is_special_category""",
        (),
    )
    redacted_fields, redacted_records = fields[0] if fields else (0, 0)
    oldest_date = oldest.date() if isinstance(oldest, dt.datetime) else oldest
    return Notifications(
        by_status=by_status,
        pending=by_status.get("pending", 0),
        pending_people=int(people or 0),
        redacted_fields=int(redacted_fields or 0),
        redacted_records=int(redacted_records or 0),
        oldest_pending=oldest_date,
        oldest_pending_days=max(0, (as_of - oldest_date).days) if oldest_date else 0,
    )


@dataclass
class DeletionLine:
    """One row of the deletion summary: a record type, an action, a reason and its rule."""

    record_type: str
    action: str
    reason: str
    rule_id: str
    legal_reference: str
    items: int
    overdue: int


@dataclass
class Deletion:
    manifest_id: str
    #: All items of the newest manifest (delete, anonymize and restrict), as the manifest says.
    manifest_total: int
    by_action: dict[str, int]
    lines: list[DeletionLine]
    #: Expired records in the retention status table (deletion due, overdue or not).
    expired_records: int
    overdue_deletions: int
    retention_by_status: list[tuple[str, int]]
    writeback_items: int
    writeback: Writeback | None


def deletion(rows: Rows, data_dir: Path | None, has_manifest: bool = True) -> Deletion:
    """Retention statuses and the newest manifest; ``has_manifest`` False when the warehouse has
    no manifest tables yet (a first run that failed before writing one)."""
    retention_by_status = [
        (str(s), int(n))
        for s, n in rows(
            f"select retention_status, count(*) from {RETENTION} group by 1 order by 2 desc", ()
        )
    ]
    expired = sum(n for s, n in retention_by_status if s == "expired")
    latest = (
        rows(
            f"""select manifest_id, item_count from {MANIFESTS}
                order by first_written_at desc limit 1""",
            (),
        )
        if has_manifest
        else []
    )
    if not latest:
        return Deletion("", 0, {}, [], expired, 0, retention_by_status, 0, None)
    manifest_id, total = str(latest[0][0]), int(latest[0][1])
    lines = [
        DeletionLine(
            record_type=str(rt or ""),
            action=str(a),
            reason=str(r),
            rule_id=str(rule or ""),
            legal_reference=str(lr or ""),
            items=int(n),
            overdue=int(o),
        )
        for rt, a, r, rule, lr, n, o in rows(
            f"""select record_type, action, reason, rule_id, any_value(legal_reference),
                       count(*), count(*) filter (where is_overdue)
                from {MANIFEST_ITEMS}
                where manifest_id = ?
                group by record_type, action, reason, rule_id
                order by case action when 'delete' then 0 when 'anonymize' then 1 else 2 end,
                         count(*) desc, record_type, reason""",
            (manifest_id,),
        )
    ]
    by_action: dict[str, int] = {}
    for line in lines:
        by_action[line.action] = by_action.get(line.action, 0) + line.items
    overdue = sum(line.overdue for line in lines if line.action == "delete")
    writeback_items = sum(line.items for line in lines if line.reason == "redaction_writeback")
    return Deletion(
        manifest_id,
        total,
        by_action,
        lines,
        expired,
        overdue,
        retention_by_status,
        writeback_items,
        writeback(rows, manifest_id, data_dir),
    )


def _newest_writeback_file(data_dir: Path | None) -> Path | None:
    """The newest write-back file, when it is on this machine."""
    if data_dir is None:
        return None
    files = sorted((data_dir / "outputs" / "redaction_writeback").glob("*.jsonl"))
    return max(files, key=lambda p: p.stat().st_mtime) if files else None


@dataclass
class Writeback:
    """The write-back file's lines against the manifest's write-back items, each difference
    counted: lines of records the manifest deletes anyway, items the file does not list (values
    held for review are left out of the file)."""

    file: str
    lines: int
    in_manifest: int
    of_deleted_records: int
    other_lines: int
    items_not_in_file: int


#: The ids of each line of the write-back file, read by DuckDB (the redacted text is not read).
WRITEBACK_LINES = """read_json(?, format = 'newline_delimited',
    columns = {'table': 'VARCHAR', 'record_id': 'VARCHAR', 'column': 'VARCHAR'})"""


def writeback(rows: Rows, manifest_id: str, data_dir: Path | None) -> Writeback | None:
    """Compare file and manifest in DuckDB: both can hold millions of lines; counts come back."""
    newest = _newest_writeback_file(data_dir)
    if newest is None or not manifest_id:
        return None
    counts = rows(
        f"""with lines as (
                select "table" as t, record_id as i, "column" as c from {WRITEBACK_LINES}
            ),
            items as (
                select distinct record_table as t, record_id as i, column_name as c
                from {MANIFEST_ITEMS}
                where manifest_id = ? and reason = 'redaction_writeback'
            ),
            deleted as (
                select distinct record_table as t, record_id as i from {MANIFEST_ITEMS}
                where manifest_id = ? and action = 'delete'
            )
            select
                (select count(*) from lines),
                (select count(*) from lines as l
                 where exists (select 1 from items as m
                               where m.t = l.t and m.i = l.i and m.c = l.c)),
                (select count(*) from lines as l
                 where not exists (select 1 from items as m
                                   where m.t = l.t and m.i = l.i and m.c = l.c)
                   and exists (select 1 from deleted as d where d.t = l.t and d.i = l.i)),
                (select count(*) from items as m
                 where not exists (select 1 from lines as l
                                   where m.t = l.t and m.i = l.i and m.c = l.c))""",
        (str(newest), manifest_id, manifest_id),
    )
    lines, in_manifest, of_deleted, not_in_file = (int(v or 0) for v in counts[0])
    return Writeback(
        file=newest.name,
        lines=lines,
        in_manifest=in_manifest,
        of_deleted_records=of_deleted,
        other_lines=lines - in_manifest - of_deleted,
        items_not_in_file=not_in_file,
    )


@dataclass
class Request:
    request_id: str
    type_name: str
    article: str
    status: str
    received: dt.date | None
    due: dt.date | None
    extended: bool
    days_until_due: int
    days_overdue: int
    overdue: bool
    fulfilled_by: str = ""


#: Open requests listed on the page unless ``CRM_REPORT_LIST_LIMIT`` says otherwise; the CSV beside
#: the report lists all of them.
DEFAULT_LIST_LIMIT = 50


def list_limit() -> int:
    """How many open requests the page lists (``CRM_REPORT_LIST_LIMIT``, default 50)."""
    return settings.integer_setting("CRM_REPORT_LIST_LIMIT", DEFAULT_LIST_LIMIT)


@dataclass
class Requests:
    """Open requests: counted in SQL, the first ``limit`` (overdue first) listed on the page."""

    shown: list[Request]
    #: Open requests in the CRM's table, fulfilled by the pipeline or not.
    total: int
    #: Of those, not fulfilled by an executed erasure or export.
    still_open: int
    #: Of those, past their deadline.
    overdue: int
    #: (status, count): the CRM's status, or ``fulfilled_erasure``/``fulfilled_export``.
    by_status: list[tuple[str, int]]
    limit: int


def varchar_list(values: Sequence[str]) -> str:
    """A SQL list literal of ids the audit log names (bounded by runs, not by the data)."""
    return "[" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + "]::varchar[]"


def open_requests_sql(
    language: str,
    erased_manifests: Sequence[str],
    export_labels: Sequence[str],
    with_manifest_items: bool = True,
) -> str:
    """One row per open request with how the pipeline fulfilled it (erasure wins over export)
    and whether it is still overdue.

    The SQL relation behind every requests figure: the page's counts and list, and the CSV."""
    erasures = (
        f"""select distinct request_id, 'erasure' as how from {MANIFEST_ITEMS}
            where request_id is not null
              and (action in ('delete', 'anonymize') or reason = 'restriction_request')
              and manifest_id in (select unnest({varchar_list(erased_manifests)}))
            union all """
        if with_manifest_items and erased_manifests
        else ""
    )
    return f"""(with fulfilled as (
                   select request_id, min(how) as how from (
                       {erasures}select unnest({varchar_list(export_labels)}) as request_id,
                                        'export' as how)
                   group by request_id)
               select r.request_id, r.request_type,
                      coalesce(rt.name_{language}, r.request_type) as type_name,
                      r.gdpr_article, r.request_status, r.received_date, r.due_date,
                      r.is_deadline_extended, r.days_until_due, r.days_overdue,
                      coalesce(f.how, '') as fulfilled_by,
                      coalesce(r.is_overdue, false) and f.how is null as overdue
               from {REQUESTS} as r
               left join policy.request_types as rt using (request_type)
               left join fulfilled as f using (request_id)
               where r.is_open)"""


#: The page's and the CSV's order: overdue first, then by deadline and id.
REQUESTS_ORDER = "overdue desc, due_date nulls last, request_id"


def requests(
    rows: Rows,
    language: str,
    erased_manifests: Sequence[str],
    export_labels: Sequence[str],
    *,
    limit: int,
    with_manifest_items: bool = True,
) -> Requests:
    """Counts by status and the first ``limit`` open requests, all computed in SQL."""
    relation = open_requests_sql(language, erased_manifests, export_labels, with_manifest_items)
    totals = rows(
        f"""select count(*), count(*) filter (where fulfilled_by = ''),
                   count(*) filter (where overdue)
            from {relation}""",
        (),
    )
    total, still_open, overdue = totals[0] if totals else (0, 0, 0)
    by_status = [
        (str(status), int(n))
        for status, n in rows(
            f"""select case when fulfilled_by = '' then request_status
                            else 'fulfilled_' || fulfilled_by end, count(*)
                from {relation} group by 1 order by 2 desc, 1""",
            (),
        )
    ]
    shown = [
        Request(
            str(rid),
            str(name),
            str(article or ""),
            str(status),
            received,
            due,
            bool(extended),
            int(days or 0),
            int(late or 0),
            bool(od),
            str(how),
        )
        for rid, name, article, status, received, due, extended, days, late, how, od in rows(
            f"""select request_id, type_name, gdpr_article, request_status, received_date,
                       due_date, is_deadline_extended, days_until_due, days_overdue,
                       fulfilled_by, overdue
                from {relation} order by {REQUESTS_ORDER} limit {int(limit)}""",
            (),
        )
    ]
    return Requests(
        shown, int(total or 0), int(still_open or 0), int(overdue or 0), by_status, limit
    )


@dataclass
class Activity:
    purpose_id: str
    name: str
    legal_reference: str
    subject_categories: list[str]
    data_classes: list[str]
    rules: list[str]
    internal_recipients: list[str]
    external_recipients: list[str]
    #: Records whose current purpose (processing_purpose_id) is this one.
    records: int
    #: Internal recipients the role matrix blocks from every data class of this purpose.
    blocked_recipients: list[str] = field(default_factory=list)


def activities(
    rows: Rows,
    language: str,
    record: dict[str, Any],
    roles: list[tuple],  # type: ignore[type-arg]
) -> list[Activity]:
    """The Art. 30 lines: purposes with records counted by their current purpose.

    ``processing_activities.record_count`` counts records by their primary purpose, so
    "statutory retention" showed 0 although every restricted invoice is kept for it; the report
    counts ``record_retention_statuses.processing_purpose_id`` instead. Recipients come from the
    DPO's settings file, checked against the role matrix.
    """
    allowed: dict[str, set[str]] = {}
    for role_id, data_class, is_allowed, *_ in roles:
        if is_allowed:
            allowed.setdefault(str(role_id), set()).add(str(data_class))
    counts = dict(rows(f"select processing_purpose_id, count(*) from {RETENTION} group by 1", ()))
    internal = record.get("internal_recipients") or {}
    external = record.get("external_recipients") or {}
    out = []
    for pid, name, lr, subjects, classes, rules in rows(
        f"""select purpose_id, purpose_name_{language}, legal_reference,
                   data_subject_categories, personal_data_classes, retention_rules
            from {ACTIVITIES} order by purpose_id""",
        (),
    ):
        class_list = _split(classes)
        recipients = list(internal.get(pid, internal.get("default", [])))
        personal = set(class_list) - {"identifier", "none"}
        blocked = [r for r in recipients if r != "dpo" and not (allowed.get(r, set()) & personal)]
        out.append(
            Activity(
                str(pid),
                str(name),
                str(lr or ""),
                _split(subjects),
                class_list,
                _split(rules),
                recipients,
                list(external.get(pid, external.get("default", []))),
                int(counts.get(pid, 0)),
                blocked,
            )
        )
    out.sort(key=lambda a: -a.records)
    return out


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def rules_by_id(rows: Rows) -> dict[Any, tuple[int, str, bool]]:
    """Each rule's period, starting event and end-of-year flag (newest version), keyed by
    ``(rule_id, record_type)`` (one rule id may count from different events per record type)
    and by ``rule_id`` alone for a record type the rule does not name."""
    out: dict[Any, tuple[int, str, bool]] = {}
    for rule, record_type, months, event, eoy in rows(
        f"""select rule_id, record_type, period_months, counts_from_event, runs_to_end_of_year
            from {RULES} order by valid_from""",
        (),
    ):
        value = (int(months), str(event), bool(eoy))
        out[(str(rule), str(record_type))] = value
        out.setdefault(str(rule), value)
    return out


def lock_file_facts(root: Path) -> dict[str, Any]:
    """What the pipeline knows for the patching TOM: how many packages the lock file pins and
    the upload date of the newest release it pins (a lock never updated shows an old date)."""
    lock = root / "uv.lock"
    if not lock.exists():
        return {}
    text = lock.read_text(encoding="utf-8")
    uploads = re.findall(r'upload-time = "(\d{4}-\d{2}-\d{2})', text)
    if not uploads:
        return {}
    return {
        "lock_date": dt.date.fromisoformat(max(uploads)),
        "packages": text.count("\n[[package]]"),
    }


def load_json(value: str | None) -> Any:
    return json.loads(value) if value else None
