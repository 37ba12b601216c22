{#
  Why: two staging models (quarantined rows, free-text scan statuses) have no single-column key;
  their primary key is a combination of columns. dbt_utils has this test, but dbt Hub packages
  cannot be installed offline (DESIGN.md "Scale path"), so this is the small portable version.
  Failing rows return only the key columns and a count, never other (possibly personal) columns.
  NULLs in a key part count as equal (GROUP BY semantics), so a nullable part still catches
  duplicates.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

{%- set columns_csv = combination_of_columns | join(', ') %}

with

validation_errors as (

    select
        {{ columns_csv }},
        count(*) as n_records

    from {{ model }}
    group by {{ columns_csv }}
    having count(*) > 1

)

select * from validation_errors

{% endtest %}
