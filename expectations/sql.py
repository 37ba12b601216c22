"""Great Expectations' column expectations stated as SQL counts, computed inside DuckDB.

Why: a check must not fetch a row set proportional to the data (issue 16). Each ``Expect`` says
what GX's expectation of that type counts, so the stored results keep their meaning and stay
comparable with earlier runs:

- ``element_count``: the rows of the batch (under a row condition: the rows it selects);
- ``unexpected_count``: the rows that break the expectation. As in GX, a null value is never
  unexpected except for ``not_null`` (and for ``be_null``, where a value is); a column pair
  ignores rows with a missing value; uniqueness counts every row whose value occurs more than
  once (both of a pair).

``measure`` computes all plain expectations of one relation in a single aggregate pass and each
uniqueness in one grouped pass; only one row of counts per statement comes back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from expectations.runner import Counted
from orchestration.lib.landing_tables import quote
from orchestration.lib.warehouse import fetch_first


@dataclass(frozen=True)
class Expect:
    """One expectation on a relation: a per-row SQL predicate that marks a row unexpected."""

    #: GX's expectation type, e.g. ``expect_column_values_to_not_be_null``.
    expectation: str
    #: The column (or ``a, b`` for a pair), as GX names it in a result.
    column: str
    #: SQL predicate true for an unexpected row (unused for uniqueness).
    unexpected: str = "false"
    #: GX's ``row_condition``: only rows where this holds are checked.
    where: str | None = None
    #: Uniqueness needs a grouped pass over the column instead of a predicate.
    unique: bool = False


def sql_literal(value: object) -> str:
    """A SQL literal for a value of a suite's configuration (never for checked data)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return f"timestamp '{value.isoformat(sep=' ')}'"
    if isinstance(value, dt.date):
        return f"date '{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def not_null(column: str) -> Expect:
    return Expect("expect_column_values_to_not_be_null", column, f"{quote(column)} is null")


def be_null(column: str) -> Expect:
    return Expect("expect_column_values_to_be_null", column, f"{quote(column)} is not null")


def unique(column: str) -> Expect:
    return Expect("expect_column_values_to_be_unique", column, unique=True)


def in_set(column: str, values: Sequence[object]) -> Expect:
    listed = ", ".join(sql_literal(v) for v in values)
    c = quote(column)
    return Expect(
        "expect_column_values_to_be_in_set", column, f"{c} is not null and {c} not in ({listed})"
    )


def at_most(column: str, max_value: object) -> Expect:
    """GX's ``expect_column_values_to_be_between`` with a ``max_value`` only (inclusive)."""
    c = quote(column)
    return Expect(
        "expect_column_values_to_be_between",
        column,
        f"{c} is not null and {c} > {sql_literal(max_value)}",
    )


def match_regex(column: str, regex: str, where: str | None = None) -> Expect:
    """A value must contain a match of ``regex`` (GX's search semantics; RE2 in DuckDB)."""
    c = quote(column)
    return Expect(
        "expect_column_values_to_match_regex",
        column,
        f"{c} is not null and not regexp_matches({c}, {sql_literal(regex)})",
        where,
    )


def pair_a_not_before_b(column_a: str, column_b: str) -> Expect:
    """``expect_column_pair_values_a_to_be_greater_than_b`` with ``or_equal`` and rows with a
    missing value ignored."""
    a, b = quote(column_a), quote(column_b)
    return Expect(
        "expect_column_pair_values_a_to_be_greater_than_b",
        f"{column_a}, {column_b}",
        f"{a} is not null and {b} is not null and {a} < {b}",
    )


def measure(
    con: duckdb.DuckDBPyConnection, relation: str, expects: Sequence[Expect]
) -> list[Counted]:
    """Count every expectation on ``relation`` (a table name or a parenthesised select)."""
    selects = ["count(*)"]
    for e in expects:
        condition = e.where or "true"
        selects.append(f"count(*) filter (where {condition})")
        selects.append(
            "0" if e.unique else f"count(*) filter (where ({condition}) and ({e.unexpected}))"
        )
    row = fetch_first(con.execute(f"select {', '.join(selects)} from {relation} as _checked"))
    values = [int(v or 0) for v in (row or (0,) * len(selects))]
    out = []
    for index, e in enumerate(expects):
        element, unexpected = values[1 + 2 * index], values[2 + 2 * index]
        if e.unique:
            unexpected = duplicated_rows(con, relation, e.column, e.where)
        out.append(Counted(e.expectation, e.column, element, unexpected))
    return out


def duplicated_rows(
    con: duckdb.DuckDBPyConnection, relation: str, column: str, where: str | None = None
) -> int:
    """Rows whose non-null ``column`` value occurs more than once (GX's unexpected count)."""
    c = quote(column)
    condition = f" and ({where})" if where else ""
    row = fetch_first(
        con.execute(
            f"""select coalesce(sum(n), 0) from (
                    select count(*) as n from {relation} as _checked
                    where {c} is not null{condition} group by {c} having count(*) > 1)"""
        )
    )
    return int(row[0]) if row else 0
