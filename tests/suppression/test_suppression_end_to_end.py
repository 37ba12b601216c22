"""End to end: an erasure and an objection survive a re-ingest of the same CRM data (issue 14).

On a copy of the shared pipeline warehouse: the real erasure job executes the pipeline's
manifest; then the CRM delivers the same export again (a new export id, as the next nightly
export would) with one objecting subject's objection request removed (deleted after three
years), and the real nightly job (ingest, dbt, manifest, report) runs on it. Expected: the erased
subjects stay gone, their rows are quarantined as ``erased_subject`` in the number an independent
SQL oracle counts, no clear identifier of an erased customer is left in the warehouse file, the
objecting subject stays ineligible for marketing, and the report shows the suppressed count.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.defs.erasure.assets import erase_manifest_job, manifest_erasure
from orchestration.defs.reporting.render import build_report
from orchestration.defs.retention.manifest import latest_manifest_path
from orchestration.lib.crm_export import file_sha256
from orchestration.lib.pipeline_settings import PipelineSettings
from orchestration.lib.warehouse import WarehouseResource, connection_config, read_only
from orchestration.run import RunSummary

#: Master tables: subject type, id column, e-mail column, phone column.
MASTERS = {
    "customers": ("customer", "customer_id", "email", "phone"),
    "prospects": ("prospect", "prospect_id", "email", "phone"),
    "partner_contacts": ("partner_contact", "partner_contact_id", "email", "phone"),
    "wishlist_submissions": ("wishlist_sender", "wishlist_submission_id", "sender_email", None),
}
#: Rows that name a subject by id: table, subject type (or None: the row's subject_type), column.
REFERENCES = (
    ("customers", "customer", "customer_id"),
    ("prospects", "prospect", "prospect_id"),
    ("prospects", "customer", "converted_customer_id"),
    ("partner_contacts", "partner_contact", "partner_contact_id"),
    ("orders", "customer", "customer_id"),
    ("invoices", "customer", "customer_id"),
    ("service_notes", "customer", "customer_id"),
    ("wishlist_submissions", "wishlist_sender", "wishlist_submission_id"),
    ("wishlist_submissions", "customer", "customer_id"),
    ("consents", None, "subject_id"),
    ("marketing_sends", None, "subject_id"),
    ("data_subject_requests", None, "subject_id"),
)
OBJECTION_ID = "DSR900001"
LATE_REQUEST_ID = "DSR900002"
PRIMARY_KEYS = {
    "customers": "customer_id",
    "prospects": "prospect_id",
    "partner_contacts": "partner_contact_id",
    "orders": "order_id",
    "invoices": "invoice_id",
    "service_notes": "service_note_id",
    "wishlist_submissions": "wishlist_submission_id",
    "consents": "consent_id",
    "marketing_sends": "marketing_send_id",
    "data_subject_requests": "request_id",
}


@dataclass(frozen=True)
class Reingest:
    warehouse: Path
    pristine: Path
    export_dir: Path
    export_id: str
    data_dir: Path
    key: bytes
    erased_customer: tuple[str, str, str | None]
    kept_email: str
    objector: str
    expected_suppressed: dict[str, set[int]]
    erasure_result: dg.ExecuteInProcessResult
    reingest_summary: RunSummary


def run_erase_job(warehouse: Path, manifest_id: str) -> dg.ExecuteInProcessResult:
    definitions = dg.Definitions(
        assets=[manifest_erasure],
        jobs=[erase_manifest_job],
        resources={
            "warehouse": WarehouseResource(
                database=str(warehouse), connection_config=connection_config()
            ),
            "pipeline_settings": PipelineSettings(),
        },
    )
    return definitions.resolve_job_def("erase_manifest_job").execute_in_process(
        run_config={"manifest_id": manifest_id},
        instance=dg.DagsterInstance.ephemeral(),
    )


def pick_objector(warehouse: Path, manifest: dict) -> str:
    """An active customer eligible for marketing whom the manifest leaves alone."""
    touched = {i["person_id"] for i in manifest["items"]}
    with read_only(warehouse) as con:
        rows = con.execute(
            """select data_subject_id from governance.marketing_eligibilities
               where is_eligible and subject_type = 'customer' and person_id = data_subject_id
               order by 1"""
        ).fetchall()
    candidates = [r[0] for r in rows if r[0] not in touched]
    assert candidates, "the sample has no eligible customer outside the manifest"
    return candidates[0]


def deliver(source: Path, target: Path, suffix: str, extra_requests: list[str]) -> str:
    """The same export under a new id, with ``extra_requests`` appended to the requests file.
    Returns the export id."""
    shutil.copytree(source, target)
    requests = target / "data_subject_requests.csv"
    lines = requests.read_text(encoding="utf-8").splitlines(keepends=True)
    lines += [line + "\n" for line in extra_requests]
    requests.write_text("".join(lines), encoding="utf-8")
    manifest = json.loads((target / "export.json").read_text(encoding="utf-8"))
    manifest["export_id"] += suffix
    entry = manifest["tables"]["data_subject_requests"]
    entry["sha256"] = file_sha256(requests)
    entry["rows"] = len(lines) - 1
    (target / "export.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest["export_id"]


def expected_suppression(export_dir: Path, pristine: Path, erased: Path) -> dict[str, set[int]]:
    """Oracle in plain SQL: CSV rows naming a subject whose master record the erasure deleted
    (by id, or by that record's e-mail; a shared phone alone keeps no one out), minus records the
    erasure kept; requests of an
    erased subject always. Returns the file row numbers per table."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{pristine}' as before (read_only)")
        con.execute(f"attach '{erased}' as after (read_only)")
        gone, contacts = [], []
        for table, (subject_type, key, email, phone) in MASTERS.items():
            gone.append(
                f"""select '{subject_type}' as subject_type, b.{key} as subject_id
                    from before.landing.{table} b
                    where b.{key} not in (select {key} from after.landing.{table})"""
            )
            contacts.append(
                f"""select lower(trim(b.{email})) as email,
                           {f"regexp_replace(b.{phone}, '[^0-9]', '', 'g')" if phone else "null"}
                               as phone
                    from before.landing.{table} b
                    where b.{key} not in (select {key} from after.landing.{table})"""
            )
        con.execute(f"create temp table gone as {' union all '.join(gone)}")
        con.execute(f"create temp table contacts as {' union all '.join(contacts)}")
        found: dict[str, set[int]] = {}
        for table, key in PRIMARY_KEYS.items():
            csv = f"read_csv('{export_dir / (table + '.csv')}', all_varchar = true, header = true)"
            conditions = []
            for ref_table, subject_type, column in REFERENCES:
                if ref_table != table:
                    continue
                kind = f"'{subject_type}'" if subject_type else "r.subject_type"
                conditions.append(
                    f"({kind}, r.{column}) in (select (subject_type, subject_id) from gone)"
                )
            if table in MASTERS:
                email = MASTERS[table][2]
                conditions.append(
                    f"lower(trim(r.{email})) in (select email from contacts where email <> '')"
                )
            kept = (
                "true"
                if table == "data_subject_requests"
                else f"r.{key} not in (select {key} from after.landing.{table})"
            )
            rows = con.execute(
                f"""select n from (select row_number() over () as n, * from {csv}) r
                    where ({" or ".join(conditions)}) and {kept}"""
            ).fetchall()
            if rows:
                found[table] = {int(r[0]) for r in rows}
        return found
    finally:
        con.close()


