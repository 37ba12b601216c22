{{ config(meta={'dagster': {'ref': {'name': 'valid_tags'}}}) }}

-- The purpose and retention-rule values allowed in column metadata (valid_tags) are exactly the
-- ids of the purposes and retention_rules seeds, so a tag always points to a purpose with a legal
-- basis and to a rule with a legal reference, and no policy row is missing from the vocabulary.

with

valid_tags as (

    select * from {{ ref('valid_tags') }}

),

purposes as (

    select * from {{ ref('purposes') }}

),

retention_rules as (

    select * from {{ ref('retention_rules') }}

),

policy_ids as (

    select
        'purpose' as tag_type,
        purpose_id as tag_value
    from purposes

    union

    select
        'retention_rule' as tag_type,
        rule_id as tag_value
    from retention_rules

),

tagged_ids as (

    select
        tag_type,
        tag_value
    from valid_tags
    where tag_type in ('purpose', 'retention_rule')

),

final as (

    select
        coalesce(policy_ids.tag_type, tagged_ids.tag_type) as tag_type,
        coalesce(policy_ids.tag_value, tagged_ids.tag_value) as tag_value,
        case
            when tagged_ids.tag_value is null then 'policy id missing from valid_tags'
            else 'valid_tags value without a policy row'
        end as problem

    from policy_ids
    full outer join tagged_ids
        on
            policy_ids.tag_type = tagged_ids.tag_type
            and policy_ids.tag_value = tagged_ids.tag_value
    where policy_ids.tag_value is null or tagged_ids.tag_value is null

)

select * from final
