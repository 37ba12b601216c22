"""Resources of the CRM domain: where free text goes before it is written."""

import dagster as dg

from orchestration.defs.crm.free_text import FreeTextHook, UnscannedHook


class FreeTextHookResource(dg.ConfigurableResource):
    """Chooses the hook every free-text column passes through during ingest.

    ``unscanned`` passes text through and records that it was not scanned (foundation stage);
    the PII scanner plugs in here as a further mode without touching the ingest assets.
    """

    mode: str = "unscanned"

    def get_hook(self) -> FreeTextHook:
        if self.mode == "unscanned":
            return UnscannedHook()
        raise dg.DagsterInvalidConfigError(
            f"free_text_hook mode {self.mode!r} is unknown (known: unscanned)", [], None
        )
