"""The deletion manifest step alone, on a copy of an already-built warehouse: wall, memory, files.

Runs the real ``outputs/deletion_manifest`` asset (Dagster ``materialize``) twice on a copy of
``--warehouse``: day 1 at ``--as-of``, then day 2 (as_of + 1) after ``--change`` percent of the
deletion candidates were removed from the marts (as if resolved), which is what a nightly run sees.
Prints per day: wall seconds, the process's peak RSS (``ru_maxrss``, including Dagster's import)
and the bytes of the manifest files written that day. Nothing is timed inside a test.

    python benchmarks/manifest_step.py --warehouse /tmp/x/data/warehouse.duckdb --as-of 2026-01-15
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def day_bytes(data_dir: Path, as_of: dt.date) -> int:
    day = data_dir / "manifests" / as_of.isoformat()
    return sum(p.stat().st_size for p in day.glob("*") if p.suffix in (".json", ".csv"))


def simulate_next_day(warehouse: Path, as_of: dt.date, change_percent: float) -> None:
    """Move the marts to the next day and drop a share of the candidates (ids by hash order)."""
    import duckdb

    con = duckdb.connect(str(warehouse))
    try:
        con.execute(
            "update governance.deletion_candidates set as_of_date = ?",
            [as_of + dt.timedelta(days=1)],
        )
        con.execute(
            """delete from governance.deletion_candidates
               where hash(record_key) % 10000 < ?""",
            [int(change_percent * 100)],
        )
        con.execute("checkpoint")
    finally:
        con.close()


def forget_manifests(warehouse: Path) -> None:
    """Drop recorded manifests from the copy, so day 1 is a first manifest (a full listing)."""
    import duckdb

    con = duckdb.connect(str(warehouse))
    try:
        for table in ("deletion_manifest_items", "deletion_manifests"):
            con.execute(f"drop table if exists governance_ops.{table}")
        con.execute("checkpoint")
    finally:
        con.close()


def scale_inputs(warehouse: Path, factor: int) -> None:
    """Multiply what the manifest reads by ``factor``, ids suffixed ``~n`` (a synthetic size).

    Only the step's inputs grow (candidates, retention statuses, findings and the free-text
    tables they join); building a real warehouse of that size takes the whole pipeline.
    """
    import duckdb

    from orchestration.lib.crm_schema import TABLES

    def suffix(column: str) -> str:
        return f"{column} || case when k = 0 then '' else '~' || k end as {column}"

    plans = {
        "governance.deletion_candidates": (
            "record_key",
            "record_id",
            "data_subject_id",
            "person_id",
        ),
        "governance.record_retention_statuses": (
            "record_key",
            "record_id",
            "data_subject_id",
            "person_id",
        ),
        "landing.note_findings": ("record_id",),
    }
    for table in TABLES:
        if table.free_text_columns and table.subject_key:
            keys = {table.primary_key, table.subject_key}
            plans[f"landing.{table.name}"] = tuple(sorted(keys))
    con = duckdb.connect(str(warehouse))
    try:
        for name, columns in plans.items():
            replaced = ", ".join(suffix(c) for c in columns)
            con.execute(
                f"""create or replace table {name} as
                    select * exclude (k) replace ({replaced})
                    from {name}, (select range as k from range({factor}))"""
            )
        con.execute("checkpoint")
    finally:
        con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--change", type=float, default=1.0, help="percent of candidates resolved")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument(
        "--scale", type=int, default=1, help="multiply the step's inputs (synthetic size)"
    )
    parser.add_argument(
        "--keep-history",
        action="store_true",
        help="keep the manifests already recorded in the warehouse (default: day 1 is the first)",
    )
    parser.add_argument(
        "--trace-python",
        action="store_true",
        help="also print the peak of Python allocations (tracemalloc; slower)",
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="manifest_step_"))
    data_dir = work / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    warehouse = data_dir / "warehouse.duckdb"
    shutil.copy(args.warehouse, warehouse)
    if not args.keep_history:
        forget_manifests(warehouse)
    if args.scale > 1:
        # In a child process, so its DuckDB memory is not in this process's peak RSS.
        child = multiprocessing.get_context("spawn").Process(
            target=scale_inputs, args=(warehouse, args.scale)
        )
        child.start()
        child.join()
        if child.exitcode:
            raise SystemExit(f"scaling the inputs failed ({child.exitcode})")
    os.environ["CRM_DATA_DIR"] = str(data_dir)
    os.environ["CRM_WAREHOUSE_PATH"] = str(warehouse)

    import dagster as dg

    from orchestration.defs.retention.assets import deletion_manifest
    from orchestration.lib.pipeline_settings import PipelineSettings
    from orchestration.lib.warehouse import WarehouseResource, connection_config

    print(f"after imports: peak RSS {peak_rss_mb():,.0f} MB")
    if args.trace_python:
        import tracemalloc

        tracemalloc.start()
    for day in (0, 1):
        as_of = args.as_of + dt.timedelta(days=day)
        if day:
            simulate_next_day(warehouse, args.as_of, args.change)
        start = time.monotonic()
        result = dg.materialize(
            [deletion_manifest],
            resources={
                "warehouse": WarehouseResource(
                    database=str(warehouse), connection_config=connection_config()
                ),
                "pipeline_settings": PipelineSettings(as_of=as_of.isoformat()),
            },
            instance=dg.DagsterInstance.ephemeral(),
        )
        wall = time.monotonic() - start
        if args.trace_python:
            import tracemalloc

            print(f"  Python allocations peak {tracemalloc.get_traced_memory()[1] / 2**20:,.0f} MB")
            tracemalloc.reset_peak()
        metadata = result.asset_materializations_for_node("outputs__deletion_manifest")[0].metadata
        print(
            f"day {day + 1} ({as_of}): wall {wall:,.1f} s, "
            f"peak RSS so far {peak_rss_mb():,.0f} MB, "
            f"items {metadata['items'].value:,}, files written {day_bytes(data_dir, as_of):,} bytes"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
