{#
  Why: consent, withdrawal, objection and request timestamps are compared with the END of the
  as_of day (the exclusive bound: midnight at the start of the next day). An event stamped on the
  as_of day has happened by the time the run's result is used: a consent withdrawn on the as_of
  day is no longer valid that day (Art. 7(3) GDPR: withdrawal takes effect at once), an objection
  received that day already suppresses marketing (Art. 21(3)). Events after the as_of day are
  ignored, so a backfill of an earlier day is reproducible.
  The as_of day is a day in Europe/Berlin (dbt var legal_time_zone, see berlin_date), and the CRM
  timestamps are UTC: the bound is Berlin midnight expressed in UTC (23:00 UTC in winter, 22:00
  UTC in summer), so that "on or before the as_of day" means the same thing for a timestamp here
  as for a date derived from it with berlin_date. Computed at compile time (pytz, shipped with
  dbt) into a plain timestamp literal.
#}
{% macro as_of_cutoff() -%}
    {%- set raw = var('as_of') | string -%}
    {%- set parsed = modules.datetime.datetime.strptime(raw.strip(), '%Y-%m-%d') -%}
    {%- set next_day = parsed + modules.datetime.timedelta(days=1) -%}
    {%- set zone = modules.pytz.timezone(var('legal_time_zone', 'Europe/Berlin')) -%}
    {%- set cutoff_utc = zone.localize(next_day).astimezone(modules.pytz.utc) -%}
    cast('{{ cutoff_utc.strftime('%Y-%m-%d %H:%M:%S') }}' as timestamp)
{%- endmacro %}
