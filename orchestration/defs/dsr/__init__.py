"""Data-subject access and portability (Art. 15, Art. 20 GDPR; REQUIREMENTS.md R4, issue 5).

A job launched from the Dagster UI with a subject identifier exports everything the warehouse
holds about that person, from every table, with provenance, purposes, legal bases, retention
deadlines, consent history and recipients, as JSON and CSV in one folder plus a zip.
"""
