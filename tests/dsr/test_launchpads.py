"""Launchpads, audit actor and the retention of Art. 15 exports, with real Dagster runs.

- The export job's launchpad shows ``subject`` and ``request_id`` only; the erase job's shows
  ``manifest_id`` and ``dry_run`` only (config mappings hide the resources' fields).
- An e-mail as export subject never reaches Dagster's run storage: the launch is refused before
  the run exists, and the CLI resolves it to the id first (byte search of ``DAGSTER_HOME``).
- A dry run logs what the erasure would delete and deletes nothing; the real run deletes exactly
  that, names the launcher from the run tag and removes the erased person's exports.
- Exports are pruned after the retention period, with an audit entry.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from expectations.suites import erasure_suites
from orchestration.defs.dsr import cli as dsr_cli
from orchestration.defs.dsr.export import export_subject
from orchestration.defs.dsr.jobs import EMAIL_REFUSED, export_subject_data_job
from orchestration.defs.erasure.assets import erase_manifest_job, manifest_erasure
from orchestration.defs.erasure.plan import plan_from_items
from orchestration.defs.quality.checks import build_check
from orchestration.defs.retention.manifest import latest_manifest_path
from orchestration.lib.actor import ACTOR_TAG
from orchestration.lib.audit_log import audit_log_path, read_entries, verify_audit_log
from orchestration.lib.dsr_exports import prune_expired_exports, stored_exports
from orchestration.lib.pipeline_settings import PipelineSettings
from orchestration.lib.settings import DAGSTER_INSTANCE_TEMPLATE
from orchestration.lib.warehouse import WarehouseResource, connection_config, read_only


def new_instance(home: Path) -> dg.DagsterInstance:
    """A real, persistent Dagster instance (SQLite run and event storage) in ``home``."""
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DAGSTER_INSTANCE_TEMPLATE, home / "dagster.yaml")
    return dg.DagsterInstance.from_config(str(home))


def files_containing(root: Path, needle: str) -> list[str]:
    """Files under ``root`` holding ``needle`` as bytes (case-insensitive, UTF-8)."""
    target = needle.lower().encode()
    return [str(p) for p in root.rglob("*") if p.is_file() and target in p.read_bytes().lower()]


def customer_with_email(warehouse: Path) -> tuple[str, str]:
    with read_only(warehouse) as con:
        return tuple(
            con.execute(
                """select c.customer_id, c.email from landing.customers c
                   where c.email is not null and (
                       select count(distinct d.person_id) from governance.data_subjects d
                       join landing.customers o on d.data_subject_id = 'customer:' || o.customer_id
                       where lower(o.email) = lower(c.email)) = 1
                   order by c.customer_id limit 1"""
            ).fetchall()[0]
        )


def config_fields(job: dg.JobDefinition) -> dict[str, object]:
    fields = job.run_config_schema.config_type.fields  # type: ignore[attr-defined]
    return {name: field.default_value if field.default_provided else None
            for name, field in fields.items()}  # fmt: skip


@pytest.fixture(scope="module")
def definitions():  # type: ignore[no-untyped-def]
    from orchestration.definitions import defs

    return defs()


def test_the_export_launchpad_asks_for_subject_and_request_id_only(definitions) -> None:  # type: ignore[no-untyped-def]
    job = definitions.resolve_job_def("export_subject_data_job")
    assert config_fields(job) == {"subject": "", "request_id": ""}


def test_the_erase_launchpad_asks_for_manifest_id_and_offers_a_dry_run_only(definitions) -> None:  # type: ignore[no-untyped-def]
    job = definitions.resolve_job_def("erase_manifest_job")
    assert config_fields(job) == {"manifest_id": "", "dry_run": False}


def test_an_email_subject_is_refused_before_the_run_is_stored(pipeline_run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, email = customer_with_email(pipeline_run.warehouse_path)
    instance = new_instance(tmp_path / "dagster_home")
    job = dg.Definitions(
        jobs=[export_subject_data_job],
        resources={"warehouse": WarehouseResource(database=str(pipeline_run.warehouse_path))},
    ).resolve_job_def("export_subject_data_job")
    with pytest.raises(Exception) as refused:
        job.execute_in_process(run_config={"subject": email}, instance=instance)
    # Dagster wraps what the config mapping raised; the launchpad shows the cause below it.
    message = f"{refused.value} {refused.value.__cause__}"
    assert "e-mail address" in message and "subject id" in message
    assert email.lower() not in message.lower(), "the refusal must not repeat the address"
    assert EMAIL_REFUSED in message
    assert instance.get_runs() == []
    assert files_containing(tmp_path / "dagster_home", email) == []


def test_the_cli_resolves_an_email_to_the_id_and_dagster_never_stores_the_address(
    pipeline_run, tmp_path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    customer_id, email = customer_with_email(pipeline_run.warehouse_path)
    home, data_dir = tmp_path / "dagster_home", tmp_path / "data"
    new_instance(home)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("CRM_DATA_DIR", str(data_dir))
    monkeypatch.setenv("CRM_WAREHOUSE_PATH", str(pipeline_run.warehouse_path))
    code = dsr_cli.main(
        ["--subject", email.upper(), "--request-id", "DSR-CLI-1", "--actor", "dpo.anna"]
    )
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert email.lower() not in (printed.out + printed.err).lower()
    assert files_containing(home, email) == []
    (run,) = dg.DagsterInstance.from_config(str(home)).get_runs()
    assert run.run_config == {"subject": f"customer:{customer_id}", "request_id": "DSR-CLI-1"}
    assert run.tags[ACTOR_TAG] == "dpo.anna"
    (entry,) = [e for e in read_entries(audit_log_path(data_dir)) if e["action"] == "dsr_export"]
    assert (entry["actor"], entry["actor_source"]) == ("dpo.anna", "run_tag:crm/actor (cli)")
    assert entry["data_subject_ids"][0] == f"customer:{customer_id}"


def test_without_actor_the_cli_names_the_os_user_and_says_so(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from orchestration.lib.actor import from_command_line, from_run_tags

    monkeypatch.delenv("CRM_ACTOR", raising=False)
    monkeypatch.setenv("USER", "svc-batch")
    assert from_command_line(None).fields() == {
        "actor": "svc-batch",
        "actor_source": "os_user (no --actor given)",
    }
    assert from_run_tags({"dagster/user": "anna@dpo"}).fields() == {
        "actor": "anna@dpo",
        "actor_source": "run_tag:dagster/user",
    }
    unknown = from_run_tags({})
    assert unknown.name == "unknown" and "svc-batch" not in unknown.source


@dataclass(frozen=True)
class Erasure:
    data_dir: Path
    warehouse: Path
    manifest: dict
    dry_run_lines: list[str]
    counts_before: dict[str, int]
    counts_after_dry_run: dict[str, int]
    dry_run_materializations: int
    audit_entries_after_dry_run: int
    result: dg.ExecuteInProcessResult
    exported_label: str


def table_counts(warehouse: Path) -> dict[str, int]:
    with read_only(warehouse) as con:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where schema_name <> "
            "'governance_ops' order by 1, 2"
        ).fetchall()
        return {
            f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchall()[0][0]
            for s, t in tables
        }


@pytest.fixture(scope="module")
def erasure(pipeline_run, tmp_path_factory) -> Erasure:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("launchpad-erasure")
    data_dir = root / "data"
    source = latest_manifest_path(pipeline_run.as_of, pipeline_run.data_dir)
    assert source is not None
    shutil.copytree(source.parents[1], data_dir / "manifests")
    manifest_path = data_dir / "manifests" / source.parent.name / source.name
    manifest = json.loads(manifest_path.read_bytes())
    warehouse = data_dir / "warehouse.duckdb"
    shutil.copy(pipeline_run.warehouse_path, warehouse)
    # The run's first manifest lists its full item set (later ones list the day's changes).
    erased = plan_from_items(manifest["items"]).subjects
    assert erased, "the sample's manifest deletes some master records"
    subject = f"{erased[0][0]}:{erased[0][1]}"
    export_subject(warehouse, subject, "DSR-ERASED-1", data_dir)

    job = dg.Definitions(
        assets=[manifest_erasure],
        asset_checks=[build_check(spec) for spec in erasure_suites()],
        jobs=[erase_manifest_job],
        resources={
            "warehouse": WarehouseResource(
                database=str(warehouse), connection_config=connection_config()
            ),
            "pipeline_settings": PipelineSettings(),
        },
    ).resolve_job_def("erase_manifest_job")
    instance = dg.DagsterInstance.ephemeral()
    counts_before = table_counts(warehouse)
    entries_before = len(read_entries(audit_log_path(data_dir)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRM_DATA_DIR", str(data_dir))
        patch.setenv("USER", "os-account-not-the-launcher")
        dry = job.execute_in_process(
            run_config={"manifest_id": manifest_path.stem, "dry_run": True}, instance=instance
        )
        assert dry.success
        lines = [e.user_message for e in instance.all_logs(dry.run_id) if e.user_message]
        counts_after_dry_run = table_counts(warehouse)
        audit_after_dry_run = len(read_entries(audit_log_path(data_dir))) - entries_before
        result = job.execute_in_process(
            run_config={"manifest_id": manifest_path.stem},
            instance=instance,
            tags={ACTOR_TAG: "dpo.anna"},
        )
    return Erasure(
        data_dir, warehouse, manifest, lines, counts_before, counts_after_dry_run,
        len(dry.get_asset_materialization_events()), audit_after_dry_run, result, "DSR-ERASED-1",
    )  # fmt: skip


def test_a_dry_run_logs_what_would_be_deleted_and_deletes_nothing(erasure: Erasure) -> None:
    assert erasure.counts_after_dry_run == erasure.counts_before
    assert erasure.dry_run_materializations == 0
    assert erasure.audit_entries_after_dry_run == 0
    assert any(line.startswith("dry run of manifest ") for line in erasure.dry_run_lines)
    table_lines = [x for x in erasure.dry_run_lines if re.match(r"^  \w+\.\w+: ", x)]
    assert table_lines, "one line per table with counts"
    assert all(re.fullmatch(r"  \w+\.\w+: ((rows_deleted|fields_cleared) [\d,]+(, )?)+", x)
               for x in table_lines), table_lines[:3]  # fmt: skip


def test_the_dry_run_announces_exactly_what_the_erasure_then_deletes(erasure: Erasure) -> None:
    (summary,) = [x for x in erasure.dry_run_lines if x.startswith("would delete ")]
    announced = int(re.match(r"would delete ([\d,]+) rows", summary).group(1).replace(",", ""))
    (materialization,) = erasure.result.get_asset_materialization_events()
    metadata = materialization.materialization.metadata
    assert announced == metadata["rows_deleted"].value > 0


def test_the_audit_log_names_the_launcher_from_the_run_tag_not_the_os_user(
    erasure: Erasure,
) -> None:
    entries = [
        e for e in read_entries(audit_log_path(erasure.data_dir)) if e["action"] == "erasure"
    ]
    assert {(e["actor"], e["actor_source"]) for e in entries} == {("dpo.anna", "run_tag:crm/actor")}
    assert verify_audit_log(audit_log_path(erasure.data_dir)).ok


def test_erasing_a_subject_removes_their_art_15_exports(erasure: Erasure) -> None:
    exports = erasure.data_dir / "exports_dsr"
    assert not (exports / erasure.exported_label).exists()
    assert not (exports / f"{erasure.exported_label}.zip").exists()
    (entry,) = [
        e for e in read_entries(audit_log_path(erasure.data_dir))
        if e["action"] == "dsr_export_retention"
    ]  # fmt: skip
    assert (entry["event"], entry["request_labels"]) == ("erased", [erasure.exported_label])
    assert entry["actor"] == "dpo.anna"


def age(paths: list[Path], days: int) -> None:
    stamp = (dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=days)).timestamp()
    for path in paths:
        os.utime(path, (stamp, stamp))


def test_exports_older_than_the_retention_period_are_pruned_with_an_audit_entry(
    pipeline_run, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    customer_id, _ = customer_with_email(pipeline_run.warehouse_path)
    data_dir = tmp_path / "data"
    old = export_subject(pipeline_run.warehouse_path, customer_id, "DSR-OLD", data_dir)
    new = export_subject(pipeline_run.warehouse_path, customer_id, "DSR-NEW", data_dir)
    age([old.folder, old.zip_path], 31)
    age([new.folder, new.zip_path], 29)
    monkeypatch.setenv("CRM_DSR_EXPORT_RETENTION_DAYS", "60")
    assert prune_expired_exports(data_dir) == []
    monkeypatch.delenv("CRM_DSR_EXPORT_RETENTION_DAYS")
    assert prune_expired_exports(data_dir, run_id="r1") == ["DSR-OLD"]
    assert not old.folder.exists() and not old.zip_path.exists()
    assert [e.request_label for e in stored_exports(data_dir)] == ["DSR-NEW"]
    (entry,) = [
        e for e in read_entries(audit_log_path(data_dir)) if e["action"] == "dsr_export_retention"
    ]
    assert (entry["event"], entry["retention_days"], entry["request_labels"]) == (
        "pruned", 30, ["DSR-OLD"],
    )  # fmt: skip


def test_the_nightly_run_prunes_exports(pipeline_run) -> None:  # type: ignore[no-untyped-def]
    instance = dg.DagsterInstance.from_config(str(pipeline_run.dagster_home))
    event = instance.get_latest_materialization_event(
        dg.AssetKey(["outputs", "dsr_export_retention"])
    )
    assert event is not None and event.run_id == pipeline_run.summary.run_id
    metadata = event.asset_materialization.metadata
    assert metadata["retention_days"].value == 30
