"""The deletion manifest contract: file layout, item fields, and how a consumer reads a manifest.

The retention domain writes manifests; the erasure, its dry run, the report and the CLI read them,
and they do so only through this module, so neither domain imports the other (issue 16).

A nightly manifest file (``data/manifests/<as_of>/<manifest_id>.json``, canonical JSON, id =
sha256 of its bytes) is a *diff*: its ``items`` are the items added or whose status changed since
``changes.previous_manifest_id`` (all items when there is none), ``changes.removed`` lists the item
ids that are no longer due, and ``snapshot`` names the full item set as of ``as_of``: its item
count and ``snapshot.sha256``, the sha256 of the canonical JSON array of all items in item id
order. ``summary`` counts that full set.

The full set lives in ``governance_ops.deletion_manifest_items`` under the manifest id (kept for
``CRM_MANIFEST_RETENTION_DAYS``). How the erasure gets every deletable item, not only the day's
diff: it reads the full set of the manifest it executes from that table
(``load_snapshot_items``), re-encodes it canonically while streaming and refuses it unless the
hash equals ``snapshot.sha256`` of the content-addressed file. So the file still proves exactly
what is erased, and everything due is erased, including items carried over from earlier days.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb

from orchestration.lib import settings
from orchestration.lib.canonical_stream import HashingSink, row_batches, write_list
from orchestration.lib.files import canonical_json, sha256_hex
from orchestration.lib.landing_tables import LANDING_SCHEMA
from orchestration.lib.warehouse import OPS_SCHEMA, table_exists

FORMAT = "deletion_manifest"
FORMAT_VERSION = 1
SCHEMA_PATH = (
    Path(__file__).resolve().parents[2] / "docs" / "schemas" / "deletion_manifest.schema.json"
)
MANIFESTS_DIRNAME = "manifests"
LATEST_POINTER = "latest.json"
#: Dagster asset key path of the nightly manifest (the erasure asset depends on it).
ASSET_KEY_PATH = ("outputs", "deletion_manifest")
MANIFESTS_TABLE = f"{OPS_SCHEMA}.deletion_manifests"
ITEMS_TABLE = f"{OPS_SCHEMA}.deletion_manifest_items"
#: Folder of the erasure's phase files under the data dir (``<dir>/<manifest_id>/state.json``).
ERASURE_STATE_DIRNAME = "erasure"
#: Last phase of an erasure; a state file in any earlier phase is a pending erasure.
ERASURE_DONE_PHASE = "recorded"

ACTIONS = ("delete", "anonymize", "restrict")
#: Retention statuses that allow deletion; anything else (restricted, legal hold, active) may at
#: most be restricted.
DELETABLE_STATUSES = frozenset({"expired", "erasure_requested"})

#: Item fields, in the column order of the CSV form and of the items table (``column`` is
#: ``column_name`` in the table: ``column`` is an SQL keyword).
ITEM_FIELDS = (
    "item_id",
    "action",
    "reason",
    "rule_id",
    "legal_reference",
    "due_date",
    "is_overdue",
    "deadline",
    "request_id",
    "retention_status",
    "subject_type",
    "subject_id",
    "data_subject_id",
    "person_id",
    "record_table",
    "record_id",
    "record_key",
    "record_type",
    "column",
    "is_master_record",
    "anonymize_with",
)

#: The item fields as JSON values from the items table (dates as ISO strings).
ITEM_SELECT = ", ".join(
    f"strftime({f}, '%Y-%m-%d') as {f}"
    if f in ("due_date", "deadline")
    else ('column_name as "column"' if f == "column" else f)
    for f in ITEM_FIELDS
)

#: Days manifests are kept (files and item rows) unless ``CRM_MANIFEST_RETENTION_DAYS`` says.
DEFAULT_RETENTION_DAYS = 90
RETENTION_ENV = "CRM_MANIFEST_RETENTION_DAYS"


def retention_days() -> int:
    return settings.integer_setting(RETENTION_ENV, DEFAULT_RETENTION_DAYS, minimum=1)


def manifests_root(data_dir: Path) -> Path:
    return data_dir / MANIFESTS_DIRNAME


def latest_manifest_path(as_of: dt.date | str, data_dir: Path | None = None) -> Path | None:
    """The JSON file of the newest manifest written for ``as_of`` (None if there is none)."""
    if data_dir is None:
        data_dir = settings.data_dir()
    day = as_of.isoformat() if isinstance(as_of, dt.date) else str(as_of)
    pointer = manifests_root(data_dir) / day / LATEST_POINTER
    if not pointer.exists():
        return None
    return pointer.parent / json.loads(pointer.read_text(encoding="utf-8"))["json"]


def find_manifest(reference: str, data_dir: Path) -> Path:
    """Find a manifest file by its id, a unique id prefix of 12+ hex digits, or ``latest``."""
    root = manifests_root(data_dir)
    if reference == "latest":
        days = sorted(p.parent for p in root.glob(f"*/{LATEST_POINTER}"))
        if not days:
            raise FileNotFoundError(f"no deletion manifest under {root}")
        path = latest_manifest_path(days[-1].name, data_dir)
        assert path is not None
        return path
    reference = reference.strip().lower()
    if len(reference) < 12 or any(c not in "0123456789abcdef" for c in reference):
        raise ValueError("manifest id must be 12 to 64 hex digits (or 'latest')")
    matches = sorted(root.glob(f"*/{reference}*.json"))
    matches = [p for p in matches if p.name != LATEST_POINTER]
    if not matches:
        raise FileNotFoundError(f"no deletion manifest {reference} under {root}")
    if len({p.name for p in matches}) > 1:
        raise ValueError(f"manifest id prefix {reference} is ambiguous")
    return matches[0]


def load_manifest(path: Path) -> tuple[str, dict[str, Any]]:
    """Read a manifest file and prove it is the manifest its name says (sha256 = id)."""
    data = path.read_bytes()
    identifier = sha256_hex(data)
    if path.stem != identifier:
        raise ValueError(f"{path.name}: content hash {identifier[:12]}… does not match its name")
    manifest = json.loads(data)
    if canonical_json(manifest) != data:
        raise ValueError(f"{path.name} is not in canonical form")
    return identifier, manifest


def snapshot_sha256(manifest: dict[str, Any]) -> str:
    """The full item set's hash a manifest names (older full manifests: hash of their items)."""
    snapshot = manifest.get("snapshot")
    if snapshot:
        return str(snapshot["sha256"])
    return sha256_hex(canonical_json(manifest["items"]))


