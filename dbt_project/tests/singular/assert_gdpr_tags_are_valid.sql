{{ config(meta={'dagster': {'ref': {'name': 'int_gdpr_tags_collected'}}}) }}

-- Every GDPR metadata value in the project (config.meta.gdpr of models, seeds, sources and their
-- columns: pii_class, special_category, purpose, retention_rule; and the column tags) is one of
-- the allowed values in the valid_tags seed, and every column of a mart or role view is
-- classified (pii_class set, `none` for assessed non-personal columns). Returns the offending
-- node, column and value (metadata only, never data).

with

tags as (

    select * from {{ ref('int_gdpr_tags_collected') }}

),

valid_tags as (

    select * from {{ ref('valid_tags') }}

),

final as (

    select
        tags.node_unique_id,
        tags.column_name,
        tags.tag_type,
        tags.tag_value,
        case
            when tags.tag_value is null then 'column is not classified (no pii_class)'
            else 'value not in valid_tags'
        end as problem

    from tags
    left join valid_tags
        on
            tags.tag_type = valid_tags.tag_type
            and tags.tag_value = valid_tags.tag_value
    where valid_tags.tag_value is null

)

select * from final
