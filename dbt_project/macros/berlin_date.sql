{#
  Why: the CRM stores timestamps in UTC, but the legal day is the calendar day where the
  controller acts, Europe/Berlin (a period counted in days, months or years starts with the day of
  the event, §187 BGB, Art. 3 Regulation 1182/71, and that day is the local one). An order placed
  on 31 December at 23:30 UTC was placed on 1 January in Berlin, so a period that runs to the end
  of the calendar year moves a whole year. Every date derived from a CRM timestamp goes through
  this macro. The zone is the dbt var legal_time_zone (default Europe/Berlin); DuckDB's ICU
  extension, built into the duckdb wheel, knows the daylight-saving rules without any download.
#}
{% macro berlin_date(timestamp_expression) -%}
    cast(
        (cast({{ timestamp_expression }} as timestamp) at time zone 'UTC')
        at time zone '{{ var("legal_time_zone", "Europe/Berlin") }}'
        as date
    )
{%- endmacro %}
