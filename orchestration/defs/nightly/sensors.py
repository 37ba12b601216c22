"""Start the nightly job when a new CRM export directory appears under ``CRM_EXPORTS_ROOT``.

An export counts once it has its ``export.json`` (the CRM writes it last). The export id is the
run key, so an export is never processed twice by the sensor. Stopped by default (``make ui``
must not start a run by itself); ``CRM_AUTOMATION=on`` turns it on in a deployment.
"""

import dagster as dg

from orchestration.defs.nightly.jobs import run_nightly_governance_job
from orchestration.lib import settings
from orchestration.lib.crm_errors import CrmExportError
from orchestration.lib.crm_export import list_exports


@dg.sensor(
    name="new_crm_export_sensor",
    job=run_nightly_governance_job,
    minimum_interval_seconds=60,
    default_status=(
        dg.DefaultSensorStatus.RUNNING
        if settings.automation_enabled()
        else dg.DefaultSensorStatus.STOPPED
    ),
)
def new_crm_export_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    root = settings.exports_root()
    try:
        exports = list_exports(root)
    except CrmExportError as exc:
        return dg.SensorResult(skip_reason=f"unreadable export: {exc}")
    seen = set(filter(None, (context.cursor or "").split("\n")))
    new = [e for e in exports if e.export_id not in seen]
    if not new:
        return dg.SensorResult(skip_reason=f"no new export under {root}")
    requests = [
        dg.RunRequest(
            run_key=export.export_id,
            run_config={
                "resources": {
                    "pipeline_settings": {"config": {"export_dir": str(export.directory)}}
                }
            },
            tags={"export_id": export.export_id},
        )
        for export in new
    ]
    cursor = "\n".join(sorted(seen | {e.export_id for e in new}))
    return dg.SensorResult(run_requests=requests, cursor=cursor)
