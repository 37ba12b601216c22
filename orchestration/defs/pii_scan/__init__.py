"""Free-text scanning: what the ingest's scanner seam recorded about every free-text value."""
