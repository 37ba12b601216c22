{{ config(alias='role_access_report') }}

-- Non-personal overview (aggregates and policy), open to engineering.

with

role_access_report as (

    select * from {{ ref('role_access_report') }}

),

final as (

    select
        role_access_key,
        role_id,
        schema_name,
        data_class,
        is_allowed,
        exposed_column_count,
        exposed_columns,
        is_compliant,
        legal_reference,
        description

    from role_access_report

)

select * from final
