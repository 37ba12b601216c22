"""Great Expectations suites run as Dagster asset checks, with results kept per run."""
