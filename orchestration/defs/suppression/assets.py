"""Asset ``landing/suppression_matches``: after every ingest, objections listed and matched.

Runs once all CRM tables are loaded (it needs the requests and the master tables of the same
export), before dbt, which reads the matches as the source ``suppression.suppression_matches``
(``marketing_eligibilities``: a subject matching an objection is never eligible). It also applies
the retention of the list and of the evidence log. Metadata: counts only.
"""

from __future__ import annotations

import dagster as dg

from orchestration.defs.suppression.objections import list_objections, write_matches
from orchestration.lib.asset_keys import LANDING_GROUP, landing_key
from orchestration.lib.crm_schema import TABLES
from orchestration.lib.pipeline_settings import PipelineSettings
from orchestration.lib.secrets import scan_hmac_key
from orchestration.lib.settings import WAREHOUSE_POOL
from orchestration.lib.suppression_list.store import (
    ERASED,
    EVIDENCE_TABLE,
    OBJECTION,
    SUPPRESSION_TABLE,
    purge_expired,
)
from orchestration.lib.warehouse import WarehouseResource


@dg.asset(
    key=landing_key("suppression_matches"),
    group_name=LANDING_GROUP,
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
    deps=[landing_key(t.name) for t in TABLES],
    description=(
        "Subjects matching an objection on the suppression list (keyed hashes of id, e-mail, "
        "phone): ids, kind and request id only. Also lists new objections and applies the "
        "retention of the suppression list and the request evidence log."
    ),
)
def suppression_matches(
    warehouse: WarehouseResource, pipeline_settings: PipelineSettings
) -> dg.MaterializeResult:
    key = scan_hmac_key()
    with warehouse.get_connection() as con:
        con.execute("begin transaction")
        try:
            purged_entries, purged_evidence = purge_expired(con, pipeline_settings.resolved_as_of())
            listed = list_objections(con, key)
            matched = write_matches(con, key)
            counts = dict(
                con.execute(
                    f"select kind, count(*) from {SUPPRESSION_TABLE} group by kind"
                ).fetchall()
            )
            evidence = con.execute(f"select count(*) from {EVIDENCE_TABLE}").fetchall()[0][0]
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return dg.MaterializeResult(
        metadata={
            "objection entries added": dg.MetadataValue.int(listed),
            "subjects matching an objection": dg.MetadataValue.int(matched),
            "list entries: erased": dg.MetadataValue.int(int(counts.get(ERASED, 0))),
            "list entries: objection": dg.MetadataValue.int(int(counts.get(OBJECTION, 0))),
            "evidence log rows": dg.MetadataValue.int(int(evidence)),
            "purged list entries": dg.MetadataValue.int(purged_entries),
            "purged evidence rows": dg.MetadataValue.int(purged_evidence),
        }
    )
