"""The engineer's path beyond ``make demo``: hand-run commands, ``make ui``, progress lines.

Subprocesses run with a clean environment (no ``DAGSTER_HOME``, no Makefile exports) where the
point is what happens without ``make``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from orchestration.lib.progress import Progress
from orchestration.lib.settings import DAGSTER_INSTANCE_TEMPLATE, REPO_ROOT

PROGRESS_LINE = re.compile(r"^sample CRM: [\d,]+ of [\d,]+ customers \(\d+%\), [\d,]+ customers/s$")
INGEST_LINE = re.compile(
    r"^[a-z_]+\.csv: read and scanned: [\d,]+ of [\d,]+ rows \(\d+%\), [\d,]+ rows/s$"
)


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The test session's offline switches and network guard, without any Makefile export."""
    keep = ("PATH", "HOME", "PYTHONPATH", "CRM_NETWORK_GUARD_LOG", "LANG")
    env = {k: v for k, v in os.environ.items() if k in keep or k.endswith("_OFFLINE")}
    env.update(
        CRM_DATA_DIR=str(tmp_path / "data"),
        CRM_EXPORTS_ROOT=str(tmp_path / "exports"),
        DAGSTER_DISABLE_TELEMETRY="1",
        DO_NOT_TRACK="1",
        **extra,
    )
    return env


def test_without_make_the_cli_sets_up_dagster_home_and_its_dagster_yaml(tmp_path: Path) -> None:
    """``python -m orchestration.run`` prepares the instance the README describes by itself."""
    script = (
        "from orchestration.run import prepare_instance\n"
        "instance = prepare_instance()\n"
        "print(instance.root_directory)\n"
        "print(instance.telemetry_enabled)\n"
    )
    env = clean_env(tmp_path)
    assert "DAGSTER_HOME" not in env
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    root, telemetry = result.stdout.split()[-2:]
    home = tmp_path / "data" / "dagster_home"
    assert Path(root) == home
    assert telemetry == "False", "the committed dagster.yaml switches telemetry off"
    assert (home / "dagster.yaml").read_bytes() == DAGSTER_INSTANCE_TEMPLATE.read_bytes()


def test_an_existing_dagster_yaml_in_dagster_home_is_kept(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    script = "from orchestration.lib.settings import ensure_dagster_home\nensure_dagster_home()\n"
    env = clean_env(tmp_path, DAGSTER_HOME=str(home))
    subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, env=env, check=True)
    assert (home / "dagster.yaml").read_text(encoding="utf-8") == "telemetry:\n  enabled: false\n"


def default_statuses(tmp_path: Path, **extra: str) -> list[str]:
    script = (
        "from orchestration.defs.nightly import schedules, sensors\n"
        "s = schedules.run_nightly_governance_job_schedule.default_status\n"
        "n = sensors.new_crm_export_sensor.default_status\n"
        "print(s.value, n.value)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        env=clean_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.split()[-2:]


def test_schedule_and_sensor_are_stopped_unless_a_deployment_turns_them_on(
    tmp_path: Path,
) -> None:
    assert default_statuses(tmp_path) == ["STOPPED", "STOPPED"]
    assert default_statuses(tmp_path, CRM_AUTOMATION="on") == ["RUNNING", "RUNNING"]


def test_make_ui_turns_no_automation_on_and_finds_no_stray_dagster_yaml() -> None:
    """``dagster dev`` warns about a dagster.yaml in its working folder that it will not use."""
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    ui = makefile.split("\nui:", 1)[1].split("\n\n", 1)[0]
    commands = [line for line in ui.splitlines() if not line.strip().startswith("@#")]
    assert not [line for line in commands if "CRM_AUTOMATION" in line]
    assert "dagster dev" in ui
    assert not (REPO_ROOT / "dagster.yaml").exists()
    assert not (REPO_ROOT / "dagster.yml").exists()
    config = yaml.safe_load(DAGSTER_INSTANCE_TEMPLATE.read_text(encoding="utf-8"))
    assert config["telemetry"] == {"enabled": False}


def test_progress_reports_done_of_total_and_rate_at_the_interval_and_at_the_end() -> None:
    now = [0.0]
    lines: list[str] = []
    progress = Progress("t.csv", 1_000, lines.append, every_seconds=10, clock=lambda: now[0])
    for done, at in ((100, 1.0), (200, 11.0), (300, 15.0), (400, 21.5), (1_000, 22.0)):
        now[0] = at
        progress.update(done)
    assert lines == [
        "t.csv: 200 of 1,000 rows (20%), 18 rows/s",
        "t.csv: 400 of 1,000 rows (40%), 19 rows/s",
        "t.csv: 1,000 of 1,000 rows (100%), 45 rows/s",
    ]


def test_the_sample_generator_prints_progress_lines_with_counts_only(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "orchestration.sample_crm",
            "--out",
            str(tmp_path / "export"),
            "--customers",
            "40",
            "--seed",
            "3",
        ],
        cwd=REPO_ROOT,
        env=clean_env(tmp_path, CRM_PROGRESS_SECONDS="0"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = [x for x in result.stderr.splitlines() if x.startswith("sample CRM:")]
    assert len(lines) >= 2
    assert all(PROGRESS_LINE.match(x) for x in lines), lines[:3]
    assert lines[-1].startswith("sample CRM: 40 of 40 customers (100%)")


def test_every_ingested_table_logs_rows_done_of_total_and_rate(pipeline_run) -> None:  # type: ignore[no-untyped-def]
    import dagster as dg

    from orchestration.lib.crm_schema import TABLES

    instance = dg.DagsterInstance.from_config(str(pipeline_run.dagster_home))
    messages = [
        e.user_message for e in instance.all_logs(pipeline_run.summary.run_id) if e.user_message
    ]
    progress = [m for m in messages if ": read and scanned: " in m]
    assert all(INGEST_LINE.match(m) for m in progress), progress[:3]
    finished = {m.split(":", 1)[0] for m in progress if "(100%)" in m}
    assert finished == {t.file_name for t in TABLES}
