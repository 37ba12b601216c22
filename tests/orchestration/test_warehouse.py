"""``DuckDBWarehouse`` keeps the ``Warehouse`` contract another engine must implement (issue 16)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.lib.warehouse import (
    DuckDBWarehouse,
    Warehouse,
    WarehouseResource,
    landing_table,
    qualified,
    quote,
)


@pytest.fixture
def warehouse(tmp_path: Path) -> DuckDBWarehouse:
    engine = DuckDBWarehouse(tmp_path / "warehouse.duckdb")
    with engine.writer() as con:
        con.execute("create schema landing")
        con.execute("create table landing.numbers as select range as n from range(2500)")
    return engine


def test_duckdb_warehouse_satisfies_the_warehouse_protocol(warehouse: DuckDBWarehouse) -> None:
    assert isinstance(warehouse, Warehouse)


def test_table_exists_sees_written_tables_and_not_missing_ones(
    warehouse: DuckDBWarehouse,
) -> None:
    assert warehouse.table_exists("landing", "numbers")
    assert not warehouse.table_exists("landing", "letters")


def test_query_scalar_returns_the_first_value_or_none_when_empty(
    warehouse: DuckDBWarehouse,
) -> None:
    assert warehouse.query_scalar("select count(*) from landing.numbers") == 2500
    assert warehouse.query_scalar("select n from landing.numbers where n > ?", [10_000]) is None


def test_fetch_batches_streams_bounded_batches_that_add_up_to_the_result(
    warehouse: DuckDBWarehouse,
) -> None:
    batches = list(
        warehouse.fetch_batches("select n from landing.numbers where n >= ? order by n", [0], 1000)
    )
    assert [b.num_rows for b in batches] == [1000, 1000, 500]
    assert sum(sum(b.column(0).to_pylist()) for b in batches) == sum(range(2500))


def test_a_read_only_connection_refuses_to_write(warehouse: DuckDBWarehouse) -> None:
    with warehouse.read_only() as con, pytest.raises(duckdb.Error):
        con.execute("insert into landing.numbers values (1)")


def test_the_dagster_resource_and_the_engine_open_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    engine = WarehouseResource(database=str(path)).engine()
    with engine.writer() as con:
        con.execute("create table t as select 42 as answer")
    assert DuckDBWarehouse(path).query_scalar("select answer from t") == 42


def test_names_are_quoted_so_a_quote_in_a_name_cannot_end_the_identifier() -> None:
    assert quote('a"b') == '"a""b"'
    assert qualified("governance_ops", "audit_log") == '"governance_ops"."audit_log"'
    assert landing_table("customers") == 'landing."customers"'
