"""Which warehouse tables hold a record or a data subject, found from the catalog and the contract.

Erasure and access requests must reach every table, including dbt tables and incremental models
nobody listed here (DESIGN.md "Incremental dbt models do not carry upstream deletions"). So tables
are classified from ``information_schema`` by their key columns, with the CRM contract
(``crm_schema``) naming the primary keys:

1. **copy** of a CRM table: a ``landing`` table of the contract, or any table holding every
   required column of one; its rows are identified by that table's primary key.
2. **record pair**: ``(record_table, record_id)`` or ``(table_name, record_id)`` columns (findings,
   scan status, outboxes, retention marts); ``field_name`` marks rows about a single field.
3. **record key**: a ``record_key`` column ``<table>:<id>[:<field>]``.
4. **grain**: the first column is a CRM primary key (dbt convention: the key comes first).
5. **subject**: none of the above, but ``data_subject_id``, ``subject_type``+``subject_id`` or
   ``person_id``: one row per subject (profiles, eligibilities, objections).

Rows are then selected by SQL conditions against small key tables (records, fields, subjects,
persons) that ``create_key_tables`` fills. Erasure deletes with them, the Art. 15 export reads with
them: which tables hold a record is warehouse knowledge, so it lives here, not in one domain.
``governance_ops`` (manifests, audit: ids as evidence, Art. 5(2)) is never touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb

from orchestration.lib.crm_schema import TABLES, TABLES_BY_NAME
from orchestration.lib.warehouse import LANDING_SCHEMA, OPS_SCHEMA, quote

#: Schemas erasure and export never read or change: our own evidence and system catalogs.
EXCLUDED_SCHEMAS = frozenset({OPS_SCHEMA, "information_schema", "pg_catalog"})
PRIMARY_KEYS = {t.primary_key: t.name for t in TABLES}
#: Separators inside composite keys (``customer:C1``, ``customer:C1|email_marketing|email``).
TOKEN_SEPARATORS = "[:|,; ]"


@dataclass(frozen=True)
class KeyTables:
    """Names of the temporary key tables a caller fills before using the conditions.

    ``records(record_table, record_id, record_key)``, ``fields(record_table, record_id,
    column_name, record_key)``, ``subjects(data_subject_id, subject_type, subject_id)``,
    ``persons(person_id)``.
    """

    records: str
    fields: str
    subjects: str
    persons: str


@dataclass(frozen=True)
class WarehouseTable:
    schema: str
    name: str
    columns: tuple[str, ...]
    varchar_columns: tuple[str, ...]
    copy_of: str | None
    record_pair: tuple[str, str] | None
    field_column: str | None
    record_key_column: str | None
    grain: str | None

    @property
    def qualified(self) -> str:
        return f"{quote(self.schema)}.{quote(self.name)}"

    @property
    def label(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def identity_table(self) -> str | None:
        """The CRM table whose primary key identifies this table's rows, if any."""
        return self.copy_of or self.grain

    @property
    def is_subject_level(self) -> bool:
        has_identity = self.identity_table or self.record_pair or self.record_key_column
        return not has_identity and self.subject_condition_columns() is not None

    def subject_condition_columns(self) -> tuple[str, ...] | None:
        if "data_subject_id" in self.columns:
            return ("data_subject_id",)
        if "subject_type" in self.columns and "subject_id" in self.columns:
            return ("subject_type", "subject_id")
        if "person_id" in self.columns:
            return ("person_id",)
        return None


def _copy_of(schema: str, name: str, columns: set[str]) -> str | None:
    if schema == LANDING_SCHEMA and name in TABLES_BY_NAME:
        return name
    best: tuple[int, str] | None = None
    for table in TABLES:
        required = {c.name for c in table.columns if not c.nullable}
        if required <= columns and (best is None or len(required) > best[0]):
            best = (len(required), table.name)
    return best[1] if best else None


