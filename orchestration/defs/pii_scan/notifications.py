"""The notification outbox: whose free text was redacted, where, and for which categories.

REQUIREMENTS.md R2 (third seed: "irreversibel schwärzen und dies dem Kunden mitzuteilen"): each
data subject whose free text held special-category data is told which field was redacted and
for which categories, never the text. One row per subject, record and column; a row keeps the
day its first finding was made, so re-runs neither duplicate nor re-date notifications.
"""

from __future__ import annotations

import duckdb

from orchestration.lib.crm_schema import TABLES, Table
from orchestration.lib.landing_tables import LANDING_SCHEMA, quote
from orchestration.lib.warehouse import table_exists

OUTBOX_DDL = f"""create table if not exists {LANDING_SCHEMA}.redaction_notifications (
    subject_type varchar not null,
    subject_id varchar not null,
    record_table varchar not null,
    record_id varchar not null,
    column_name varchar not null,
    categories varchar not null,
    first_found_at timestamp not null,
    notification_status varchar not null
)"""


def free_text_tables() -> list[Table]:
    return [t for t in TABLES if t.free_text_columns and t.subject_type and t.subject_key]


def refresh_outbox(con: duckdb.DuckDBPyConnection, special_categories: frozenset[str]) -> int:
    """Add outbox rows for newly redacted special-category text; returns rows added."""
    con.execute(OUTBOX_DDL)
    if not special_categories:
        return 0
    placeholders = ", ".join("?" for _ in special_categories)
    added = 0
    for table in free_text_tables():
        if not table_exists(con, LANDING_SCHEMA, table.name):
            continue
        rows = con.execute(
            f"""insert into {LANDING_SCHEMA}.redaction_notifications
                select
                    ? as subject_type,
                    t.{quote(table.subject_key or "")} as subject_id,
                    f.record_table,
                    f.record_id,
                    f.column_name,
                    string_agg(distinct f.entity_type, ', ' order by f.entity_type),
                    min(f.found_at),
                    'pending'
                from {LANDING_SCHEMA}.note_findings f
                join {LANDING_SCHEMA}.{quote(table.name)} t
                    on t.{quote(table.primary_key)} = f.record_id
                where f.record_table = ? and f.entity_type in ({placeholders})
                  and not exists (
                      select 1 from {LANDING_SCHEMA}.redaction_notifications n
                      where n.record_table = f.record_table and n.record_id = f.record_id
                        and n.column_name = f.column_name
                  )
                group by all""",
            [table.subject_type, table.name, *sorted(special_categories)],
        ).fetchall()
        added += int(rows[0][0]) if rows else 0
    return added
