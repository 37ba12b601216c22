"""Erasure that provably deletes (REQUIREMENTS.md R4, issue 5; DESIGN.md principle 2).

An explicit job applies a deletion manifest to every warehouse table that holds the data, copies
the database to a fresh file so the old bytes are gone, verifies that no erased key remains and
appends what it did to a hash-chained audit log. Never part of the nightly job (group
``erasure``).
"""
