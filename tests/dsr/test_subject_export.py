"""End to end: the access/portability export holds everything about one person, nothing else."""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.dsr.export import SubjectNotFoundError, export_subject
from orchestration.defs.dsr.jobs import export_subject_data_job
from orchestration.lib.audit_log import audit_log_path, read_entries, verify_audit_log
from orchestration.lib.crm_schema import CANARIES_FILE, TABLES
from orchestration.lib.warehouse import WarehouseResource, connection_config, read_only

EMAIL_COLUMNS = (
    ("email", "customers"),
    ("email", "prospects"),
    ("email", "partner_contacts"),
    ("sender_email", "wishlist_submissions"),
    ("parent_email", "wishlist_submissions"),
)
TOKEN = re.compile(r"[^:|,; \"\[\]{}]+")


@dataclass(frozen=True)
class Export:
    customer_id: str
    email: str
    folder: Path
    zip_path: Path
    document: dict
    data_dir: Path


def pick_customer(warehouse: Path) -> tuple[str, str]:
    """A customer with orders, invoices, service notes with findings, consents and sends."""
    with read_only(warehouse) as con:
        row = con.execute(
            """select c.customer_id, c.email
               from landing.customers c
               where c.email is not null
                 and exists (select 1 from landing.invoices i where i.customer_id = c.customer_id)
                 and exists (select 1 from landing.consents k
                             where k.subject_type = 'customer' and k.subject_id = c.customer_id)
                 and exists (select 1 from landing.marketing_sends m
                             where m.subject_type = 'customer' and m.subject_id = c.customer_id)
                 and exists (select 1 from landing.service_notes s
                             join landing.note_findings f
                               on f.record_table = 'service_notes'
                              and f.record_id = s.service_note_id
                             where s.customer_id = c.customer_id)
               order by c.customer_id limit 1"""
        ).fetchall()
    assert row, "the sample must hold a customer with data in every kind of table"
    return row[0]


