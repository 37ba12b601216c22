"""Asset check: every marketing send had a valid consent, and none went out after an objection.

Why an asset check and not only a line in the DPO report: a send without consent breaks
Art. 6(1)(a) / Art. 7 GDPR and § 7 UWG, and an engineer reading the run (the Dagster UI or
``python -m orchestration.run``) must see it fail, not a green run.

Why ERROR severity but not blocking: the sends already happened in the CRM. Stopping the nightly
run would not undo one of them, and it would hold back what must go on (the deletion manifest,
request deadlines, the DPO report that explains the violation). So the check fails red and loud,
and the downstream assets still materialize.

Counted in SQL on the model; the metadata holds counts only, never ids or values.
"""

from __future__ import annotations

import dagster as dg

from orchestration.lib.settings import WAREHOUSE_POOL
from orchestration.lib.warehouse import WarehouseResource, fetch_first

MARKETING_SENDS_KEY = dg.AssetKey(["intermediate", "int_marketing_sends_validated"])
CHECK_NAME = "marketing_sends_have_valid_consent"

#: One row of counts; ``person_id`` counts people, not data subjects (a prospect who became a
#: customer is one person).
COUNTS_SQL = """
select
    count(*) as sends_total,
    count(*) filter (where not has_valid_consent_at_send) as sends_without_valid_consent,
    count(*) filter (where is_sent_after_objection) as sends_after_objection,
    count(distinct person_id) filter (
        where not has_valid_consent_at_send or is_sent_after_objection
    ) as persons_affected,
    count(distinct campaign_id) filter (
        where not has_valid_consent_at_send or is_sent_after_objection
    ) as campaigns_affected
from intermediate.int_marketing_sends_validated
"""
COUNT_NAMES = (
    "sends_total",
    "sends_without_valid_consent",
    "sends_after_objection",
    "persons_affected",
    "campaigns_affected",
)


def consent_counts(con: object) -> dict[str, int]:
    """The check's counts from an open DuckDB connection (also used by the tests)."""
    row = fetch_first(con.execute(COUNTS_SQL))  # type: ignore[attr-defined]
    return dict(zip(COUNT_NAMES, (int(v or 0) for v in (row or (0,) * 5)), strict=True))


@dg.asset_check(
    name=CHECK_NAME,
    asset=MARKETING_SENDS_KEY,
    blocking=False,
    pool=WAREHOUSE_POOL,
    description=(
        "No marketing send without a valid consent for its purpose and channel at send time, and "
        "none after an objection (Art. 6(1)(a), 7, 21(3) GDPR; § 7 UWG). ERROR, not blocking: "
        "the sends already happened and stopping the run would not undo them."
    ),
)
def marketing_sends_have_valid_consent(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.get_connection() as con:
        counts = consent_counts(con)
    violations = counts["sends_without_valid_consent"] + counts["sends_after_objection"]
    return dg.AssetCheckResult(
        passed=violations == 0,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            **{name: dg.MetadataValue.int(value) for name, value in counts.items()},
            "failing_rows_in": "intermediate.int_marketing_sends_validated",
        },
    )
