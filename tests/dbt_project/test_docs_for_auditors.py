"""The dbt docs an auditor reads, and every user-facing text, speak in terms of the law.

- Every personal column of the CRM contract (``orchestration/lib/crm_schema.py``) carries
  ``config.meta.gdpr`` in the landing source and in its staging view; every governance and role
  model carries model-level ``meta.gdpr``; the personal columns intermediate models really have
  (read from the warehouse of the shared pipeline run) are documented with ``meta.gdpr``.
- The docs site opens on an overview page that explains the project, the ``meta.gdpr`` keys and
  the tags.
- No text a user or auditor sees (dbt descriptions, ``--help`` of the command lines, their
  messages) refers to internal working documents (requirement numbers, design notes, issue
  numbers, interviews); code comments and docstrings for engineers may.

Reads ``dbt_project/target/manifest.json`` as ``dbt parse`` (run at session start) wrote it.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from orchestration.lib.crm_schema import TABLES, Table
from orchestration.lib.warehouse import read_only

REPO_ROOT = Path(__file__).resolve().parents[2]
MANIFEST = REPO_ROOT / "dbt_project" / "target" / "manifest.json"
PROJECT = "crm_governance"

#: References to internal working documents that mean nothing to a DPO, auditor or operator.
INTERNAL_REFERENCE = re.compile(
    r"REQUIREMENTS|DESIGN\.md|\b[Ii]ssue \d+|\b[Ii]nterview\b|\bR[1-9]\d?\b"
)

#: Column names that hold personal data by their kind: contact data, names, addresses, dates of
#: birth, photos, amounts a person paid (Art. 4(1) GDPR).
PERSONAL_BY_NAME = re.compile(
    r"(^|_)(email|phone|street|postcode|city|birth_date|first_name|last_name|salutation"
    r"|photo_path|amount)$"
)

#: Columns of intermediate models that identify a person or a person's record, or describe the
#: person (names, contact data, address, date of birth).
INTERMEDIATE_PERSONAL = re.compile(
    r"(^|_)(data_subject_id|subject_id|person_id|customer_id|record_id|record_key|request_id"
    r"|consent_id|send_id|hold_id|finding_key|record_purpose_key|first_name|last_name"
    r"|salutation|email|phone|street|postcode|city|country|birth_date|birthday)$"
)

#: Command lines an operator runs, with every subcommand.
CLI_HELP = [
    ["orchestration.run", "--help"],
    ["orchestration.defs.erasure.cli", "--help"],
    ["orchestration.sample_crm", "--help"],
    ["orchestration.sample_crm", "gold", "--help"],
    ["pii_scanners", "--help"],
    ["pii_scanners", "scan", "--help"],
    ["pii_scanners", "evaluate", "--help"],
    ["pii_scanners", "explain", "--help"],
]

#: Modules whose string literals are messages an operator reads (docstrings aside).
CLI_MODULES = [
    "pii_scanners/cli.py",
    "orchestration/run.py",
    "orchestration/defs/erasure/cli.py",
    "orchestration/sample_crm/cli.py",
]

#: The DPO report's text catalogues (the templates take every sentence from these).
REPORT_TEXTS = [
    "orchestration/defs/reporting/texts.py",
    "orchestration/defs/reporting/texts_review.py",
    "orchestration/defs/reporting/texts_sections.py",
]


@cache
def manifest() -> dict[str, Any]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def gdpr(node: dict[str, Any]) -> dict[str, Any]:
    """``config.meta.gdpr`` of a node or column (top-level ``meta`` as dbt mirrors it)."""
    meta = (node.get("config") or {}).get("meta") or node.get("meta") or {}
    return meta.get("gdpr") or {}


def personal_columns(table: Table) -> set[str]:
    """The contract's personal columns of a CRM table.

    Keys that point to one person or their record (primary key, subject key, polymorphic
    subject id, a held record's id), the columns the scanner receives as the person's names,
    free text, and columns that are personal by their kind (contact data, names, addresses,
    date of birth, photo, amounts).
    """
    columns = set(table.column_names)
    found = {table.primary_key, *table.name_columns, *table.free_text_columns}
    found |= {table.subject_key} if table.subject_key else set()
    found |= {r.key_column for r in table.related_names}
    found |= {"subject_id", "record_id"} & columns
    found |= {c for c in columns if PERSONAL_BY_NAME.search(c)}
    return found


def contract_columns() -> list[tuple[str, str, bool]]:
    return [
        (table.name, column, column in table.free_text_columns)
        for table in TABLES
        for column in sorted(personal_columns(table))
    ]


def model(name: str) -> dict[str, Any]:
    return manifest()["nodes"][f"model.{PROJECT}.{name}"]


def models_in(layer: str) -> list[dict[str, Any]]:
    return [
        n
        for n in manifest()["nodes"].values()
        if n["resource_type"] == "model" and n["package_name"] == PROJECT and n["fqn"][1] == layer
    ]


def test_the_contract_names_personal_columns_in_every_crm_table() -> None:
    columns = contract_columns()
    assert {t for t, _, _ in columns} == {t.name for t in TABLES}
    assert ("customers", "email", False) in columns
    assert ("service_notes", "note_text", True) in columns
    assert len(columns) > 50


@pytest.mark.parametrize(("layer", "node_id"), [("source", "source"), ("staging", "model")])
def test_every_personal_column_of_the_crm_contract_carries_meta_gdpr(layer, node_id) -> None:
    missing = []
    for table, column, is_free_text in contract_columns():
        if node_id == "source":
            node = manifest()["sources"].get(f"source.{PROJECT}.crm.{table}")
        else:
            node = manifest()["nodes"].get(f"model.{PROJECT}.stg_crm__{table}")
        meta = gdpr((node or {}).get("columns", {}).get(column, {}))
        if meta.get("pii_class") in (None, "none"):
            missing.append(f"{table}.{column}: no pii_class")
        elif is_free_text and meta.get("special_category") != "possible":
            missing.append(f"{table}.{column}: free text not marked special_category possible")
    assert missing == [], f"{layer}: " + "; ".join(missing)


def test_a_source_column_and_its_staging_column_are_classified_alike() -> None:
    differ = []
    for table, column, _ in contract_columns():
        source = manifest()["sources"][f"source.{PROJECT}.crm.{table}"]["columns"][column]
        staging = model(f"stg_crm__{table}")["columns"][column]
        if gdpr(source) != gdpr(staging):
            differ.append(f"{table}.{column}")
    assert differ == []


@pytest.mark.parametrize("layer", ["marts", "roles"])
def test_every_governance_and_role_model_says_whose_personal_data_it_holds(layer) -> None:
    problems = []
    nodes = models_in(layer)
    assert len(nodes) >= 9
    for node in nodes:
        meta = gdpr(node)
        if not isinstance(meta.get("contains_personal_data"), bool):
            problems.append(f"{node['name']}: no contains_personal_data")
            continue
        if not meta.get("audience"):
            problems.append(f"{node['name']}: no audience")
        if meta["contains_personal_data"]:
            for key in ("subject_key", "subject_type_column"):
                if key in meta and meta[key] not in node["columns"]:
                    problems.append(f"{node['name']}: {key} {meta[key]} is not a column")
            if "subject_key" not in meta:
                problems.append(f"{node['name']}: personal data without subject_key")
    assert problems == []


def test_a_role_view_names_its_own_role_as_audience() -> None:
    wrong = [
        n["name"]
        for n in models_in("roles")
        if gdpr(n).get("audience") != n["name"].removeprefix("role_").split("__")[0]
    ]
    assert wrong == []


def test_every_personal_column_an_intermediate_model_has_is_documented(pipeline_run) -> None:
    with read_only(pipeline_run.warehouse_path) as con:
        rows = con.execute(
            """select table_name, column_name from duckdb_columns()
               where schema_name = 'intermediate' order by 1, column_index"""
        ).fetchall()
    personal = [(t, c) for t, c in rows if INTERMEDIATE_PERSONAL.search(c)]
    assert len(personal) > 30
    undocumented = []
    for table, column in personal:
        node = manifest()["nodes"].get(f"model.{PROJECT}.{table}")
        col = (node or {}).get("columns", {}).get(column)
        if not col or not col.get("description") or gdpr(col).get("pii_class") in (None, "none"):
            undocumented.append(f"{table}.{column}")
    assert undocumented == []


def test_the_docs_site_opens_on_an_overview_of_the_project_its_metadata_and_tags() -> None:
    overview = manifest()["docs"].get(f"doc.{PROJECT}.__overview__")
    assert overview is not None, "no {% docs __overview__ %} block"
    text = overview["block_contents"]
    used_keys = {k for n in models_in("staging") + models_in("marts") for k in gdpr(n)}
    used_keys |= {
        k
        for n in list(manifest()["nodes"].values()) + list(manifest()["sources"].values())
        for c in (n.get("columns") or {}).values()
        for k in gdpr(c)
    }
    tags = {t for n in manifest()["nodes"].values() for t in n.get("tags") or []}
    tags |= {
        t for n in manifest()["nodes"].values() for c in n["columns"].values() for t in c["tags"]
    }
    assert used_keys and tags
    assert [k for k in sorted(used_keys) if f"`{k}`" not in text] == []
    assert [t for t in sorted(tags) if f"`{t}`" not in text] == []
    for needle in ("Art. 9", "Art. 30", "role", "deletion manifest", "valid_tags"):
        assert needle in text


def _descriptions() -> list[tuple[str, str]]:
    texts = []
    for collection in ("nodes", "sources"):
        for uid, node in manifest()[collection].items():
            if node.get("package_name") != PROJECT or node["resource_type"] == "test":
                continue
            texts.append((uid, node.get("description") or ""))
            for name, column in (node.get("columns") or {}).items():
                texts.append((f"{uid}.{name}", column.get("description") or ""))
    for uid, doc in manifest()["docs"].items():
        if doc.get("package_name") == PROJECT:
            texts.append((uid, doc["block_contents"]))
    return texts


def test_no_dbt_description_an_auditor_reads_refers_to_internal_documents() -> None:
    texts = _descriptions()
    assert len(texts) > 500
    found = [(where, m.group(0)) for where, t in texts if (m := INTERNAL_REFERENCE.search(t))]
    assert found == []


@pytest.mark.parametrize("command", CLI_HELP, ids=" ".join)
def test_no_command_line_help_refers_to_internal_documents(command) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", *command], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "usage:" in proc.stdout
    assert INTERNAL_REFERENCE.findall(proc.stdout) == []


def _message_literals(path: Path) -> list[tuple[int, str]]:
    """String literals of a module except its docstrings (those are for engineers)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        scopes = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        if isinstance(node, scopes) and node.body and isinstance(node.body[0], ast.Expr):
            docstrings.add(id(node.body[0].value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


@pytest.mark.parametrize("module", CLI_MODULES)
def test_no_command_line_message_refers_to_internal_documents(module) -> None:
    literals = _message_literals(REPO_ROOT / module)
    assert literals
    assert [(line, s) for line, s in literals if INTERNAL_REFERENCE.search(s)] == []


@pytest.mark.parametrize("module", REPORT_TEXTS)
def test_no_report_text_refers_to_internal_documents(module) -> None:
    literals = _message_literals(REPO_ROOT / module)
    assert [(line, s) for line, s in literals if INTERNAL_REFERENCE.search(s)] == []


def test_no_dagster_asset_description_of_a_dbt_node_refers_to_internal_documents() -> None:
    from orchestration.lib.dbt_translator import GovernanceDbtTranslator

    translator = GovernanceDbtTranslator()
    nodes = [
        node
        for node in [*manifest()["nodes"].values(), *manifest()["sources"].values()]
        if node["resource_type"] in ("model", "seed", "snapshot", "source")
    ]
    assert len(nodes) > 50
    descriptions = {node["unique_id"]: translator.get_description(node) for node in nodes}
    found = {
        uid: m.group(0)
        for uid, text in descriptions.items()
        if (m := INTERNAL_REFERENCE.search(text))
    }
    assert found == {}
