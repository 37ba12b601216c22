{#
  Why: consent, withdrawal, objection and request timestamps are compared with the END of the
  as_of day (the exclusive bound as_of + 1 day, 00:00 UTC). An event stamped on the as_of day
  has happened by the time the run's result is used: a consent withdrawn on the as_of day is no
  longer valid that day (Art. 7(3) GDPR: withdrawal takes effect at once), an objection received
  that day already suppresses marketing (Art. 21(3)). Events after the as_of day are ignored,
  so a backfill of an earlier day is reproducible.
#}
{% macro as_of_cutoff() -%}
    {%- set raw = var('as_of') | string -%}
    {%- set parsed = modules.datetime.datetime.strptime(raw.strip(), '%Y-%m-%d') -%}
    {%- set next_day = parsed + modules.datetime.timedelta(days=1) -%}
    cast('{{ next_day.strftime('%Y-%m-%d') }} 00:00:00' as timestamp)
{%- endmacro %}
