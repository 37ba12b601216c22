"""Nightly at 02:00 Europe/Berlin, with ``as_of`` = the scheduled day (deterministic reruns).

Stopped by default, so ``make ui`` on a laptop starts no run by itself; a deployment sets
``CRM_AUTOMATION=on`` (or switches it on in the UI).
"""

import dagster as dg

from orchestration.defs.nightly.jobs import run_nightly_governance_job
from orchestration.lib.settings import BUSINESS_TIMEZONE, automation_enabled


@dg.schedule(
    name="run_nightly_governance_job_schedule",
    job=run_nightly_governance_job,
    cron_schedule="0 2 * * *",
    execution_timezone=str(BUSINESS_TIMEZONE),
    default_status=(
        dg.DefaultScheduleStatus.RUNNING
        if automation_enabled()
        else dg.DefaultScheduleStatus.STOPPED
    ),
)
def run_nightly_governance_job_schedule(
    context: dg.ScheduleEvaluationContext,
) -> dg.RunRequest:
    scheduled = context.scheduled_execution_time.astimezone(BUSINESS_TIMEZONE)
    as_of = scheduled.date().isoformat()
    return dg.RunRequest(
        run_key=f"nightly-{as_of}",
        run_config={"resources": {"pipeline_settings": {"config": {"as_of": as_of}}}},
        tags={"as_of": as_of},
    )
