"""Each ``orchestration/defs/<domain>/`` depends only on ``orchestration.lib`` and its own modules.

Why: domains that import each other cannot be changed, tested or replaced one at a time, and the
next engine (Spark, after issue 16) must find everything it implements in ``orchestration/lib``
(``lib/warehouse.py``: the ``Warehouse`` protocol), not scattered through the domains. So this
test reads every module's source with ``ast`` (imports at any depth, inside functions too,
relative imports resolved, ``importlib.import_module("...")`` with a literal name included) and
fails naming file, line and imported module. Nothing is imported to check it.

The rules:
- ``orchestration/defs/<domain>/**.py`` imports ``orchestration.lib.*`` and
  ``orchestration.defs.<domain>.*`` only; another domain, ``orchestration.defs.resources``,
  ``orchestration.run`` or ``orchestration.definitions`` is a violation.
- Composition roots may import anything: ``orchestration/definitions.py``, ``orchestration/run.py``,
  ``orchestration/defs/__init__.py``, ``orchestration/defs/resources.py`` and the ``nightly``
  domain. ``nightly`` is a composition by definition: its job selects every other domain's assets
  and attaches reporting's failure hook, its schedule and sensor start that job; it owns no
  tables and no governance logic, so it is wired like the root, and nothing may import it.
- ``orchestration/lib/**.py`` imports only ``orchestration.lib`` (shared parts never reach up);
  a standalone package beside it (``orchestration/sample_crm``) imports ``lib`` and itself.
- ``expectations/**.py`` imports only ``orchestration.lib`` from ``orchestration``.

``PENDING_EDGES`` lists the edges other helpers of issue 16 remove on their branches, each with
its owner; the lead empties it at merge. An allow-listed edge that no longer exists fails the
test, so the list cannot outlive the edges it excuses.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "orchestration"
DEFS = REPO / PACKAGE / "defs"
LIB_PREFIX = f"{PACKAGE}.lib"

#: Files that compose domains and may import any of them (module docstring: "The rules").
COMPOSITION_FILES = frozenset(
    {
        "orchestration/definitions.py",
        "orchestration/run.py",
        "orchestration/defs/__init__.py",
        "orchestration/defs/resources.py",
    }
)
#: Domains that are compositions themselves (the nightly job wires every domain together).
COMPOSITION_DOMAINS = frozenset({"nightly"})

#: (importing file, imported module) -> the helper whose branch removes the edge (issue 16).
PENDING_EDGES: dict[tuple[str, str], str] = {}


@dataclass(frozen=True, order=True)
class Import:
    """One import statement's target, where it is written."""

    path: str
    line: int
    module: str


def module_name(path: Path) -> str:
    """Dotted module name of a file under the repository (``__init__`` names its package)."""
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve_relative(module: str | None, level: int, importer: str, is_package: bool) -> str:
    base = importer.split(".")
    if not is_package:
        base.pop()
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def imports_of(source: str, importer: str, is_package: bool = False) -> list[tuple[int, str]]:
    """``(line, module)`` for every import in ``source``, at any depth.

    ``from a.b import c`` yields ``a.b.c`` when ``a.b`` is a package of ours at most three levels
    deep, so ``from orchestration.defs import crm`` names the domain ``crm`` and
    ``from orchestration.defs.crm import loader`` names its module.
    """
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                module = _resolve_relative(node.module, node.level, importer, is_package)
            ours = module == PACKAGE or module.startswith(f"{PACKAGE}.")
            if ours and len(module.split(".")) <= 3:
                found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, module))
        elif isinstance(node, ast.Call) and _is_import_module(node.func) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((node.lineno, first.value))
    return sorted(found)


def _is_import_module(func: ast.expr) -> bool:
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in {"import_module", "__import__"}


@functools.cache
def domains() -> tuple[str, ...]:
    """Domain packages: the directories under ``orchestration/defs`` with an ``__init__.py``."""
    return tuple(sorted(p.parent.name for p in DEFS.glob("*/__init__.py")))


def domain_of(module: str) -> str | None:
    """The domain a dotted name belongs to (``orchestration.defs.<domain>...``), if any."""
    parts = module.split(".")
    if parts[:2] == [PACKAGE, "defs"] and len(parts) >= 3 and parts[2] in domains():
        return parts[2]
    return None