@pytest.fixture(scope="module")
def exported(pipeline_run, tmp_path_factory: pytest.TempPathFactory) -> Export:
    customer_id, email = pick_customer(pipeline_run.warehouse_path)
    data_dir = tmp_path_factory.mktemp("dsr") / "data"
    definitions = dg.Definitions(
        jobs=[export_subject_data_job],
        resources={
            "warehouse": WarehouseResource(
                database=str(pipeline_run.warehouse_path), connection_config=connection_config()
            )
        },
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRM_DATA_DIR", str(data_dir))
        result = definitions.resolve_job_def("export_subject_data_job").execute_in_process(
            run_config={"subject": customer_id, "request_id": "DSR-TEST-1"},
            instance=dg.DagsterInstance.ephemeral(),
        )
    assert result.success
    summary = result.output_for_node("export_subject_data")
    folder = Path(summary["folder"])
    document = json.loads((folder / "subject_data.json").read_text(encoding="utf-8"))
    return Export(customer_id, email, folder, Path(summary["zip"]), document, data_dir)


def tables_mentioning(warehouse: Path, value: str) -> set[str]:
    """Tables with a text column whose value is, or holds as a token, ``value``."""
    found = set()
    with read_only(warehouse) as con:
        columns = con.execute(
            """select table_schema, table_name, list(column_name)
               from information_schema.columns c
               join information_schema.tables t using (table_catalog, table_schema, table_name)
               where t.table_type = 'BASE TABLE' and c.data_type = 'VARCHAR'
                 and table_schema <> 'governance_ops'
               group by all"""
        ).fetchall()
        for schema, table, names in columns:
            condition = " or ".join(
                f"list_contains(string_split_regex(\"{c}\", '[:|,; ]'), ?)" for c in names
            )
            sql = f'select count(*) from "{schema}"."{table}" where {condition}'
            if con.execute(sql, [value] * len(names)).fetchall()[0][0]:
                found.add(f"{schema}.{table}")
    return found


def test_the_export_contains_every_table_that_holds_the_subject(
    pipeline_run, exported: Export
) -> None:
    tables = set(exported.document["tables"])
    expected = tables_mentioning(pipeline_run.warehouse_path, exported.customer_id)
    assert expected <= tables
    assert {
        "landing.customers", "landing.orders", "landing.invoices", "landing.service_notes",
        "landing.consents", "landing.marketing_sends", "landing.note_findings",
        "landing.free_text_scan_status", "governance.data_subjects",
        "governance.record_retention_statuses",
    } <= tables  # fmt: skip
    sections = exported.document["sections"]
    assert sections["subjects"][0]["source_channel"] and sections["subjects"][0]["first_seen_at"]
    assert sections["records_purposes_retention"] and all(
        r["retention_status"] and r["legal_basis_id"]
        for r in sections["records_purposes_retention"]
    )
    assert sections["consent_history"] and sections["recipients_marketing_sends"]


def test_the_export_holds_nothing_of_anyone_else(pipeline_run, exported: Export) -> None:
    subjects = set(exported.document["request"]["data_subject_ids"])
    for table in TABLES:
        for row in exported.document["tables"].get(f"landing.{table.name}", []):
            if table.subject_key:
                assert f"{table.subject_type}:{row[table.subject_key]}" in subjects
            elif "subject_id" in row:
                assert f"{row['subject_type']}:{row['subject_id']}" in subjects
    mine = {exported.customer_id}
    for rows in exported.document["tables"].values():
        for row in rows:
            mine |= {str(v) for k, v in row.items() if k.endswith("_id") and v is not None}
    others: set[str] = set()
    with read_only(pipeline_run.warehouse_path) as con:
        for table in TABLES:
            ids = con.execute(f"select {table.primary_key} from landing.{table.name}").fetchall()
            others |= {r[0] for r in ids}
        for column, table in EMAIL_COLUMNS:
            rows = con.execute(f"select lower({column}) from landing.{table}").fetchall()
            others |= {r[0] for r in rows if r[0]}
    others -= mine | {exported.email.lower()}
    text = (exported.folder / "subject_data.json").read_text(encoding="utf-8").lower()
    leaked = {t for t in TOKEN.findall(text) if t in {o.lower() for o in others}}
    assert leaked == set()
    for rows in exported.document["tables"].values():
        for row in rows:
            if row.get("data_subject_id") is not None:
                assert row["data_subject_id"] in subjects


def test_redacted_text_stays_redacted_and_no_canary_reaches_the_export(
    pipeline_run, exported: Export
) -> None:
    canaries = (pipeline_run.export_dir / CANARIES_FILE).read_text(encoding="utf-8").split()
    notes = exported.document["tables"]["landing.service_notes"]
    with read_only(pipeline_run.warehouse_path) as con:
        stored = dict(
            con.execute(
                """select service_note_id, note_text from landing.service_notes
                   where customer_id = ?""",
                [exported.customer_id],
            ).fetchall()
        )
    assert {n["service_note_id"]: n["note_text"] for n in notes} == stored
    assert any("<" in (t or "") for t in stored.values()), "the subject has a redacted note"
    everything = b"".join(p.read_bytes() for p in exported.folder.rglob("*") if p.is_file())
    everything += exported.zip_path.read_bytes()
    assert not [c for c in canaries if c.encode() in everything]


def test_the_export_is_json_csv_and_a_zip_and_is_in_the_audit_log(exported: Export) -> None:
    assert (exported.folder / "tables" / "landing.customers.csv").exists()
    assert (exported.folder / "sections" / "consent_history.csv").exists()
    with zipfile.ZipFile(exported.zip_path) as archive:
        assert "DSR-TEST-1/subject_data.json" in archive.namelist()
    entries = read_entries(audit_log_path(exported.data_dir))
    assert [(e["action"], e["request_label"]) for e in entries] == [("dsr_export", "DSR-TEST-1")]
    assert verify_audit_log(audit_log_path(exported.data_dir)).ok
    assert exported.email not in audit_log_path(exported.data_dir).read_text(encoding="utf-8")


def test_an_email_finds_the_same_person_as_the_customer_id(
    pipeline_run, exported: Export, tmp_path: Path
) -> None:
    by_email = export_subject(
        pipeline_run.warehouse_path, exported.email.upper(), "by-email", tmp_path
    )
    assert [s.data_subject_id for s in by_email.subjects] == exported.document["request"][
        "data_subject_ids"
    ]
    assert set(by_email.table_rows) == set(exported.document["tables"])


def test_an_unknown_subject_fails_without_repeating_the_identifier(
    pipeline_run, tmp_path: Path
) -> None:
    with pytest.raises(SubjectNotFoundError) as error:
        export_subject(pipeline_run.warehouse_path, "nobody@example.invalid", "x", tmp_path)
    assert "nobody" not in str(error.value)
