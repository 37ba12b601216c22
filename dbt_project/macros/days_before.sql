{#
  Why: "the day before" an event is needed where a period ends with the last day on which
  something was still valid (a customer photo may be kept up to the day before its consent was
  withdrawn). A named macro keeps the cast-around-dateadd out of the models.
#}
{% macro days_before(date_expression, days) -%}
    cast({{ dbt.dateadd('day', -days, date_expression) }} as date)
{%- endmacro %}
