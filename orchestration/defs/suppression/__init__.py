"""The suppression assets: objections listed and matched after every ingest, list retention.

The list itself, its identifiers and the request evidence log are shared with erasure and
ingest, so they live in ``orchestration.lib.suppression_list``.
"""
