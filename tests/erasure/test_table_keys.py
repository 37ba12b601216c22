"""Warehouse tables are classified by their key columns, so unlisted models are reached too."""

from __future__ import annotations

import duckdb
import pytest

from orchestration.lib.table_keys import (
    classify,
    create_key_tables,
    discover_tables,
    record_condition,
)


def cols(*names: str) -> list[tuple[str, str]]:
    return [(n, "VARCHAR") for n in names]


@pytest.mark.parametrize(
    ("schema", "name", "columns", "expected"),
    [
        ("landing", "orders", cols("order_id", "customer_id"), ("copy", "orders")),
        (
            "intermediate",
            "int_consents_validated",
            cols(
                "consent_id",
                "subject_type",
                "subject_id",
                "purpose_id",
                "channel",
                "granted_at",
                "has_parental_consent",
                "is_bundled_with_contract",
                "consent_source",
                "consent_text_version",
            ),
            ("copy", "consents"),
        ),
        ("landing", "note_findings", cols("record_table", "record_id"), ("pair", None)),
        ("landing", "free_text_scan_status", cols("table_name", "record_id"), ("pair", None)),
        (
            "intermediate",
            "int_records_tagged",
            cols("record_purpose_key", "record_key"),
            ("key", None),
        ),
        (
            "marts",
            "some_new_incremental_model",
            cols("invoice_id", "customer_id"),
            ("grain", "invoices"),
        ),
        (
            "governance",
            "marketing_eligibilities",
            cols("key", "data_subject_id", "consent_id"),
            ("subject", None),
        ),
        ("intermediate", "int_objections_registered", cols("person_id"), ("subject", None)),
        ("policy", "purposes", cols("purpose_id", "legal_basis_id"), ("none", None)),
    ],
)
def test_tables_are_classified_by_their_key_columns(
    schema: str, name: str, columns: list[tuple[str, str]], expected: tuple[str, str | None]
) -> None:
    table = classify(schema, name, columns)
    kind = (
        "copy" if table.copy_of
        else "pair" if table.record_pair
        else "key" if table.record_key_column
        else "grain" if table.grain
        else "subject" if table.is_subject_level
        else "none"
    )  # fmt: skip
    assert (kind, table.identity_table) == expected


def test_an_unlisted_incremental_model_is_reached_by_the_record_keys() -> None:
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute("create table marts.invoice_snapshots (invoice_id varchar, amount int)")
    con.execute("insert into marts.invoice_snapshots values ('I1', 1), ('I2', 2)")
    con.execute("create table marts.notes_per_field (record_key varchar, n int)")
    con.execute("insert into marts.notes_per_field values ('invoices:I1', 1), ('invoices:I10', 2)")
    keys = create_key_tables(con, [("invoices", "I1")], [], [], [], "_t")
    remaining = {}
    for table in discover_tables(con):
        condition = record_condition(table, keys)
        assert condition, table.label
        con.execute(f"delete from {table.qualified} where {condition}")
        remaining[table.label] = con.execute(f"select count(*) from {table.qualified}").fetchall()
    assert remaining == {"marts.invoice_snapshots": [(1,)], "marts.notes_per_field": [(1,)]}
