{#
  Why: Art. 8 Abs. 1 DSGVO requires parental consent for a child below 16 (Germany did not use
  the opening clause to lower the age). Whether someone was 16 on the day of consent is a date question
  with a legal answer: the day of birth counts as a full day (§187 Abs. 2 Satz 2 BGB), so a person
  is N years old from the start of their N-th birthday; someone born on 29 February becomes N on
  1 March in non-leap years (§188 Abs. 2, 3 BGB). Adding N years to (birth date - 1 day) and then
  1 day gives exactly that, with portable date arithmetic.
#}
{% macro age_reached_date(birth_date, years) -%}
    cast(
        {{ dbt.dateadd(
            'day', 1,
            dbt.dateadd('year', years, dbt.dateadd('day', -1, birth_date))
        ) }}
        as date
    )
{%- endmacro %}
