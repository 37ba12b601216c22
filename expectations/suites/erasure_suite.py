"""Suite on ``erasure/manifest_erasure``: no record the last erasure run had to remove survives.

The erasure job verifies itself (``erasure/verify.py``, every table, every key). This suite is the
independent, second look a DPO can point an auditor to (Art. 5(2) accountability): it reads the
last erasure run from ``governance_ops.erasure_runs``, takes its manifest's ``delete`` items
(expired retention and granted erasure requests) and its field erasures (``anonymize`` with
``null``), and asks the CRM's own landing tables whether each one is still there. Records the run
skipped because of an active legal hold (Art. 17(3)(e)) are left out: keeping them is the law.

Counted in DuckDB (item ids and a boolean per item, never fetched); with no erasure run on record
there are no items and the suite passes (there is nothing to survive).
Blocking: a surviving record means the erasure did not happen, and the job must say so.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from expectations.sql import in_set, measure, sql_literal, unique
from expectations.suites import Measured, SuiteSpec
from orchestration.lib.crm_schema import TABLES, Table
from orchestration.lib.landing_tables import LANDING_SCHEMA, quote
from orchestration.lib.warehouse import table_exists

TABLE = "governance_ops.deletion_manifest_items"
RUNS_TABLE = "governance_ops.erasure_runs"
EMPTY = "(select null::varchar as item_id, false as survives where false)"


def _survivors(table: Table) -> str:
    """Items of ``table`` still in landing: the record for a deletion, a non-null value for a
    field erasure (the field named by the item; a column the table lacks cannot survive)."""
    columns = " ".join(
        f"when {sql_literal(c)} then l.{quote(c)} is not null" for c in table.column_names
    )
    return f"""select i.item_id, i.record_table, i.record_id, i.erased_column
               from items as i join {LANDING_SCHEMA}.{quote(table.name)} as l
                 on cast(l.{quote(table.primary_key)} as varchar) = i.record_id
               where i.record_table = {sql_literal(table.name)}
                 and (i.erased_column is null or case i.erased_column {columns} else false end)"""


def relation(con: duckdb.DuckDBPyConnection) -> str:
    """The items of the newest erasure run's manifest, legal holds excepted, with ``survives``.

    Everything runs in DuckDB: the run, its held records (parsed from the run's JSON list) and
    the presence of each item in its landing table; no item list reaches Python.
    """
    if not (
        table_exists(con, "governance_ops", "erasure_runs")
        and table_exists(con, "governance_ops", "deletion_manifest_items")
    ):
        return EMPTY
    present = [t for t in TABLES if table_exists(con, LANDING_SCHEMA, t.name)]
    known = ", ".join(sql_literal(t.name) for t in TABLES)
    survivors = " union all ".join(_survivors(t) for t in present) or (
        "select null::varchar, null::varchar, null::varchar, null::varchar where false"
    )
    return f"""(
        with last_run as (
            select manifest_id, skipped_legal_hold_json from {RUNS_TABLE}
            order by applied_at desc, execution_id desc limit 1
        ),
        held as (
            select h[1] as record_table, h[2] as record_id
            from (select unnest(from_json(skipped_legal_hold_json, '[["VARCHAR"]]')) as h
                  from last_run)
        ),
        items as (
            -- erased_column: the field a field erasure empties; null for a deleted record.
            select i.item_id, i.action, i.reason, i.record_table, i.record_id,
                   case when i.action = 'anonymize' then i.column_name end as erased_column
            from {TABLE} as i
            where i.manifest_id = (select manifest_id from last_run)
              and (i.action = 'delete' or (i.action = 'anonymize' and i.anonymize_with = 'null'))
              and i.record_table in ({known})
              and not exists (select 1 from held as h
                              where h.record_table = i.record_table
                                and h.record_id = i.record_id)
        ),
        survivors as (
            select distinct record_table, record_id, erased_column
            from ({survivors})
        )
        select i.item_id,
               s.record_table is not null as survives
        from items as i left join survivors as s
          on s.record_table = i.record_table and s.record_id = i.record_id
         and s.erased_column is not distinct from i.erased_column
    )"""


def measure_on(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> Measured:
    return Measured(measure(con, relation(con), [unique("item_id"), in_set("survives", [False])]))


SUITES = [
    SuiteSpec(
        check_name="manifest_erasure__no_erased_record_survives",
        asset=("erasure", "manifest_erasure"),
        description=(
            "After an erasure run, no record its manifest deletes (expired retention, granted "
            "erasure requests) and no field it clears is still in the CRM's landing tables, "
            "legal holds excepted."
        ),
        blocking=True,
        suite="manifest_erasure_nothing_survives",
        measure=measure_on,
        table=TABLE,
    )
]
