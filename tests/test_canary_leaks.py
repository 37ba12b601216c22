"""Privacy by design, tested: no planted canary survives anywhere the pipeline writes.

The sample CRM is generated with ``--canaries``: unique marker strings inside planted e-mail
addresses in free text. After the whole nightly run, none may appear in any file under the data
directory (warehouse, its WAL, Dagster home with run/event storage and compute logs, outputs),
nor in dbt's ``target/`` and ``logs/``. The warehouse is written with
``force_compression='uncompressed'`` (set for the test session in ``tests/conftest.py``),
otherwise a byte search could not see strings at all.
"""

from __future__ import annotations

from pathlib import Path

from orchestration.lib.crm_schema import CANARIES_FILE
from orchestration.lib.settings import DBT_PROJECT_DIR


def files_under(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def test_no_canary_survives_in_warehouse_dagster_storage_dbt_artifacts_or_outputs(
    pipeline_run,
) -> None:
    canaries = (pipeline_run.export_dir / CANARIES_FILE).read_text(encoding="utf-8").split()
    assert len(canaries) >= 10, "the sample must plant canaries for this test to mean anything"
    export_bytes = b"".join(p.read_bytes() for p in pipeline_run.export_dir.glob("*.csv"))
    assert all(c.encode() in export_bytes for c in canaries), "canaries missing from the export"

    searched = files_under(
        pipeline_run.data_dir, DBT_PROJECT_DIR / "target", DBT_PROJECT_DIR / "logs"
    )
    assert pipeline_run.warehouse_path in searched
    assert any(
        p.parts[-3:-1] == ("dagster_home", "history") or "history" in p.parts for p in searched
    )
    leaks = {
        str(path): [c for c in canaries if c.encode() in data]
        for path in searched
        if (data := path.read_bytes()) and any(c.encode() in data for c in canaries)
    }
    assert leaks == {}


def test_byte_search_can_see_warehouse_strings_when_compression_is_off(pipeline_run) -> None:
    """Positive control: the redaction tag that replaced each canary is visible in the file."""
    assert b"<EMAIL_ADDRESS>" in pipeline_run.warehouse_path.read_bytes()
