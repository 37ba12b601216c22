"""End to end: the nightly run writes a deletion manifest (issue 5, REQUIREMENTS.md R4)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import dagster as dg
import jsonschema
import pytest

from orchestration.defs.retention.assets import deletion_manifest
from orchestration.lib.deletion_manifest import SCHEMA_PATH, latest_manifest_path
from orchestration.lib.files import sha256_file
from orchestration.lib.pipeline_settings import PipelineSettings
from orchestration.lib.warehouse import WarehouseResource, connection_config, read_only


@pytest.fixture(scope="module")
def nightly_manifest(pipeline_run) -> tuple[Path, dict]:
    path = latest_manifest_path(pipeline_run.as_of, pipeline_run.data_dir)
    assert path is not None, "the nightly run wrote no deletion manifest"
    return path, json.loads(path.read_bytes())


def items_by_key(manifest: dict) -> dict[str, dict]:
    return {item["record_key"]: item for item in manifest["items"]}


def test_the_nightly_manifest_is_content_addressed_valid_and_also_a_csv_and_a_table(
    pipeline_run, nightly_manifest
) -> None:
    path, manifest = nightly_manifest
    assert sha256_file(path) == path.stem
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(manifest)
    rows = list(csv.DictReader(io.StringIO(path.with_suffix(".csv").read_text("utf-8"))))
    assert [r["item_id"] for r in rows] == [i["item_id"] for i in manifest["items"]]
    with read_only(pipeline_run.warehouse_path) as con:
        stored = con.execute(
            """select m.item_count, count(i.item_id)
               from governance_ops.deletion_manifests m
               join governance_ops.deletion_manifest_items i using (manifest_id)
               where manifest_id = ? group by all""",
            [path.stem],
        ).fetchall()
    assert stored == [(len(manifest["items"]), len(manifest["items"]))]
    assert manifest["as_of"] == pipeline_run.as_of.isoformat()
    assert not list(path.parent.glob(".*.tmp-*")), "a temporary file was left behind"


def test_expired_prospect_appears_in_deletion_manifest(pipeline_run, nightly_manifest) -> None:
    _, manifest = nightly_manifest
    with read_only(pipeline_run.warehouse_path) as con:
        expired = con.execute(
            """select record_key, rule_id, deletion_due_date
               from governance.record_retention_statuses
               where record_type = 'prospect' and retention_status = 'expired'
               order by record_key"""
        ).fetchall()
    assert expired, "the sample must hold expired prospects"
    items = items_by_key(manifest)
    for record_key, rule_id, due in expired:
        item = items[record_key]
        assert (item["action"], item["reason"], item["rule_id"]) == (
            "delete",
            "retention_expired",
            rule_id,
        )
        assert item["due_date"] == due.isoformat()
        assert item["legal_reference"] and item["is_master_record"]


def test_invoice_under_statutory_hold_is_restricted_never_deleted(
    pipeline_run, nightly_manifest
) -> None:
    _, manifest = nightly_manifest
    with read_only(pipeline_run.warehouse_path) as con:
        statuses = dict(
            con.execute(
                "select record_key, retention_status from governance.record_retention_statuses"
            ).fetchall()
        )
    held_invoices = [
        k for k, s in statuses.items() if k.startswith("invoices:") and s == "restricted"
    ]
    assert held_invoices, "the sample must hold invoices under statutory hold"
    items = items_by_key(manifest)
    assert {items[k]["action"] for k in held_invoices} == {"restrict"}
    deleted = [i for i in manifest["items"] if i["action"] == "delete"]
    assert {statuses[i["record_key"]] for i in deleted} <= {"expired", "erasure_requested"}


def test_the_same_inputs_and_as_of_give_a_byte_identical_manifest(
    pipeline_run, nightly_manifest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = nightly_manifest
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    warehouse = data_dir / "warehouse.duckdb"
    shutil.copy(pipeline_run.warehouse_path, warehouse)
    monkeypatch.setenv("CRM_DATA_DIR", str(data_dir))
    result = dg.materialize(
        [deletion_manifest],
        resources={
            "warehouse": WarehouseResource(
                database=str(warehouse), connection_config=connection_config()
            ),
            "pipeline_settings": PipelineSettings(as_of=pipeline_run.as_of.isoformat()),
        },
        instance=dg.DagsterInstance.ephemeral(),
    )
    metadata = result.asset_materializations_for_node("outputs__deletion_manifest")[0].metadata
    again = latest_manifest_path(pipeline_run.as_of, data_dir)
    assert again is not None
    assert metadata["manifest_id"].value == path.stem
    assert again.read_bytes() == path.read_bytes()
    assert again.with_suffix(".csv").read_bytes() == path.with_suffix(".csv").read_bytes()
    assert not any("@" in str(v.value) for v in metadata.values()), (
        "metadata must hold ids and counts only"
    )


def test_the_nightly_check_that_no_held_record_is_deleted_passes(pipeline_run) -> None:
    checks = {
        c.check: c.passed
        for c in pipeline_run.summary.checks
        if c.asset == "outputs/deletion_manifest"
    }
    assert checks == {"deletion_manifest__never_deletes_a_held_record": True}
