{#
  Why: an executed erasure (Art. 17 GDPR) deletes a parent record while children kept for their
  own reasons stay, e.g. an invoice under statutory retention (§147 AO) whose order was erased.
  Those children are not data-quality errors. The erasure records what it executed:
  governance_ops.erasure_runs names each executed manifest and governance_ops.deletion_manifest_items
  lists the manifest's items. This returns the ids of `record_table` records deleted by an
  executed erasure, or an empty set when no erasure ever ran (the tables do not exist yet).
  Ids only, never other columns.
#}
{% macro erased_record_ids(record_table) %}
    {%- set runs = none -%}
    {%- set items = none -%}
    {%- if execute -%}
        {%- set runs = adapter.get_relation(
            database=target.database, schema='governance_ops', identifier='erasure_runs') -%}
        {%- set items = adapter.get_relation(
            database=target.database, schema='governance_ops',
            identifier='deletion_manifest_items') -%}
    {%- endif -%}
    {%- if runs is not none and items is not none -%}
        select items.record_id
        from {{ items }} as items
        where
            items.action = 'delete'
            and items.record_table = '{{ record_table }}'
            and items.manifest_id in (select runs.manifest_id from {{ runs }} as runs)
    {%- else -%}
        select cast(null as {{ dbt.type_string() }}) as record_id
        where 1 = 0
    {%- endif -%}
{% endmacro %}
