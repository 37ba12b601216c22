{#
  Why: every governance model evaluates "as of" one reference date, the dbt var `as_of` that
  Dagster passes on each run (DESIGN.md principle 4: no model reads the wall clock, so a rerun
  of a past day gives the same result). The var is validated here once: a malformed date must
  fail the compile loudly instead of silently comparing strings.
#}
{% macro as_of_date() -%}
    {%- set raw = var('as_of') | string -%}
    {%- set parsed = modules.datetime.datetime.strptime(raw.strip(), '%Y-%m-%d') -%}
    cast('{{ parsed.strftime('%Y-%m-%d') }}' as date)
{%- endmacro %}