def classify(schema: str, name: str, columns: Sequence[tuple[str, str]]) -> WarehouseTable:
    """Classify one table from its ``(column, data type)`` list in ordinal order."""
    names = [c for c, _ in columns]
    present = set(names)
    copy_of = _copy_of(schema, name, present)
    pair = None
    if copy_of is None:
        if {"record_table", "record_id"} <= present:
            pair = ("record_table", "record_id")
        elif {"table_name", "record_id"} <= present:
            pair = ("table_name", "record_id")
    record_key = "record_key" if copy_of is None and "record_key" in present else None
    grain = None
    if copy_of is None and pair is None and record_key is None and names:
        grain = PRIMARY_KEYS.get(names[0])
    return WarehouseTable(
        schema=schema,
        name=name,
        columns=tuple(names),
        varchar_columns=tuple(c for c, t in columns if t.upper() == "VARCHAR"),
        copy_of=copy_of,
        record_pair=pair,
        field_column="field_name" if (pair or record_key) and "field_name" in present else None,
        record_key_column=record_key,
        grain=grain,
    )


def discover_tables(con: duckdb.DuckDBPyConnection) -> list[WarehouseTable]:
    """Every base table of the connection's database outside the excluded schemas."""
    rows = con.execute(
        """select c.table_schema, c.table_name, c.column_name, c.data_type
           from information_schema.columns c
           join information_schema.tables t
             on t.table_catalog = c.table_catalog and t.table_schema = c.table_schema
            and t.table_name = c.table_name
           where t.table_type = 'BASE TABLE' and t.table_catalog = current_database()
           order by c.table_schema, c.table_name, c.ordinal_position"""
    ).fetchall()
    grouped: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for schema, name, column, data_type in rows:
        if schema in EXCLUDED_SCHEMAS:
            continue
        grouped.setdefault((schema, name), []).append((column, data_type))
    return [classify(s, n, cols) for (s, n), cols in sorted(grouped.items())]


def record_condition(table: WarehouseTable, keys: KeyTables) -> str | None:
    """SQL condition selecting the table's rows about the records in ``keys.records``.

    For subject-level tables: rows of the subjects in ``keys.subjects`` / ``keys.persons``.
    """
    parts: list[str] = []
    identity = table.identity_table
    if identity:
        pk = quote(TABLES_BY_NAME[identity].primary_key)
        parts.append(
            f"{pk} in (select record_id from {keys.records} where record_table = '{identity}')"
        )
    if table.record_pair:
        tcol, idcol = (quote(c) for c in table.record_pair)
        parts.append(f"({tcol}, {idcol}) in (select record_table, record_id from {keys.records})")
    if table.record_key_column:
        rk = quote(table.record_key_column)
        # 'customers:C1:photo_path' belongs to record 'customers:C1'
        parts.append(
            f"split_part({rk}, ':', 1) || ':' || split_part({rk}, ':', 2) "
            f"in (select record_key from {keys.records})"
        )
    if table.is_subject_level:
        parts.append(subject_condition(table, keys))
    return " or ".join(f"({p})" for p in parts) if parts else None


def subject_condition(table: WarehouseTable, keys: KeyTables) -> str:
    columns = table.subject_condition_columns()
    if columns == ("data_subject_id",):
        return f"data_subject_id in (select data_subject_id from {keys.subjects})"
    if columns == ("subject_type", "subject_id"):
        return (
            f"(subject_type, subject_id) in (select subject_type, subject_id from {keys.subjects})"
        )
    return f"person_id in (select person_id from {keys.persons})"


@dataclass(frozen=True)
class FieldStatement:
    """How one table forgets single fields: ``update`` a column to NULL or ``delete`` rows."""

    kind: str
    column: str | None
    sql: str


