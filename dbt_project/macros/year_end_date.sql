{#
  Why: a wish-list season is stored as a year number (season_year); its retention counts from
  31 December of that year. Built from portable pieces (dbt.concat, dbt.cast, dbt.type_string)
  so the model can move to another adapter.
#}
{% macro year_end_date(year_expression) -%}
    cast({{ dbt.concat([dbt.cast(year_expression, dbt.type_string()), "'-12-31'"]) }} as date)
{%- endmacro %}
