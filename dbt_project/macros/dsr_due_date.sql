{#
  Why: Art. 12(3) GDPR gives one month from receipt to answer a data-subject request, extendable
  "by two further months". Periods in months follow Regulation (EEC, Euratom) No 1182/71
  (Art. 3(2)(c)): they end on the same date of the later month, or on the month's last day if
  that date does not exist (received 31 January -> due 28/29 February). An extension is read as
  a period of three months from receipt. Months come from the request_types seed.
#}
{% macro dsr_due_date(received_date, months) -%}
    cast({{ dbt.dateadd('month', months, received_date) }} as date)
{%- endmacro %}
