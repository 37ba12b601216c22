"""The ingest against a real DuckDB file with a suppression list: which rows stay out, and why."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from orchestration.defs.crm.loader import load_table
from orchestration.defs.suppression.ingest import ErasedSubjectSuppression
from orchestration.defs.suppression.objections import list_objections, write_matches
from orchestration.lib.crm_export import read_export
from orchestration.lib.crm_schema import CUSTOMERS, DATA_SUBJECT_REQUESTS, ORDERS, Table
from orchestration.lib.free_text import UnscannedHook
from orchestration.lib.suppression_list.erased import remember_erased_subjects
from orchestration.lib.suppression_list.identifiers import EMAIL, PHONE, SUBJECT_ID, hash_identifier
from orchestration.lib.suppression_list.store import (
    ERASED,
    SUPPRESSION_TABLE,
    SuppressionEntry,
    add_entries,
)

KEY_HEX = "5a" * 32
KEY = bytes.fromhex(KEY_HEX)
CUSTOMER_ROW = (
    "{id},,Anna,Muster,{email},{phone},,,,,,,,,,2020-01-01,,order,de,,"
    "2020-01-01 10:00:00,2020-01-01 10:00:00"
)


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_SCAN_HMAC_KEY", KEY_HEX)


def write_export(directory: Path, export_id: str, files: dict[str, list[str]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    manifest = {"export_id": export_id, "source_system": "santa-crm", "exported_at": "2026-11-23"}
    (directory / "export.json").write_text(json.dumps(manifest), encoding="utf-8")
    for name, rows in files.items():
        (directory / f"{name}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return directory


def customers_csv(*rows: tuple[str, str, str]) -> list[str]:
    return [
        ",".join(CUSTOMERS.column_names),
        *(CUSTOMER_ROW.format(id=i, email=e, phone=p) for i, e, p in rows),
    ]


def erase(con: duckdb.DuckDBPyConnection, customer_id: str, email: str, phone: str) -> None:
    """What the erasure lists for a customer (``lib/suppression_list/erased.py``), by hand."""
    add_entries(
        con,
        [
            SuppressionEntry(ERASED, kind, digest, "DSR1", dt.date(2026, 11, 1))
            for kind, value in (
                (SUBJECT_ID, f"customer:{customer_id}"),
                (EMAIL, email),
                (PHONE, phone),
            )
            if (digest := hash_identifier(KEY, kind, value))
        ],
    )


def load(con: duckdb.DuckDBPyConnection, export_dir: Path, table: Table):
    return load_table(
        con,
        read_export(export_dir),
        table,
        UnscannedHook(),
        guard=None,
        suppression=ErasedSubjectSuppression(),
    )


def suppressed(con: duckdb.DuckDBPyConnection, export_id: str) -> list[tuple]:
    return con.execute(
        """select table_name, source_row, column_name from landing.quarantine
           where export_id = ? and reason = 'erased_subject' order by 1, 2""",
        [export_id],
    ).fetchall()


def test_an_erased_customer_is_kept_out_by_id_or_e_mail_but_a_shared_phone_keeps_no_one_out(
    tmp_path: Path,
) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    erase(con, "C1", "anna@example.com", "+491721234567")
    export = write_export(
        tmp_path / "e1",
        "e1",
        {
            "customers": customers_csv(
                ("C1", "other@example.com", ""),  # same id
                ("C2", " Anna@Example.COM ", ""),  # same e-mail, other case and blanks
                ("C3", "c3@example.com", "0172 123 45 67"),  # same phone: a household's line
                ("C4", "c4@example.com", "+491721234568"),  # someone else
            )
        },
    )
    result = load(con, export, CUSTOMERS)
    assert suppressed(con, "e1") == [("customers", 1, None), ("customers", 2, None)]
    loaded = con.execute("select customer_id from landing.customers order by 1").fetchall()
    assert loaded == [("C3",), ("C4",)]
    assert result.quarantine_reasons["erased_subject"] == 2
    text = repr(con.execute("select * from landing.quarantine").fetchall())
    assert "anna" not in text.lower() and "C1" not in text


def test_orders_of_an_erased_customer_are_kept_out_but_a_record_the_erasure_kept_is_loaded(
    tmp_path: Path,
) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    header = ",".join(ORDERS.column_names)
    order = "{id},{customer},2026-01-05 10:00:00,shipped,web,10.00,EUR,,2026-01-05 10:00:00,2026-01-05 10:00:00"  # noqa: E501
    rows = [header, order.format(id="O1", customer="C1"), order.format(id="O2", customer="C2")]
    load(con, write_export(tmp_path / "e0", "e0", {"orders": rows}), ORDERS)
    # The erasure kept O1 (say, a legal hold) and deleted the customer; O3 is new.
    erase(con, "C1", "anna@example.com", "+491721234567")
    rows.append(order.format(id="O3", customer="C1"))
    load(con, write_export(tmp_path / "e1", "e1", {"orders": rows}), ORDERS)
    assert suppressed(con, "e1") == [("orders", 3, None)]
    loaded = con.execute("select order_id from landing.orders order by 1").fetchall()
    assert loaded == [("O1",), ("O2",)]


def test_a_request_of_an_erased_subject_goes_to_the_evidence_log_not_to_landing(
    tmp_path: Path,
) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    erase(con, "C1", "anna@example.com", "+491721234567")
    rows = [
        ",".join(DATA_SUBJECT_REQUESTS.column_names),
        "DSR1,customer,C1,erasure,2026-10-01 09:00:00,false,2026-10-20 12:00:00,completed",
        "DSR2,customer,C2,access,2026-10-01 09:00:00,false,,received",
    ]
    load(con, write_export(tmp_path / "e1", "e1", {"data_subject_requests": rows}),
         DATA_SUBJECT_REQUESTS)  # fmt: skip
    assert suppressed(con, "e1") == [("data_subject_requests", 1, None)]
    assert con.execute("select request_id from landing.data_subject_requests").fetchall() == [
        ("DSR2",)
    ]
    logged = con.execute("select * from governance_ops.request_evidence_log").fetchall()
    assert logged[0][:8] == (
        "DSR1",
        "erasure",
        hash_identifier(KEY, SUBJECT_ID, "customer:C1"),
        dt.date(2026, 10, 1),
        dt.date(2026, 11, 2),  # 1 November 2026 is a Sunday
        dt.date(2026, 10, 20),
        "completed",
        dt.date(2029, 12, 31),
    )
    assert len(logged) == 1 and "C1" not in repr(logged)


def test_with_an_empty_list_nothing_is_suppressed(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    export = write_export(
        tmp_path / "e1", "e1", {"customers": customers_csv(("C1", "anna@example.com", ""))}
    )
    load(con, export, CUSTOMERS)
    assert suppressed(con, "e1") == []
    assert con.execute(f"select count(*) from {SUPPRESSION_TABLE}").fetchall() == [(0,)]


def test_an_objection_is_listed_by_id_e_mail_and_phone_and_matches_the_person_under_a_new_id(
    tmp_path: Path,
) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    requests = [
        ",".join(DATA_SUBJECT_REQUESTS.column_names),
        "DSR5,customer,C1,objection,2026-10-01 09:00:00,false,,received",
        "DSR6,customer,C2,objection,2026-10-01 09:00:00,false,2026-10-02 09:00:00,rejected",
    ]
    export = write_export(
        tmp_path / "e1",
        "e1",
        {
            "customers": customers_csv(
                ("C1", "anna@example.com", "+491721234567"), ("C2", "c2@example.com", "")
            ),
            "data_subject_requests": requests,
        },
    )
    load(con, export, CUSTOMERS)
    load(con, export, DATA_SUBJECT_REQUESTS)
    assert list_objections(con, KEY) == 3, "id, e-mail, phone of C1; C2's was rejected"
    assert list_objections(con, KEY) == 0, "listing again adds nothing"
    # Years later: the request and C1 are gone, the same person comes back as customer C9.
    con.execute("delete from landing.data_subject_requests")
    con.execute("delete from landing.customers")
    con.execute(
        """insert into landing.customers (customer_id, first_name, last_name, email,
               customer_since_date, source_channel, preferred_language, created_at, updated_at,
               _source_file, _export_id, _source_system, _loaded_at, _row_number, _row_hash)
           values ('C9', 'A', 'M', 'ANNA@example.com', '2029-01-01', 'order', 'de',
                   '2029-01-01', '2029-01-01', 'customers.csv', 'e9', 'crm', '2029-01-01', 1,
                   'not-a-row-hash')"""
    )
    assert write_matches(con, KEY) == 1
    assert con.execute("select * from landing.suppression_matches").fetchall() == [
        ("customer", "C9", "objection", "DSR5", "email")  # e-mail only: blocks e-mail only
    ]


def test_the_erasure_lists_id_e_mail_and_phone_and_logs_the_requests_before_the_delete(
    tmp_path: Path,
) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    requests = [
        ",".join(DATA_SUBJECT_REQUESTS.column_names),
        "DSR7,customer,C1,erasure,2026-10-01 09:00:00,true,,in_progress",
        "DSR8,customer,C1,access,2026-03-01 09:00:00,false,2026-03-10 09:00:00,completed",
        "DSR9,customer,C2,erasure,2026-10-01 09:00:00,false,,received",
    ]
    export = write_export(
        tmp_path / "e1",
        "e1",
        {
            "customers": customers_csv(
                ("C1", "Anna@Example.com", "+49 172 1234567"), ("C2", "c2@example.com", "")
            ),
            "data_subject_requests": requests,
        },
    )
    load(con, export, CUSTOMERS)
    load(con, export, DATA_SUBJECT_REQUESTS)
    now = dt.datetime(2026, 10, 20, 23, 30, tzinfo=dt.UTC)  # 21 October in Berlin
    assert remember_erased_subjects(con, KEY, [("customer", "C1")], "ab" * 32, now) == 3
    listed = con.execute(
        f"select kind, identifier_kind, identifier_hash, request_id, listed_on "
        f"from {SUPPRESSION_TABLE} order by 2"
    ).fetchall()
    day = dt.date(2026, 10, 21)
    assert listed == [
        ("erased", EMAIL, hash_identifier(KEY, EMAIL, "anna@example.com"), "DSR7", day),
        ("erased", PHONE, hash_identifier(KEY, PHONE, "01721234567"), "DSR7", day),
        ("erased", SUBJECT_ID, hash_identifier(KEY, SUBJECT_ID, "customer:C1"), "DSR7", day),
    ]
    logged = con.execute(
        """select request_id, outcome, due_date, completed_date, retain_until
           from governance_ops.request_evidence_log order by 1"""
    ).fetchall()
    assert logged == [
        ("DSR7", "erasure_executed", dt.date(2027, 1, 1), day, dt.date(2029, 12, 31)),
        ("DSR8", "completed", dt.date(2026, 4, 1), dt.date(2026, 3, 10), dt.date(2029, 12, 31)),
    ]
    # Run again (a resumed erasure): nothing is listed twice.
    assert remember_erased_subjects(con, KEY, [("customer", "C1")], "ab" * 32, now) == 0
