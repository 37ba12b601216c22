"""Presidio recognizers: one class per entity family (PII here, Art. 9 in special_category/)."""
