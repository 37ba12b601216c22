{{ config(post_hook="{{ insert_gdpr_tag_rows(this) }}") }}

-- The GDPR metadata of every model, seed and source of the project as rows, read from the dbt
-- graph at run time: one row per node, column and metadata value (column_name is NULL for
-- model-level metadata). The SELECT below only creates the typed, empty table; the post-hook
-- (macro insert_gdpr_tag_rows, rows from macro gdpr_tag_rows) fills it. Feeds the valid_tags
-- check (assert_gdpr_tags_are_valid), the Art. 30 record (processing_activities) and the role
-- access report. Rebuilt on every run, so it always matches the YAML of that run.

with

empty_table as (

    select
        cast(null as {{ dbt.type_string() }}) as gdpr_tag_key,
        cast(null as {{ dbt.type_string() }}) as node_unique_id,
        cast(null as {{ dbt.type_string() }}) as resource_type,
        cast(null as {{ dbt.type_string() }}) as node_name,
        cast(null as {{ dbt.type_string() }}) as layer,
        cast(null as {{ dbt.type_string() }}) as schema_name,
        cast(null as {{ dbt.type_string() }}) as column_name,
        cast(null as {{ dbt.type_string() }}) as tag_type,
        cast(null as {{ dbt.type_string() }}) as tag_value

)

select * from empty_table
where 1 = 0