@pytest.fixture(scope="module")
def reingest(pipeline_run, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reingest]:
    """1. The CRM delivers the export plus an objection (nightly run); 2. the manifest of that
    run is erased (erasure job); 3. the CRM delivers the same data again, the objection request
    deleted meanwhile (nightly run)."""
    from orchestration.run import run_nightly

    root = tmp_path_factory.mktemp("suppression")
    data_dir = root / "data"
    data_dir.mkdir()
    warehouse = data_dir / "warehouse.duckdb"
    shutil.copy(pipeline_run.warehouse_path, warehouse)
    # The pipeline's own key (its scan hashes stay valid; no full re-scan).
    key_hex = (pipeline_run.data_dir / "secrets" / "scan_hmac.key").read_text().strip()
    first_manifest = latest_manifest_path(pipeline_run.as_of, pipeline_run.data_dir)
    assert first_manifest is not None
    objector = pick_objector(warehouse, json.loads(first_manifest.read_bytes()))

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRM_DATA_DIR", str(data_dir))
        patch.setenv("CRM_WAREHOUSE_PATH", str(warehouse))
        patch.setenv("CRM_SCAN_HMAC_KEY", key_hex)
        with_objection = root / "export-objection"
        objection = (
            f"{OBJECTION_ID},{objector.replace(':', ',')},objection,2026-11-02 10:00:00,false,"
            "2026-11-05 10:00:00,completed"
        )
        deliver(pipeline_run.export_dir, with_objection, "-objection", [objection])
        run_nightly(with_objection, pipeline_run.as_of, raise_on_error=True)
        manifest_path = latest_manifest_path(pipeline_run.as_of, data_dir)
        assert manifest_path is not None
        pristine = root / "pristine.duckdb"
        shutil.copy(warehouse, pristine)

        erasure_result = run_erase_job(warehouse, manifest_path.stem[:16])
        assert erasure_result.success
        erased_copy = root / "erased.duckdb"
        shutil.copy(warehouse, erased_copy)
        with read_only(warehouse) as con:
            subject_ids = json.loads(
                con.execute(
                    "select erased_subject_ids_json from governance_ops.erasure_runs"
                ).fetchall()[0][0]
            )
        with read_only(pristine) as con:
            customers = con.execute(
                """select customer_id, email, phone from landing.customers
                   where email is not null
                     and customer_id in (select unnest(?::varchar[])) order by 1""",
                [subject_ids],
            ).fetchall()
            kept_email = con.execute(
                """select email from landing.customers where email is not null
                   and customer_id not in (select unnest(?::varchar[])) order by 1 limit 1""",
                [subject_ids],
            ).fetchall()[0][0]
        assert customers, "the erasure must remove at least one customer completely"

        export_dir = root / "export-again"
        # The erased customer writes again after the erasure (a request to be logged, not loaded).
        late_request = (
            f"{LATE_REQUEST_ID},customer,{customers[0][0]},access,2026-11-20 10:00:00,false,,"
            "received"
        )
        export_id = deliver(pipeline_run.export_dir, export_dir, "-again", [late_request])
        expected = expected_suppression(export_dir, pristine, erased_copy)
        summary = run_nightly(export_dir, pipeline_run.as_of, raise_on_error=True)
    yield Reingest(
        warehouse, pristine, export_dir, export_id, data_dir, bytes.fromhex(key_hex),
        customers[0], kept_email, objector, expected, erasure_result, summary,
    )  # fmt: skip


