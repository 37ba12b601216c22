{#
  Why: one place computes a retention deadline from a rule row of the retention_rules seed, so
  operators change periods in the seed, never in SQL. The deadline is the LAST day on which the
  record may (or must) still be kept: a period of N months counted from an event ends at the end
  of the day N months later (§188 Abs. 2 BGB; §108 Abs. 1 AO applies the BGB rules), and a period
  that runs to the end of the calendar year starts on 31 December of the event's year
  (§147 Abs. 4 AO, §257 Abs. 5 HGB, §199 Abs. 1 BGB). A record is expired when as_of > deadline.
  Month arithmetic clamps to the month's last day (31 January + 1 month = 28/29 February).
  A missing event date (e.g. a consent not yet withdrawn) gives a NULL deadline: the period has
  not started, the record is kept open-ended.
#}
{% macro retention_deadline(event_date, period_months, runs_to_end_of_year) -%}
    case
        when {{ runs_to_end_of_year }}
            then cast({{ dbt.dateadd('month', period_months, end_of_year(event_date)) }} as date)
        else cast({{ dbt.dateadd('month', period_months, event_date) }} as date)
    end
{%- endmacro %}