def field_statements(
    table: WarehouseTable, keys: KeyTables, fields: Iterable[tuple[str, str]]
) -> list[FieldStatement]:
    """Statements that remove the ``(record_table, column)`` fields in ``keys.fields``."""
    statements: list[FieldStatement] = []
    identity = table.identity_table
    if identity:
        pk = quote(TABLES_BY_NAME[identity].primary_key)
        for column in field_columns(table, fields):
            selected = (
                f"{pk} in (select record_id from {keys.fields} "
                f"where record_table = '{identity}' and column_name = '{column}')"
            )
            statements.append(
                FieldStatement(
                    "update",
                    column,
                    f"update {table.qualified} set {quote(column)} = null "
                    f"where {quote(column)} is not null and {selected}",
                )
            )
    if table.record_pair and table.field_column:
        tcol, idcol = (quote(c) for c in table.record_pair)
        statements.append(
            FieldStatement(
                "delete",
                None,
                f"delete from {table.qualified} "
                f"where ({tcol}, {idcol}, {quote(table.field_column)}) "
                f"in (select record_table, record_id, column_name from {keys.fields})",
            )
        )
    elif table.record_key_column:
        statements.append(
            FieldStatement(
                "delete",
                None,
                f"delete from {table.qualified} where {quote(table.record_key_column)} "
                f"in (select record_key from {keys.fields})",
            )
        )
    return statements


def field_columns(table: WarehouseTable, fields: Iterable[tuple[str, str]]) -> list[str]:
    """Columns of ``table`` named by ``(record_table, column)`` fields of its identity table."""
    identity = table.identity_table
    return sorted({c for t, c in fields if t == identity and c in table.columns})


def token_scan_sql(table: WarehouseTable, keys_table: str) -> str | None:
    """Count values of any text column equal to, or containing as a token, a key in the table.

    Tokens split composite keys (``customer:C1|email``), so a key hidden inside one is found.
    """
    if not table.varchar_columns:
        return None
    unions = " union all ".join(
        f"select unnest(string_split_regex({quote(c)}, '{TOKEN_SEPARATORS}')) as token "
        f"from {table.qualified} where {quote(c)} is not null"
        for c in table.varchar_columns
    )
    return f"select count(*) from ({unions}) where token in (select key from {keys_table})"


def fill_key_table(
    con: duckdb.DuckDBPyConnection, name: str, columns: Sequence[str], rows: Iterable
) -> None:
    """Create a temporary table from rows in one statement (lists unnested by DuckDB)."""
    data = list(rows)
    con.execute(
        f"create or replace temp table {name} ({', '.join(f'{c} varchar' for c in columns)})"
    )
    if not data:
        return
    selects = ", ".join(f"unnest(?::varchar[]) as {c}" for c in columns)
    con.execute(
        f"insert into {name} select {selects}",
        [[row[i] for row in data] for i in range(len(columns))],
    )


def create_key_tables(
    con: duckdb.DuckDBPyConnection,
    records: Iterable[tuple[str, str]],
    fields: Iterable[tuple[str, str, str]],
    subjects: Iterable[tuple[str, str]],
    persons: Iterable[str],
    prefix: str,
) -> KeyTables:
    keys = KeyTables(
        records=f"{prefix}_records",
        fields=f"{prefix}_fields",
        subjects=f"{prefix}_subjects",
        persons=f"{prefix}_persons",
    )
    fill_key_table(
        con,
        keys.records,
        ("record_table", "record_id", "record_key"),
        ((t, r, f"{t}:{r}") for t, r in records),
    )
    fill_key_table(
        con,
        keys.fields,
        ("record_table", "record_id", "column_name", "record_key"),
        ((t, r, c, f"{t}:{r}:{c}") for t, r, c in fields),
    )
    fill_key_table(
        con,
        keys.subjects,
        ("data_subject_id", "subject_type", "subject_id"),
        ((f"{s}:{i}", s, i) for s, i in subjects),
    )
    fill_key_table(con, keys.persons, ("person_id",), ((p,) for p in persons))
    return keys
