{#
  Why: dbt's `relationships` test, except that a child whose parent was deleted by one of our own
  executed erasures (macro erased_record_ids) is expected, not an orphan: erasure deletes a parent
  while children kept under their own retention rule stay (Art. 17(3)(b) GDPR, §147 AO). A child
  pointing at a parent that was never erased still fails (or warns). `record_table` is the CRM
  table of the parent as the deletion manifest names it; by default the parent model's name
  without the `stg_crm__` prefix. The `where` config filters the children as in `relationships`.
  Failing rows return the dangling key only.
#}
{% test relationships_after_erasure(model, column_name, to, field, record_table=none) %}

{%- set parent_table = record_table or (to.identifier | replace('stg_crm__', '')) %}

with

child as (

    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null

),

parent as (

    select {{ field }} as to_field
    from {{ to }}

),

erased_parents as (

    {{ erased_record_ids(parent_table) }}

),

orphans as (

    select child.from_field
    from child
    left join parent
        on child.from_field = parent.to_field
    where
        parent.to_field is null
        and child.from_field not in (select erased_parents.record_id from erased_parents)

)

select * from orphans

{% endtest %}
