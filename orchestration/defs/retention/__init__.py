"""Deletion manifests (REQUIREMENTS.md R4, issue 5): what must be deleted, anonymized or restricted.

One manifest per nightly run, built from the dbt governance marts, written as canonical JSON and
CSV under ``data/manifests/<as_of>/`` and into the ``governance_ops`` schema, content-addressed by
the sha256 of its canonical JSON. Executing a manifest is the separate erasure job
(``orchestration.defs.erasure``).
"""
