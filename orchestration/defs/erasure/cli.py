"""Command line of the erasure, for operators without the UI and for the crash tests.

    python -m orchestration.defs.erasure.cli --manifest-id ID [--dry-run] [--actor NAME] [...]
    python -m orchestration.defs.erasure.cli --verify-audit-log [--data-dir DIR]

Prints ids, counts and table names only.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from orchestration.defs.erasure.dry_run import dry_run_erasure
from orchestration.defs.erasure.runner import execute_erasure
from orchestration.lib import audit_log, settings
from orchestration.lib.actor import from_command_line
from orchestration.lib.deletion_manifest import find_manifest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest-id", help="manifest sha256, a 12+ digit prefix, or 'latest'")
    parser.add_argument("--manifest-dir", type=Path, help="data dir holding manifests/")
    parser.add_argument("--warehouse", type=Path, default=None)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--verify-audit-log", action="store_true")
    parser.add_argument("--dry-run", action="store_true", help="print what would be deleted")
    parser.add_argument(
        "--actor", help="who launches the erasure, for the audit log (default: the OS user)"
    )
    args = parser.parse_args(argv)
    data_dir = (args.data_dir or settings.data_dir()).resolve()
    if args.verify_audit_log:
        result = audit_log.verify_audit_log(audit_log.audit_log_path(data_dir))
        print(f"audit log: {result.entries} entries, ok={result.ok}", end="")
        print(f", line {result.bad_line}: {result.problem}" if not result.ok else "")
        return 0 if result.ok else 1
    if not args.manifest_id:
        parser.error("--manifest-id is required")
    manifest = find_manifest(args.manifest_id, (args.manifest_dir or data_dir).resolve())
    warehouse = (args.warehouse or settings.warehouse_path()).resolve()
    if args.dry_run:
        print("\n".join(dry_run_erasure(manifest, warehouse).lines()))
        return 0
    outcome = execute_erasure(
        manifest, warehouse, data_dir, launched_by=from_command_line(args.actor)
    )
    applied = outcome.applied
    print(
        f"erasure {outcome.outcome}: manifest {outcome.manifest_id[:12]}, "
        f"attempts {outcome.attempts}, rows deleted {applied.rows_deleted if applied else 0}, "
        f"bytes {outcome.bytes_before:,} -> {outcome.bytes_after:,}, {outcome.seconds:.1f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
