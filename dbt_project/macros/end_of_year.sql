{#
  Why: the commercial and tax retention periods (§147 Abs. 4 AO, §257 Abs. 5 HGB) and the
  regular limitation period (§199 Abs. 1 BGB) start at the end of the calendar year of the
  triggering event, not on the event's day. dbt's cross-database last_day keeps this portable.
#}
{% macro end_of_year(date_expression) -%}
    cast({{ dbt.last_day(date_expression, 'year') }} as date)
{%- endmacro %}
