"""The dbt project as Dagster assets; dbt tests appear as asset checks."""
