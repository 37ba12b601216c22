{#
  Why: row-level invariants (gross = net + VAT, a withdrawal never precedes its consent) are
  cheaper to state as one SQL expression than as a test each; dbt_utils.expression_is_true would
  do it but dbt Hub packages cannot be installed offline (DESIGN.md "Scale path").
  Failing rows are counted, not returned: the rows of these models hold personal data, and test
  results (store_failures, run results) must never carry it (DESIGN.md principle 1).
#}
{% test expression_is_true(model, expression) %}

with

validation_errors as (

    select 1 as failing_row

    from {{ model }}
    where not ({{ expression }})

)

select * from validation_errors

{% endtest %}
