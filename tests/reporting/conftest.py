"""Reports shared by the report tests: the nightly run's German report and one English render.

Session-scoped so the English report (and its PDF, about 5 s of WeasyPrint) is rendered once for
the content, PDF and browser tests alike.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.defs.reporting.assets import render_to
from orchestration.lib.warehouse import read_only


@pytest.fixture(scope="session")
def german_report_path(pipeline_run) -> Path:  # type: ignore[no-untyped-def]
    """The HTML the nightly run wrote (the PDF lies beside it)."""
    path = pipeline_run.data_dir / "reports" / pipeline_run.as_of.isoformat()
    return path / "compliance_report.html"


@pytest.fixture(scope="session")
def english_report_path(pipeline_run, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """The English report of the same run, rendered on demand into a temporary directory."""
    directory = tmp_path_factory.mktemp("report_en")
    with read_only(pipeline_run.warehouse_path) as con:
        path, _, _ = render_to(
            con,
            directory,
            as_of=pipeline_run.as_of,
            run_id=pipeline_run.summary.run_id,
            language="en",
        )
    return path