def quarantined(run: Reingest) -> dict[str, set[int]]:
    with read_only(run.warehouse) as con:
        rows = con.execute(
            """select table_name, source_row, column_name from landing.quarantine
               where export_id = ? and reason = 'erased_subject'""",
            [run.export_id],
        ).fetchall()
    found: dict[str, set[int]] = {}
    for table, row, column in rows:
        assert column is None, "a suppressed row names no column"
        found.setdefault(table, set()).add(int(row))
    return found


def test_re_delivered_rows_of_erased_subjects_are_quarantined_in_the_oracles_number(
    reingest: Reingest,
) -> None:
    found = quarantined(reingest)
    assert sum(map(len, reingest.expected_suppressed.values())) > 1
    assert found == reingest.expected_suppressed
    assert "customers" in found


def test_the_erased_customer_stays_gone_from_landing_staging_and_marts(reingest: Reingest) -> None:
    customer_id, _, _ = reingest.erased_customer
    with read_only(reingest.warehouse) as con:
        columns = con.execute(
            """select table_schema, table_name, list(column_name)
               from information_schema.columns c
               join information_schema.tables t using (table_catalog, table_schema, table_name)
               where t.table_type = 'BASE TABLE' and c.data_type = 'VARCHAR'
                 and table_schema <> 'governance_ops'
               group by all"""
        ).fetchall()
        holding = []
        for schema, table, names in columns:
            condition = " or ".join(f'contains("{c}", ?)' for c in names)
            sql = f'select count(*) from "{schema}"."{table}" where {condition}'
            if con.execute(sql, [customer_id] * len(names)).fetchall()[0][0]:
                holding.append(f"{schema}.{table}")
        # The ingest loads a file again by key when the suppression list changed (unchanged rows
        # keep the _export_id of the load that wrote them): its log names the re-delivery.
        loaded = con.execute(
            "select count(*) from landing.ingest_log where table_name = 'customers'"
            " and export_id = ?",
            [reingest.export_id],
        ).fetchall()[0][0]
    assert loaded > 0, "positive control: the re-delivered export was loaded"
    assert holding == []