def allowed(importer_path: str, module: str) -> bool:
    """Whether the file at ``importer_path`` may import ``module`` (module docstring)."""
    if module != PACKAGE and not module.startswith(f"{PACKAGE}."):
        return True  # third-party, standard library, expectations, pii_scanners
    if module == LIB_PREFIX or module.startswith(f"{LIB_PREFIX}."):
        return True
    if importer_path in COMPOSITION_FILES:
        return True
    parts = Path(importer_path).parts
    if parts[:2] == (PACKAGE, "defs") and len(parts) > 3:
        own = parts[2]
        return own in COMPOSITION_DOMAINS or domain_of(module) == own
    if parts[0] == PACKAGE and len(parts) > 2:  # a standalone package such as sample_crm
        return module.startswith(f"{PACKAGE}.{parts[1]}.") or module == f"{PACKAGE}.{parts[1]}"
    return False


def sources() -> list[Path]:
    """Every module the rules cover: the package (roots included) and ``expectations/``."""
    files = [
        *sorted((REPO / PACKAGE).rglob("*.py")),
        *sorted((REPO / "expectations").rglob("*.py")),
    ]
    return [f for f in files if "sample_crm" not in f.parts]


def violations() -> list[Import]:
    found: set[Import] = set()
    for path in sources():
        rel = path.relative_to(REPO).as_posix()
        name = module_name(path)
        source = path.read_text(encoding="utf-8")
        for line, module in imports_of(source, name, path.name == "__init__.py"):
            if not allowed(rel, module):
                found.add(Import(rel, line, module))
    return sorted(found)


def _describe(found: list[Import]) -> str:
    return "\n".join(f"{i.path}:{i.line} imports {i.module}" for i in found)


def test_no_domain_imports_another_domain_outside_the_pending_list() -> None:
    unexpected = [i for i in violations() if (i.path, i.module) not in PENDING_EDGES]
    assert not unexpected, (
        "a module imports another domain (move the shared part to orchestration/lib):\n"
        + _describe(unexpected)
    )


def test_every_pending_edge_still_exists_so_the_list_cannot_rot() -> None:
    present = {(i.path, i.module) for i in violations()}
    gone = sorted(edge for edge in PENDING_EDGES if edge not in present)
    assert not gone, "remove these edges from PENDING_EDGES (they no longer exist):\n" + "\n".join(
        f"{path} -> {module} ({PENDING_EDGES[(path, module)]})" for path, module in gone
    )


def test_lib_expectations_and_sample_crm_import_no_domain_and_no_root() -> None:
    reaching_up = [i for i in violations() if not i.path.startswith(f"{PACKAGE}/defs/")]
    assert not reaching_up, _describe(reaching_up)


def test_every_domain_package_is_covered_by_the_scan() -> None:
    scanned = {
        p.relative_to(REPO).parts[2]
        for p in sources()
        if p.relative_to(REPO).parts[:2] == (PACKAGE, "defs") and len(p.relative_to(REPO).parts) > 3
    }
    assert scanned == set(domains()) and {"crm", "erasure", "nightly"} <= scanned


@pytest.mark.parametrize(
    ("source", "importer", "expected"),
    [
        ("import orchestration.defs.crm.assets", "orchestration.defs.dsr.x", "defs.crm.assets"),
        (
            "from orchestration.defs import crm",
            "orchestration.defs.dsr.x",
            "orchestration.defs.crm",
        ),
        ("def f():\n    from orchestration.defs.crm import loader", "m", "defs.crm.loader"),
        ("from ..crm.assets import landing_key", "orchestration.defs.dsr.x", "defs.crm.assets"),
        ("importlib.import_module('orchestration.defs.crm')", "m", "orchestration.defs.crm"),
    ],
)
def test_imports_are_found_at_any_depth_relative_or_by_name(
    source: str, importer: str, expected: str
) -> None:
    modules = [module for _, module in imports_of(source, importer)]
    assert any(m.endswith(expected) for m in modules), modules
    assert not allowed("orchestration/defs/dsr/x.py", modules[0])


def test_a_domain_may_import_lib_and_itself_but_not_the_composition_root() -> None:
    assert allowed("orchestration/defs/dsr/x.py", "orchestration.lib.warehouse")
    (_, lib), *_ = imports_of("from orchestration import lib", "orchestration.defs.dsr.x")
    assert allowed("orchestration/defs/dsr/x.py", lib)
    assert allowed("orchestration/defs/dsr/x.py", "orchestration.defs.dsr.resolve")
    assert not allowed("orchestration/defs/dsr/x.py", "orchestration.defs.resources")
    assert not allowed("orchestration/lib/x.py", "orchestration.defs.dsr.resolve")
    assert not allowed("expectations/suites/x.py", "orchestration.defs.quality.results")
    assert not allowed("orchestration/sample_crm/x.py", "orchestration.run")
    assert allowed("orchestration/sample_crm/x.py", "orchestration.sample_crm.clock")
    assert allowed("orchestration/defs/nightly/jobs.py", "orchestration.defs.reporting.on_failure")
    assert allowed("orchestration/defs/resources.py", "orchestration.defs.pii_scan.resources")
