"""``expectations/`` depends on ``orchestration.lib`` only, never on a domain's Dagster code.

The suites are shared by three domains (the quality checks, the DPO report's audits and the
erasure job's check); if they imported one of them, that domain's internals would leak into the
others. Read from the source, so a lazy import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

EXPECTATIONS = Path(__file__).resolve().parents[2] / "expectations"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_expectations_import_only_the_shared_lib_of_orchestration() -> None:
    files = sorted(EXPECTATIONS.rglob("*.py"))
    assert len(files) > 5
    offending = {
        f"{path.relative_to(EXPECTATIONS)}: {name}"
        for path in files
        for name in _imported_modules(path)
        if name.startswith("orchestration") and not name.startswith("orchestration.lib")
    }
    assert offending == set()


def test_the_import_reader_sees_a_domain_import(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text("def f():\n    from orchestration.defs.quality import checks\n")
    assert "orchestration.defs.quality" in _imported_modules(planted)