def test_no_clear_identifier_of_the_erased_customer_is_left_in_the_warehouse_file(
    reingest: Reingest,
) -> None:
    _, email, phone = reingest.erased_customer
    data = reingest.warehouse.read_bytes()
    wal = reingest.warehouse.with_name(reingest.warehouse.name + ".wal")
    if wal.exists():
        data += wal.read_bytes()
    assert reingest.kept_email.encode() in data, "positive control: a kept e-mail is readable"
    assert email.encode() in reingest.pristine.read_bytes(), "the e-mail was there before"
    assert email.encode() not in data
    if phone:
        assert phone.encode() not in data


def test_the_suppression_list_holds_keyed_hashes_only(reingest: Reingest) -> None:
    customer_id, email, phone = reingest.erased_customer
    values = [("subject_id", f"customer:{customer_id}"), ("email", email.strip().lower())]
    if phone:
        values.append(("phone", phone.lstrip("+")))
    expected = {
        kind: hmac.new(reingest.key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
        for kind, value in values
    }
    with read_only(reingest.warehouse) as con:
        listed = {
            (kind, digest)
            for kind, digest in con.execute(
                """select identifier_kind, identifier_hash from governance_ops.suppression_list
                   where kind = 'erased'"""
            ).fetchall()
        }
        columns = [
            r[0]
            for r in con.execute(
                """select column_name from information_schema.columns
                   where table_schema = 'governance_ops' and table_name = 'suppression_list'
                   order by ordinal_position"""
            ).fetchall()
        ]
        listed_text = repr(con.execute("select * from governance_ops.suppression_list").fetchall())
    assert set(expected.items()) <= listed
    assert columns == ["kind", "identifier_kind", "identifier_hash", "request_id", "listed_on"]
    assert customer_id not in listed_text and email not in listed_text


def test_the_evidence_log_keeps_the_erased_subjects_requests_without_the_plain_id(
    reingest: Reingest,
) -> None:
    gone = {f"{t}:{i}" for t, i in _gone_subjects(reingest)}
    with (reingest.export_dir / "data_subject_requests.csv").open(encoding="utf-8") as handle:
        delivered = {
            row["request_id"]
            for row in csv.DictReader(handle)
            if f"{row['subject_type']}:{row['subject_id']}" in gone
        }
    with read_only(reingest.warehouse) as con:
        logged = {
            r[0]: r[1:]
            for r in con.execute(
                """select request_id, subject_hash, outcome, received_date, due_date,
                          retain_until, completed_date
                   from governance_ops.request_evidence_log"""
            ).fetchall()
        }
        landed = {
            r[0]
            for r in con.execute("select request_id from landing.data_subject_requests").fetchall()
        }
    assert LATE_REQUEST_ID in delivered
    assert delivered <= set(logged)
    assert not delivered & landed, "no request row of an erased subject in clear"
    customer_id = reingest.erased_customer[0]
    subject_hash = hmac.new(
        reingest.key, f"subject_id:customer:{customer_id}".encode(), hashlib.sha256
    ).hexdigest()
    assert logged[LATE_REQUEST_ID] == (
        subject_hash,
        "received",
        dt.date(2026, 11, 20),
        dt.date(2026, 12, 21),  # 20 December 2026 is a Sunday: the deadline moves to Monday
        None,
        None,
    )
    assert customer_id not in repr(logged)
    for subject, outcome, received, due, retain_until, completed in logged.values():
        assert len(subject) == 64 and outcome and received and due and due > received
        if completed is not None:
            assert retain_until == dt.date(completed.year + 3, 12, 31)


def _gone_subjects(run: Reingest) -> list[tuple[str, str]]:
    with read_only(run.pristine) as con:
        con.execute(f"attach '{run.warehouse}' as after (read_only)")
        return [
            (subject_type, subject_id)
            for table, (subject_type, key, _, _) in MASTERS.items()
            for (subject_id,) in con.execute(
                f"""select {key} from landing.{table}
                    where {key} not in (select {key} from after.landing.{table})"""
            ).fetchall()
        ]


def test_the_objecting_subject_stays_ineligible_after_its_request_is_gone(
    reingest: Reingest,
) -> None:
    subject_type, subject_id = reingest.objector.split(":", 1)
    with read_only(reingest.warehouse) as con:
        requests = con.execute(
            """select count(*) from landing.data_subject_requests
               where subject_type = ? and subject_id = ? and request_type = 'objection'""",
            [subject_type, subject_id],
        ).fetchall()[0][0]
        registered = con.execute(
            "select count(*) from intermediate.int_objections_registered where person_id = ?",
            [reingest.objector],
        ).fetchall()[0][0]
        eligibility = con.execute(
            """select bool_or(is_eligible), list(distinct ineligibility_reason)
               from governance.marketing_eligibilities where data_subject_id = ?""",
            [reingest.objector],
        ).fetchall()[0]
        matched = con.execute(
            """select distinct kind from landing.suppression_matches
               where subject_type = ? and subject_id = ?""",
            [subject_type, subject_id],
        ).fetchall()
    assert (requests, registered) == (0, 0), "the objection request itself is gone"
    assert matched == [("objection",)]
    assert eligibility == (False, ["objection"])


def test_the_report_shows_how_many_re_delivered_rows_were_suppressed(reingest: Reingest) -> None:
    total = sum(map(len, reingest.expected_suppressed.values()))
    with read_only(reingest.warehouse) as con:
        report = build_report(con, as_of=dt.date(2026, 11, 23), run_id="h2-test", language="en")
    section = next(s for s in report.sections if s.key == "erasures")
    assert section.context["e"].suppressed_rows == total
    html_files = list((reingest.data_dir / "reports").rglob("*.html"))
    assert html_files, "the nightly job rendered its report"
    shown = f'data-value="{total}" data-headline="suppressed_rows"'
    assert any(shown in p.read_text(encoding="utf-8") for p in html_files)


def test_the_erasure_itself_still_verifies(reingest: Reingest) -> None:
    assert reingest.erasure_result.success
    with read_only(reingest.pristine) as con:
        before = con.execute("select count(*) from landing.customers").fetchall()[0][0]
    with read_only(reingest.warehouse) as con:
        after = con.execute("select count(*) from landing.customers").fetchall()[0][0]
    assert after < before


def test_rows_kept_out_by_the_suppression_list_do_not_fail_the_quarantine_checks(
    reingest: Reingest,
) -> None:
    """A suppressed row is the erasure working, not a defect of the export: the per-table
    quarantine check passes and counts it apart."""
    checks = {
        c.asset.removeprefix("landing/"): c
        for c in reingest.reingest_summary.checks
        if c.check.endswith("__no_quarantined_rows")
    }
    assert set(reingest.expected_suppressed) <= set(checks)
    for table, rows in reingest.expected_suppressed.items():
        counts = dict(checks[table].counts)
        assert checks[table].passed, table
        assert counts["rows_of_erased_subjects"] == len(rows), table
        assert counts["rows_quarantined"] == 0, table
