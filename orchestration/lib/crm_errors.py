"""Errors of the CRM ingest: always name the file, and the row and column where there is one.

Messages never contain cell values: a value may be personal data or free text.
"""

from __future__ import annotations

from pathlib import Path


class CrmExportError(Exception):
    """A CRM export cannot be ingested as it is (missing file, empty file, wrong columns…)."""

    def __init__(
        self,
        file: Path | str,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = Path(file)
        self.problem = problem
        self.row = row
        self.column = column
        where = [str(self.file)]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {problem}")
