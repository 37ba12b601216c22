"""The write-back manifest: which CRM fields to replace with their redacted text.

The CRM is the system of record (REQUIREMENTS.md R2): the pipeline redacts its own copy at
ingest, and this manifest tells the CRM to do the same. One JSON line per redacted field, written
to a temporary name and renamed when complete, sorted so the same findings give the same bytes.
A value the guard held for review is left out: the warehouse stores only the review marker for
it, and writing that back would erase the CRM's text before the DPO has looked at it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb

from orchestration.defs.pii_scan.notifications import free_text_tables
from orchestration.lib.landing_tables import LANDING_SCHEMA, quote
from orchestration.lib.warehouse import table_exists


def write_writeback_manifest(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Write the manifest for every field with at least one finding; returns lines written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    lines = 0
    from orchestration.lib.guard import load_guard

    marker = load_guard().marker
    with temporary.open("w", encoding="utf-8") as handle:
        for table in free_text_tables():
            if not table_exists(con, LANDING_SCHEMA, table.name):
                continue
            for column in table.free_text_columns:
                rows = con.execute(
                    f"""select t.{quote(table.primary_key)}, t.{quote(column)},
                               string_agg(distinct f.entity_type, ',' order by f.entity_type),
                               any_value(f.scanner_version)
                        from {LANDING_SCHEMA}.{quote(table.name)} t
                        join {LANDING_SCHEMA}.note_findings f
                          on f.record_table = ? and f.column_name = ?
                         and f.record_id = t.{quote(table.primary_key)}
                        where t.{quote(column)} is distinct from ?
                        group by all order by 1""",
                    [table.name, column, marker],
                ).fetchall()
                for record_id, redacted_text, categories, version in rows:
                    record = {
                        "table": table.name,
                        "record_id": record_id,
                        "column": column,
                        "redacted_text": redacted_text,
                        "categories": categories.split(","),
                        "scanner_version": version,
                    }
                    handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
                    lines += 1
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)
    return lines
