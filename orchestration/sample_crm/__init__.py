"""Deterministic sample CRM export of Santa's workshop, with planted sensitive text and labels.

``python -m orchestration.sample_crm --out DIR --customers N --seed S`` writes the CSVs of the
export contract (``orchestration/lib/crm_schema.py``), ``export.json``, ``labels.jsonl`` and
optionally ``canaries.txt``; :func:`iter_gold_notes` joins labels and CSVs into evaluation
records. Phrase templates live in ``data/phrases_<lang>.yaml``, content shares in
``data/mix.yaml``.
"""

from orchestration.sample_crm.generate import GeneratorConfig, generate_export
from orchestration.sample_crm.gold import iter_gold_notes, write_gold

__all__ = ["GeneratorConfig", "generate_export", "iter_gold_notes", "write_gold"]
