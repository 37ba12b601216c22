{{ config(meta={'dagster': {'ref': {'name': 'role_access_report'}}}) }}

-- Art. 25(2) GDPR, privacy by default: no role view exposes a data class (pii_class, or
-- special_category 'possible') that the role_access seed does not allow for the role whose schema
-- it lives in; and every role view lives in the schema of a role listed in role_access.
-- Marketing therefore never sees birth dates, free text, photos or special categories.

with

report as (

    select * from {{ ref('role_access_report') }}

),

tags as (

    select * from {{ ref('int_gdpr_tags_collected') }}

),

role_access as (

    select * from {{ ref('role_access') }}

),

forbidden_exposures as (

    select
        role_id,
        data_class,
        exposed_columns as detail

    from report
    where not is_compliant

),

views_outside_role_schemas as (

    select distinct
        'unknown role' as role_id,
        tags.schema_name as data_class,
        tags.node_unique_id as detail

    from tags
    where
        tags.layer = 'roles'
        and tags.schema_name not in (select role_access.schema_name from role_access)

),

final as (

    select * from forbidden_exposures
    union all
    select * from views_outside_role_schemas

)

select * from final
