"""Phase ``verified``: prove on the replaced file that nothing erased is left in any table.

Three checks, reported as table names and counts only:

1. no row of any table still matches a deleted record (or a deleted subject's profile);
2. no erased field still holds a value where its record lives;
3. no text column anywhere contains, as a value or inside a composite key, a subject id of a
   person the erasure removed completely.

Restricted records are counted as still present (restriction is not deletion, Art. 18 GDPR).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.defs.erasure.apply import AppliedErasure, recorded_run
from orchestration.defs.erasure.plan import ErasurePlan
from orchestration.lib.crm_schema import TABLES_BY_NAME
from orchestration.lib.table_keys import (
    create_key_tables,
    discover_tables,
    field_columns,
    fill_key_table,
    record_condition,
    token_scan_sql,
)
from orchestration.lib.warehouse import quote, read_only

KEY_PREFIX = "_verify"


@dataclass
class Verification:
    remaining_records: dict[str, int] = field(default_factory=dict)
    remaining_fields: dict[str, int] = field(default_factory=dict)
    remaining_keys: dict[str, int] = field(default_factory=dict)
    restricted_present: int = 0
    restricted_planned: int = 0
    tables_checked: int = 0
    keys_scanned: int = 0

    @property
    def ok(self) -> bool:
        return not (self.remaining_records or self.remaining_fields or self.remaining_keys)

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "tables_checked": self.tables_checked,
            "subject_keys_scanned": self.keys_scanned,
            "remaining_records": self.remaining_records,
            "remaining_fields": self.remaining_fields,
            "remaining_subject_keys": self.remaining_keys,
            "restricted_records_present": self.restricted_present,
            "restricted_records_planned": self.restricted_planned,
        }


def verify_erasure(
    warehouse: Path, plan: ErasurePlan, execution_id: str
) -> tuple[Verification, AppliedErasure | None]:
    result = Verification(restricted_planned=len(plan.restricted))
    with read_only(warehouse) as con:
        applied = recorded_run(con, execution_id)
        subject_ids = applied.erased_subject_ids if applied else []
        held = {(t, r) for t, r in applied.skipped_legal_hold} if applied else set()
        effective = plan.without(held)
        keys = create_key_tables(
            con, effective.records, effective.fields, effective.subjects, [], KEY_PREFIX
        )
        fill_key_table(con, f"{KEY_PREFIX}_scan", ("key",), ((s,) for s in subject_ids))
        result.keys_scanned = len(subject_ids)
        tables = discover_tables(con)
        result.tables_checked = len(tables)
        for table in tables:
            condition = record_condition(table, keys)
            if condition:
                n = con.execute(f"select count(*) from {table.qualified} where {condition}")
                if (count := int(n.fetchall()[0][0])) > 0:
                    result.remaining_records[table.label] = count
            identity = table.identity_table
            for column in field_columns(table, effective.field_columns):
                assert identity is not None
                pk = quote(TABLES_BY_NAME[identity].primary_key)
                n = con.execute(
                    f"""select count(*) from {table.qualified}
                        where {quote(column)} is not null and {pk} in (
                            select record_id from {keys.fields}
                            where record_table = ? and column_name = ?)""",
                    [identity, column],
                )
                if (count := int(n.fetchall()[0][0])) > 0:
                    result.remaining_fields[f"{table.label}.{column}"] = count
            scan = token_scan_sql(table, f"{KEY_PREFIX}_scan") if subject_ids else None
            if scan and (count := int(con.execute(scan).fetchall()[0][0])) > 0:
                result.remaining_keys[table.label] = count
        result.restricted_present = _restricted_present(con, plan)
    return result, applied


def _restricted_present(con: duckdb.DuckDBPyConnection, plan: ErasurePlan) -> int:
    present = 0
    by_table: dict[str, list[str]] = {}
    for table, record_id in plan.restricted:
        by_table.setdefault(table, []).append(record_id)
    for table, ids in by_table.items():
        contract = TABLES_BY_NAME.get(table)
        if contract is None:
            continue
        n = con.execute(
            f"""select count(*) from landing.{quote(table)}
                where {quote(contract.primary_key)} in (select unnest(?::varchar[]))""",
            [ids],
        )
        present += int(n.fetchall()[0][0])
    return present
