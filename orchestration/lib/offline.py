"""Hermetic by default: switch off every phone-home of the stack before it is imported.

Why in code and not only in the Makefile: the Dagster UI's code server, the test suite and a data
engineer's ``python -c`` all import this package, and each of them must stay off the network
(DESIGN.md "Offline switches"). Values the operator set explicitly are kept.
"""

from __future__ import annotations

import os

#: Environment switches that keep dbt, Presidio's tldextract and Great Expectations offline.
OFFLINE_ENVIRONMENT: dict[str, str] = {
    # dbt: no anonymous usage statistics, no version check against PyPI.
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DBT_VERSION_CHECK": "false",
    "DO_NOT_TRACK": "1",
    # Presidio's e-mail recognizer uses tldextract, which would download the public suffix list.
    "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
    # Great Expectations usage statistics.
    "GX_ANALYTICS_ENABLED": "false",
    # Dagster telemetry (also off in the committed dagster.yaml).
    "DAGSTER_DISABLE_TELEMETRY": "true",
    # Hugging Face / spaCy model hubs are never used; make any accidental attempt fail fast.
    "HF_HUB_OFFLINE": "1",
}


def apply_offline_switches() -> None:
    """Set the offline switches unless the operator already chose a value."""
    for name, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
