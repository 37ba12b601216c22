"""CRM ingest: one asset per exported table into the DuckDB schema ``landing``."""
