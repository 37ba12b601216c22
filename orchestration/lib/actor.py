"""Who launched an erasure or an export, for the audit log (Art. 5(2) GDPR accountability).

The audit log must name the person who launched the job, not the account the Dagster daemon or
webserver runs as. In Dagster that is a run tag: ``crm/actor`` (set in the launchpad's tags or by
our CLI) or ``dagster/user`` (set by deployments that authenticate users). From the command line
it is ``--actor``. Where none is given, the fallback says so (``source``), so an auditor sees
that the name is the operating-system account and not a verified launcher.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass

#: Run tag our CLI and the launchpad set; checked before Dagster's own ``dagster/user``.
ACTOR_TAG = "crm/actor"
#: Where our CLI got the name it put in ``crm/actor`` (``cli`` or the labelled OS-user fallback).
ACTOR_SOURCE_TAG = "crm/actor_source"
DAGSTER_USER_TAG = "dagster/user"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Actor:
    name: str
    #: Where the name came from: ``run_tag:crm/actor``, ``run_tag:dagster/user``, ``cli``,
    #: ``env:CRM_ACTOR``, ``os_user (no launcher given)`` or ``none``.
    source: str

    def fields(self) -> dict[str, str]:
        """The audit entry's fields."""
        return {"actor": self.name, "actor_source": self.source}


def from_run_tags(tags: Mapping[str, str]) -> Actor:
    """The launcher of a Dagster run; never the OS user of the process that executes it."""
    for tag in (ACTOR_TAG, DAGSTER_USER_TAG):
        value = (tags.get(tag) or "").strip()
        if value:
            via_cli = tag == ACTOR_TAG and tags.get(ACTOR_SOURCE_TAG)
            return Actor(
                value, f"run_tag:{tag}" + (f" ({tags[ACTOR_SOURCE_TAG]})" if via_cli else "")
            )
    configured = os.environ.get("CRM_ACTOR", "").strip()
    if configured:
        return Actor(configured, "env:CRM_ACTOR")
    return Actor(UNKNOWN, f"none (run without a {ACTOR_TAG} or {DAGSTER_USER_TAG} tag)")


def from_command_line(explicit: str | None) -> Actor:
    """``--actor`` if given, else ``CRM_ACTOR``, else the OS user, labelled as such."""
    if explicit and explicit.strip():
        return Actor(explicit.strip(), "cli")
    configured = os.environ.get("CRM_ACTOR", "").strip()
    if configured:
        return Actor(configured, "env:CRM_ACTOR")
    user = os.environ.get("USER") or getpass.getuser()
    return Actor(user, "os_user (no --actor given)")
