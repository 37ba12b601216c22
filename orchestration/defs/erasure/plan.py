"""What an erasure does to the warehouse, read from a manifest, and the key tables it uses.

- ``delete`` items: the record's rows go from every table (``table_keys``).
- ``anonymize`` items with ``anonymize_with = null``: the column is emptied wherever the record
  lives, and rows about that single field (retention marts) go.
- ``anonymize`` items with ``redacted_text``: already true in the warehouse (free text is redacted
  at ingest, DESIGN.md principle 1); they are for the CRM and only counted here.
- ``restrict`` items: kept; restriction is a processing flag (governance marts, role views), not
  a deletion (Art. 18 GDPR). The verification checks they are still there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from orchestration.lib.crm_schema import TABLES
from orchestration.lib.deletion_manifest import ACTIONS, DELETABLE_STATUSES

#: Tables whose rows are a subject's master record, by table: the subject type.
MASTER_TABLES = {t.name: t.subject_type for t in TABLES if t.subject_key == t.primary_key}


@dataclass(frozen=True)
class ErasurePlan:
    records: tuple[tuple[str, str], ...]
    fields: tuple[tuple[str, str, str], ...]
    restricted: tuple[tuple[str, str], ...]
    writeback_fields: int

    @property
    def field_columns(self) -> set[tuple[str, str]]:
        return {(table, column) for table, _, column in self.fields}

    @property
    def subjects(self) -> tuple[tuple[str, str], ...]:
        """Subjects whose master record is deleted: ``(subject_type, subject_id)``."""
        return tuple(sorted((MASTER_TABLES[t], r) for t, r in self.records if MASTER_TABLES.get(t)))

    def without(self, held: set[tuple[str, str]]) -> ErasurePlan:
        """The plan minus records under an active legal hold (never deleted, Art. 17(3)(e))."""
        return ErasurePlan(
            records=tuple(r for r in self.records if r not in held),
            fields=tuple(f for f in self.fields if (f[0], f[1]) not in held),
            restricted=self.restricted,
            writeback_fields=self.writeback_fields,
        )


def check_items(items: Sequence[Mapping[str, Any]]) -> None:
    """Refuse a manifest that would delete something it must not (cheap, before any change)."""
    for item in items:
        if item["action"] not in ACTIONS:
            raise ValueError(f"manifest item {item['item_id']}: unknown action {item['action']!r}")
        if item["action"] == "delete" and item["retention_status"] not in DELETABLE_STATUSES:
            raise ValueError(
                f"manifest item {item['item_id']}: delete on a record with status "
                f"{item['retention_status']!r} (held records are only restricted)"
            )
        if item["action"] == "anonymize" and not item["column"]:
            raise ValueError(f"manifest item {item['item_id']}: anonymize without a column")


def plan_from_items(items: Sequence[Mapping[str, Any]]) -> ErasurePlan:
    """The plan of a manifest's full item set (``deletion_manifest.load_snapshot_items``)."""
    check_items(items)
    records, fields, restricted = set(), set(), set()
    writeback = 0
    for item in items:
        record = (item["record_table"], item["record_id"])
        if item["action"] == "delete":
            records.add(record)
        elif item["action"] == "anonymize" and item["anonymize_with"] == "null":
            fields.add((*record, item["column"]))
        elif item["action"] == "anonymize":
            writeback += 1
        else:
            restricted.add(record)
    return ErasurePlan(
        records=tuple(sorted(records)),
        fields=tuple(sorted(fields)),
        restricted=tuple(sorted(restricted)),
        writeback_fields=writeback,
    )
