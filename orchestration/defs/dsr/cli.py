"""Command line of the access/portability export: resolves an e-mail to an id before the run.

    python -m orchestration.defs.dsr.cli --subject C0000042|prospect:P0000007|<e-mail>
        [--request-id DSR-123] [--actor NAME]

Why resolve here: Dagster keeps every run's config in its run storage, which no erasure reaches.
An e-mail given here is looked up in the warehouse (read only) and only the subject id goes into
the run; the address is never printed, logged or stored. The run carries the launcher in its
``crm/actor`` tag, which the audit log names.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import dagster as dg

from orchestration.defs.dsr.jobs import export_subject_data_job
from orchestration.defs.dsr.resolve import identifier_kind, resolve_subjects
from orchestration.lib import settings
from orchestration.lib.actor import ACTOR_SOURCE_TAG, ACTOR_TAG, from_command_line
from orchestration.lib.warehouse import WarehouseResource, read_only


class SubjectResolutionError(LookupError):
    """The e-mail matches no one, or several people (the address is never repeated)."""


def resolve_email(email: str) -> str:
    """The data subject id (``type:id``) of the one person whose own e-mail this is."""
    with read_only(settings.warehouse_path()) as con:
        subjects = resolve_subjects(con, email)
        if not subjects:
            raise SubjectResolutionError("no data subject in the warehouse has this e-mail address")
        ids = [s.data_subject_id for s in subjects]
        try:
            persons = con.execute(
                """select count(distinct person_id) from governance.data_subjects
                   where data_subject_id in (select unnest(?::varchar[]))""",
                [ids],
            ).fetchall()[0][0]
        except Exception:  # no governance marts yet: each subject is its own person
            persons = len(ids)
    if persons > 1:
        raise SubjectResolutionError(
            f"the e-mail address belongs to {persons} different people; give the subject id"
        )
    return ids[0]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subject", required=True, help="subject id, type:id or e-mail address")
    parser.add_argument("--request-id", default="", help="CRM request id (export folder name)")
    parser.add_argument("--actor", help="who launches the export (default: the OS user)")
    args = parser.parse_args(argv)
    subject = args.subject.strip()
    if identifier_kind(subject) == "email":
        try:
            subject = resolve_email(subject)
        except SubjectResolutionError as error:
            print(f"export refused: {error}", file=sys.stderr)
            return 2
        print(f"e-mail address resolved to {subject}; only the id goes into the Dagster run")
    launcher = from_command_line(args.actor)
    settings.ensure_dagster_home()
    definitions = dg.Definitions(
        jobs=[export_subject_data_job],
        resources={"warehouse": WarehouseResource.from_settings()},
    )
    result = definitions.resolve_job_def(export_subject_data_job.name).execute_in_process(
        run_config={"subject": subject, "request_id": args.request_id},
        instance=dg.DagsterInstance.get(),
        tags={ACTOR_TAG: launcher.name, ACTOR_SOURCE_TAG: launcher.source},
        raise_on_error=False,
    )
    if not result.success:
        print(f"export failed: run {result.run_id} (see the Dagster run log)", file=sys.stderr)
        return 1
    summary = result.output_for_node("export_subject_data")
    print(
        f"export {summary['request_label']}: {summary['records']} records, "
        f"{summary['tables']} tables -> {summary['zip']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
