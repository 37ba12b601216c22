"""Deletion manifests (REQUIREMENTS.md R4, issue 5): what must be deleted, anonymized or restricted.

One manifest per nightly run, built in SQL from the dbt governance marts into the
``governance_ops`` schema (the full item set), and written as canonical JSON and CSV under
``data/manifests/<as_of>/`` listing what changed since the previous manifest (issue 16),
content-addressed by the sha256 of its canonical JSON. The format and how to read it is
``orchestration/lib/deletion_manifest.py``. Executing a manifest is the separate erasure job
(``orchestration.defs.erasure``).
"""
