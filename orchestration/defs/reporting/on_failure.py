"""Render the DPO report even when the nightly run fails.

A blocking quality check that fails (say, an unredacted special category in curated free text)
stops every asset downstream of the table it guards, the report among them: Dagster skips them
and fails the run, which is right for the deletion manifest and the exports. The DPO must still
see that day's red verdict, so this failure hook renders the report from what the warehouse holds
when any other step of the nightly job fails. The quality section then shows the failed blocking
check of this run (its result is stored before the check fails), and tables downstream of the
failure are still those of the previous successful run.

The hook fires once per failed step; a later failure of the same run re-renders the report with
more results. On a first run that failed before dbt built the governance tables, the report is
rendered all the same: each section whose tables do not exist yet says "not computed yet"
(``render.SECTION_SOURCES``), so every nightly run ends with a report. The hook never raises: a
report that still cannot be rendered is logged, and the run's own failure stays the one that
counts.
"""

import dagster as dg
import duckdb

from orchestration.defs.reporting.assets import REPORT_NAME, produce_report, report_language

#: The report's own step: if rendering itself failed, rendering again would fail the same way.
REPORT_STEP = f"outputs__{REPORT_NAME}"


@dg.failure_hook(required_resource_keys={"warehouse", "pipeline_settings"})
def render_report_after_failure(context: dg.HookContext) -> None:
    """Render the report for this run after a failed step (counts and ids only, like always)."""
    step = context.step_key or context.op.name
    if step == REPORT_STEP:
        return
    as_of = context.resources.pipeline_settings.resolved_as_of()
    try:
        with context.resources.warehouse.get_connection() as con:
            produced = produce_report(
                con,
                as_of=as_of,
                run_id=context.run_id,
                language=report_language(),
                failed_step=step,
            )
    except duckdb.CatalogException as error:
        first_line = str(error).splitlines()[0]
        context.log.error(
            f"compliance report not rendered after the failure of {step}: the warehouse lacks "
            f"a table the report reads ({first_line})"
        )
        return
    except Exception as error:  # the run's own failure is the one that counts
        context.log.error(
            f"compliance report not rendered after the failure of {step}: "
            f"{type(error).__name__} (the type only: a message could quote data)"
        )
        return
    context.log.warning(
        f"step {step} failed; compliance report rendered anyway: {produced.html_path} "
        f"(verdict {produced.overall}); pdf {produced.pdf}"
    )
