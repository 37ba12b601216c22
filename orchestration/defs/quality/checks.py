"""One Dagster asset check per GX suite, on the table the suite guards.

Each check counts its suite's expectations inside DuckDB through the run's ``warehouse`` resource
(one connection at a time under the in-process executor; no row set is fetched), lets GX validate
the counts in an ephemeral context, stores them in ``governance_ops.quality_check_results`` and
reports counts as metadata, never values.

Every check is declared ``blocking`` so Dagster orders downstream assets (the DPO report among
them) after it; only ERROR-severity failures actually block, so advisory suites fail with WARN.
The erasure suite's check guards ``erasure/manifest_erasure`` and so runs in ``erase_manifest_job``
only (the nightly job excludes the erasure group and its checks).
"""

import dagster as dg

from expectations.results import run_and_store
from expectations.suites import SuiteSpec, all_suites, erasure_suites
from orchestration.lib.pipeline_settings import PipelineSettings
from orchestration.lib.settings import WAREHOUSE_POOL
from orchestration.lib.warehouse import WarehouseResource


def build_check(spec: SuiteSpec) -> dg.AssetChecksDefinition:
    asset_key = dg.AssetKey(list(spec.asset))
    severity = dg.AssetCheckSeverity.ERROR if spec.blocking else dg.AssetCheckSeverity.WARN

    @dg.asset_check(
        name=spec.check_name,
        asset=asset_key,
        blocking=True,
        pool=WAREHOUSE_POOL,
        description=f"{spec.description} ({'blocking' if spec.blocking else 'advisory'})",
    )
    def _check(
        context: dg.AssetCheckExecutionContext,
        warehouse: WarehouseResource,
        pipeline_settings: PipelineSettings,
    ) -> dg.AssetCheckResult:
        as_of = pipeline_settings.resolved_as_of()
        with warehouse.get_connection() as con:
            outcome = run_and_store(con, spec, run_id=context.run.run_id, as_of=as_of)
        metadata: dict[str, dg.RawMetadataValue] = {
            "suite": outcome.suite,
            "rows_checked": dg.MetadataValue.int(outcome.rows_checked),
            "unexpected_rows": dg.MetadataValue.int(outcome.unexpected_total),
            "expectations_failed": dg.MetadataValue.int(
                sum(not e.passed for e in outcome.expectations)
            ),
            "results_table": "governance_ops.quality_check_results",
        }
        for label, value in outcome.details:
            is_count = isinstance(value, int)
            metadata[label] = (
                dg.MetadataValue.int(value) if is_count else dg.MetadataValue.text(str(value))
            )
        for e in outcome.expectations:
            if not e.passed:
                label = f"failed: {e.expectation}({e.column})"
                metadata[label] = dg.MetadataValue.int(e.unexpected_count or 0)
        return dg.AssetCheckResult(passed=outcome.passed, severity=severity, metadata=metadata)

    return _check


quality_checks = [build_check(spec) for spec in [*all_suites(), *erasure_suites()]]
