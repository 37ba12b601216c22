"""Write everything held about one person as JSON and CSV in one folder, plus a zip.

Rows come from every warehouse table that holds the person's records or profile, found the same
way the erasure finds them (``lib/table_keys``), so a new dbt model is included without
code changes. Free text is exported as stored: redacted at ingest, it stays redacted. Columns
that identify someone else are withheld (Art. 15(4) GDPR: the copy must not adversely affect the
rights of others). The folder is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import os
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from orchestration.defs.dsr.resolve import (
    Subject,
    identifier_kind,
    resolve_subjects,
    subject_records,
)
from orchestration.defs.dsr.sections import SECTIONS
from orchestration.lib import audit_log
from orchestration.lib.actor import Actor, from_command_line
from orchestration.lib.dsr_exports import EXPORTS_DIRNAME, prune_expired_exports
from orchestration.lib.table_keys import create_key_tables, discover_tables, record_condition
from orchestration.lib.warehouse import read_only

FORMAT = "subject_access_export"
FORMAT_VERSION = 1
KEY_PREFIX = "_dsr"
REQUEST_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
#: Columns replaced by a notice instead of their value, and why.
WITHHELD_COLUMNS = {
    "parent_email": "another person's e-mail address (Art. 15(4) DSGVO)",
    "text_hmac": "internal keyed checksum of the original text, not information about you",
}
WITHHELD = "[withheld]"


class SubjectNotFoundError(LookupError):
    """No data subject matches the identifier (the identifier itself is never repeated)."""


@dataclass(frozen=True)
class SubjectExport:
    request_label: str
    folder: Path
    zip_path: Path
    subjects: list[Subject]
    records: int
    table_rows: dict[str, int]
    section_rows: dict[str, int | None]


def _value(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _value(v) for k, v in value.items()}
    return value


def _rows(cursor: duckdb.DuckDBPyConnection) -> tuple[list[str], list[list[object]]]:
    rows = cursor.fetchall()
    columns = [d[0] for d in cursor.description or []]
    withheld = {i for i, c in enumerate(columns) if c in WITHHELD_COLUMNS}
    return columns, [
        [WITHHELD if i in withheld and v is not None else _value(v) for i, v in enumerate(row)]
        for row in rows
    ]


def _csv(path: Path, columns: list[str], rows: list[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(
                [
                    "" if v is None else json.dumps(v) if isinstance(v, list | dict) else v
                    for v in row
                ]
            )


def _readme(label: str, subjects: list[Subject], tables: dict[str, Any]) -> str:
    withheld = "\n".join(f"  - {c}: {why}" for c, why in WITHHELD_COLUMNS.items())
    sections = "\n".join(f"  - {name}: {why}" for name, (why, _) in SECTIONS.items())
    return (
        f"Auskunft nach Art. 15 / Datenübertragbarkeit nach Art. 20 DSGVO — Anfrage {label}\n"
        f"Access (Art. 15) and portability (Art. 20 GDPR) export — request {label}\n\n"
        f"Data subjects: {', '.join(s.data_subject_id for s in subjects)}\n"
        f"Tables holding your data: {len(tables)}\n\n"
        "subject_data.json  everything below in one machine-readable file\n"
        "sections/*.csv     what we do with your data and why:\n"
        f"{sections}\n"
        "tables/*.csv       a copy of every row we hold about you, one file per table\n\n"
        "Free text was redacted when it reached us; it is shown redacted.\n"
        f"Withheld values ({WITHHELD}):\n{withheld}\n"
    )


def _replace_directory(temporary: Path, final: Path) -> None:
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.replace(final, old)
        os.replace(temporary, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(temporary, final)


def _zip(folder: Path, target: Path) -> None:
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, arcname=f"{folder.name}/{path.relative_to(folder)}")
    os.replace(temporary, target)


def export_subject(
    warehouse: Path,
    identifier: str,
    request_label: str,
    data_dir: Path,
    run_id: str | None = None,
    launched_by: Actor | None = None,
) -> SubjectExport:
    """Export one person's data; raises ``SubjectNotFoundError`` if nobody matches."""
    if not REQUEST_LABEL.match(request_label):
        raise ValueError("request label: letters, digits, '_', '.', '-' only (max 80)")
    prune_expired_exports(data_dir, run_id=run_id, launched_by=launched_by)
    tables: dict[str, tuple[list[str], list[list[object]]]] = {}
    sections: dict[str, tuple[list[str], list[list[object]]] | None] = {}
    with read_only(warehouse) as con:
        subjects = resolve_subjects(con, identifier)
        if not subjects:
            raise SubjectNotFoundError("no data subject in the warehouse matches the identifier")
        records = subject_records(con, subjects)
        persons = _person_ids(con, subjects)
        keys = create_key_tables(
            con,
            records,
            [],
            [(s.subject_type, s.subject_id) for s in subjects],
            persons,
            KEY_PREFIX,
        )
        for table in discover_tables(con):
            condition = record_condition(table, keys)
            if condition:
                columns, rows = _rows(
                    con.execute(f"select * from {table.qualified} where {condition} order by all")
                )
                if rows:
                    tables[table.label] = (columns, rows)
        for name, (_, sql) in SECTIONS.items():
            try:
                sections[name] = _rows(
                    con.execute(sql.format(records=keys.records, subjects=keys.subjects))
                )
            except duckdb.CatalogException:
                sections[name] = None  # the model is not built in this warehouse

    root = data_dir / EXPORTS_DIRNAME
    root.mkdir(parents=True, exist_ok=True)
    folder = root / request_label
    temporary = root / f".{request_label}.tmp-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "request": {
            "request_label": request_label,
            "identifier_kind": identifier_kind(identifier),
            "generated_at": dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds"),
            "data_subject_ids": [s.data_subject_id for s in subjects],
        },
        "withheld_columns": WITHHELD_COLUMNS,
        "sections": {
            name: None if data is None else [dict(zip(data[0], r, strict=True)) for r in data[1]]
            for name, data in sections.items()
        },
        "tables": {
            label: [dict(zip(columns, r, strict=True)) for r in rows]
            for label, (columns, rows) in tables.items()
        },
    }
    (temporary / "subject_data.json").write_text(
        json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8"
    )
    for label, (columns, rows) in tables.items():
        _csv(temporary / "tables" / f"{label}.csv", columns, rows)
    for name, data in sections.items():
        if data is not None:
            _csv(temporary / "sections" / f"{name}.csv", *data)
    (temporary / "README.txt").write_text(_readme(request_label, subjects, tables), "utf-8")
    _replace_directory(temporary, folder)
    zip_path = root / f"{request_label}.zip"
    _zip(folder, zip_path)

    table_rows = {label: len(rows) for label, (_, rows) in tables.items()}
    section_rows = {name: None if d is None else len(d[1]) for name, d in sections.items()}
    audit_log.append_entry(
        audit_log.audit_log_path(data_dir),
        {
            "action": "dsr_export",
            "event": "completed",
            "outcome": "completed",
            "request_label": request_label,
            "identifier_kind": identifier_kind(identifier),
            "data_subject_ids": [s.data_subject_id for s in subjects],
            "records": len(records),
            "table_rows": table_rows,
            **(launched_by or from_command_line(None)).fields(),
            "run_id": run_id,
        },
    )
    return SubjectExport(
        request_label, folder, zip_path, subjects, len(records), table_rows, section_rows
    )


def _person_ids(con: duckdb.DuckDBPyConnection, subjects: list[Subject]) -> list[str]:
    ids = [s.data_subject_id for s in subjects]
    try:
        rows = con.execute(
            """select distinct person_id from governance.data_subjects
               where data_subject_id in (select unnest(?::varchar[]))""",
            [ids],
        ).fetchall()
    except duckdb.CatalogException:
        return ids
    return sorted({r[0] for r in rows} | set(ids))
