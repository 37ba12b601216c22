"""What must be remembered after an erasure: the suppression list and the request evidence log.

An erased or objecting person must stay erased (or unmarketed) when the CRM delivers their data
again, and the handling of their requests must stay provable (Art. 5(2), §195 BGB) without
their name or contact data. Both are kept as keyed hashes in ``governance_ops``, which ingest
never replaces and erasure never touches.

Why in ``lib``: three domains share these tables. Erasure writes the erased subjects in its own
deletion transaction (``erased.py``), the suppression assets write objections and apply the
retention, ingest reads the list to keep re-delivered rows out. Like the audit log, the list is
a contract between domains, not one domain's internals.
"""
