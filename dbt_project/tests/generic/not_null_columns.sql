{#
  Why: a staging view has a dozen required columns; one not_null test per column is one dbt node
  and one scan of the view each (134 such tests in 13 views, a large share of dbt's fixed cost, issue
  16). This test checks all of a model's required columns in one scan. The primary key keeps its
  own unique + not_null pair (DESIGN.md: every model has a primary-key test).
  It returns one row per column that has NULLs, with their count, never the rows themselves:
  they hold personal data (DESIGN.md principle 1).
#}
{% test not_null_columns(model, column_names) %}

with

null_counts as (

    select
        {% for column_name in column_names -%}
            sum(case when {{ column_name }} is null then 1 else 0 end) as nulls_{{ loop.index }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from {{ model }}

),

validation_errors as (

    {% for column_name in column_names -%}
        select
            '{{ column_name }}' as column_name,
            nulls_{{ loop.index }} as n_records
        from null_counts
        where nulls_{{ loop.index }} > 0
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from validation_errors

{% endtest %}
