"""Suite on ``erasure/manifest_erasure``: no record the last erasure run had to remove survives.

The erasure job verifies itself (``erasure/verify.py``, every table, every key). This suite is the
independent, second look a DPO can point an auditor to (Art. 5(2) accountability): it reads the
last erasure run from ``governance_ops.erasure_runs``, takes its manifest's ``delete`` items
(expired retention and granted erasure requests) and its field erasures (``anonymize`` with
``null``), and asks the CRM's own landing tables whether each one is still there. Records the run
skipped because of an active legal hold (Art. 17(3)(e)) are left out: keeping them is the law.

The frame holds item ids, reasons and a boolean, nothing a person could be recognised by. With no
erasure run on record the frame is empty and the suite passes (there is nothing to survive).
Blocking: a surviving record means the erasure did not happen, and the job must say so.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

import duckdb
import great_expectations as gx
import pandas as pd

from expectations.suites import SuiteSpec
from orchestration.lib.crm_schema import TABLES_BY_NAME
from orchestration.lib.landing_tables import LANDING_SCHEMA, quote
from orchestration.lib.warehouse import table_exists

TABLE = "governance_ops.deletion_manifest_items"
RUNS_TABLE = "governance_ops.erasure_runs"
COLUMNS = ["item_id", "action", "reason", "survives"]


def _last_run(con: duckdb.DuckDBPyConnection) -> tuple[str, set[tuple[str, str]]] | None:
    """``(manifest_id, records skipped under legal hold)`` of the newest erasure run, if any."""
    if not table_exists(con, "governance_ops", "erasure_runs"):
        return None
    rows = con.execute(
        f"""select manifest_id, skipped_legal_hold_json from {RUNS_TABLE}
            order by applied_at desc, execution_id desc limit 1"""
    ).fetchall()
    if not rows:
        return None
    manifest_id, skipped = rows[0]
    return manifest_id, {(t, r) for t, r in json.loads(skipped)}


def _present(
    con: duckdb.DuckDBPyConnection, table: str, column: str | None, record_ids: list[str]
) -> set[str]:
    """Record ids of ``table`` still in landing (with a non-null ``column`` for field items)."""
    contract = TABLES_BY_NAME[table]
    pk = quote(contract.primary_key)
    value = f" and {quote(column)} is not null" if column else ""
    rows = con.execute(
        f"""select {pk} from {LANDING_SCHEMA}.{quote(table)}
            where {pk} in (select unnest(?::varchar[])){value}""",
        [record_ids],
    ).fetchall()
    return {r[0] for r in rows}


def fetch(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> pd.DataFrame:
    last = _last_run(con)
    if last is None:
        return pd.DataFrame(columns=COLUMNS)
    manifest_id, held = last
    # erased_column: the field a field erasure empties; null for a deleted record.
    rows = con.execute(
        f"""select item_id, action, reason, record_table, record_id,
                   case when action = 'anonymize' then column_name end as erased_column
            from {TABLE}
            where manifest_id = ?
              and (action = 'delete' or (action = 'anonymize' and anonymize_with = 'null'))
            order by item_id""",
        [manifest_id],
    ).fetchall()
    items = [r for r in rows if (r[3], r[4]) not in held and r[3] in TABLES_BY_NAME]
    groups: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for *_, table, record_id, column in items:
        groups[(table, column)].append(record_id)
    surviving = {
        (table, column, record_id)
        for (table, column), ids in groups.items()
        for record_id in _present(con, table, column, ids)
    }
    return pd.DataFrame(
        [
            (item_id, action, reason, (table, column, record_id) in surviving)
            for item_id, action, reason, table, record_id, column in items
        ],
        columns=COLUMNS,
    )


def build(as_of: dt.date) -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="manifest_erasure_nothing_survives")
    suite.add_expectation(gx.expectations.ExpectColumnValuesToBeUnique(column="item_id"))
    suite.add_expectation(
        gx.expectations.ExpectColumnValuesToBeInSet(column="survives", value_set=[False])
    )
    return suite


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
        fetch=fetch,
        build=build,
        table=TABLE,
    )
]
