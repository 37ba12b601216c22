"""Hermetic by construction: the offline switches are set by the project, and the guard works."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from orchestration.lib.offline import OFFLINE_ENVIRONMENT
from orchestration.lib.settings import REPO_ROOT
from orchestration.lib.warehouse import connect

GUARD_DIR = Path(__file__).resolve().parent / "_network_guard"
sys.path.insert(0, str(GUARD_DIR))
from sitecustomize import NetworkAccessBlocked, is_local_address  # noqa: E402


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("localhost", True),
        ("pypi.org", False),
        ("10.1.2.3", False),
        ("192.168.0.1", False),
        ("8.8.8.8", False),
        ("2001:db8::1", False),
    ],
)
def test_guard_tells_loopback_from_everything_else(host: str, local: bool) -> None:
    assert is_local_address(host) is local


def test_guard_refuses_a_name_lookup_in_the_test_process() -> None:
    with pytest.raises(NetworkAccessBlocked):
        socket.getaddrinfo("telemetry.example.invalid", 443)
    log = Path(os.environ["CRM_NETWORK_GUARD_LOG"])
    # The attempt above is expected: remove its record so the session does not fail for it.
    log.write_text(
        "\n---\n".join(
            entry
            for entry in log.read_text(encoding="utf-8").split("\n---\n")
            if "telemetry.example.invalid" not in entry
        ),
        encoding="utf-8",
    )


def test_guard_is_active_in_python_subprocesses(tmp_path: Path) -> None:
    env = {**os.environ, "CRM_NETWORK_GUARD_LOG": str(tmp_path / "attempts.log")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import socket\n"
            "try:\n    socket.getaddrinfo('telemetry.example.invalid', 443)\n"
            "except OSError as e:\n    print(type(e).__name__)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "NetworkAccessBlocked"
    assert "telemetry.example.invalid" in (tmp_path / "attempts.log").read_text()


def test_importing_the_code_location_switches_telemetry_and_downloads_off() -> None:
    code = (
        "import os, orchestration, json;"
        f"print(json.dumps({{k: os.environ.get(k) for k in {sorted(OFFLINE_ENVIRONMENT)!r}}}))"
    )
    clean_env = {k: v for k, v in os.environ.items() if k not in OFFLINE_ENVIRONMENT}
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean_env, capture_output=True, text=True, check=True
    )
    assert yaml.safe_load(result.stdout) == OFFLINE_ENVIRONMENT


def test_dagster_instance_config_disables_telemetry_and_limits_pools_to_one() -> None:
    config = yaml.safe_load(
        (REPO_ROOT / "orchestration" / "dagster.yaml").read_text(encoding="utf-8")
    )
    assert config["telemetry"]["enabled"] is False
    assert config["concurrency"]["pools"]["default_limit"] == 1


def test_dbt_project_sends_no_usage_statistics_and_checks_no_version() -> None:
    project = yaml.safe_load((REPO_ROOT / "dbt_project" / "dbt_project.yml").read_text())
    assert project["flags"]["send_anonymous_usage_stats"] is False
    assert project["flags"]["version_check"] is False


def test_warehouse_connections_never_install_or_autoload_extensions(tmp_path: Path) -> None:
    con = connect(tmp_path / "w.duckdb")
    try:
        settings = dict(
            con.execute(
                """select name, value from duckdb_settings()
                   where name in ('autoinstall_known_extensions', 'autoload_known_extensions')"""
            ).fetchall()
        )
    finally:
        con.close()
    assert settings == {
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
    }