def validate_manifest(manifest: dict[str, Any]) -> None:
    """Validate against the published JSON Schema (``docs/schemas/``)."""
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(manifest)


def items_relation(con: duckdb.DuckDBPyConnection, manifest_id: str) -> duckdb.DuckDBPyRelation:
    """The full item set of a manifest from the items table, in the one canonical order."""
    return con.sql(
        f"select {ITEM_SELECT} from {ITEMS_TABLE} where manifest_id = ? order by item_id",
        params=[manifest_id],
    )


def load_snapshot_items(
    con: duckdb.DuckDBPyConnection, manifest_id: str, expected_sha256: str
) -> list[dict[str, Any]]:
    """Every item of the manifest's full set, proven against ``snapshot.sha256`` of its file.

    Raises ``ValueError`` when the table no longer holds them (pruned) or they were changed.
    """
    if not table_exists(con, OPS_SCHEMA, "deletion_manifest_items"):
        raise ValueError(f"manifest {manifest_id[:12]}: no items table in the warehouse")
    items: list[dict[str, Any]] = []
    sink = HashingSink()

    def keep(batches: Any) -> Any:
        for batch in batches:
            items.extend(batch)
            yield batch

    write_list(keep(row_batches(items_relation(con, manifest_id))), sink)
    if sink.hexdigest() != expected_sha256:
        raise ValueError(
            f"manifest {manifest_id[:12]}: the {len(items)} items in {ITEMS_TABLE} do not hash "
            "to the manifest's snapshot (pruned or modified)"
        )
    return items


def legally_held(con: duckdb.DuckDBPyConnection, now: dt.datetime) -> set[tuple[str, str]]:
    """Records under a legal hold right now (a manifest may predate the hold)."""
    if not table_exists(con, LANDING_SCHEMA, "legal_holds"):
        return set()
    rows = con.execute(
        f"""select record_table, record_id from {LANDING_SCHEMA}.legal_holds
            where placed_at <= ? and (released_at is null or released_at > ?)""",
        [now, now],
    ).fetchall()
    return {(t, r) for t, r in rows}


def pending_erasure_manifest_ids(data_dir: Path) -> set[str]:
    """Manifests an erasure started on and has not finished (their items must not be pruned)."""
    pending = set()
    for state in (data_dir / ERASURE_STATE_DIRNAME).glob("*/state.json"):
        try:
            phase = json.loads(state.read_text(encoding="utf-8")).get("phase")
        except ValueError:
            phase = None  # unreadable: treat as pending, never prune what it may need
        if phase != ERASURE_DONE_PHASE:
            pending.add(state.parent.name)
    return pending
