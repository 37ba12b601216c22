{{ config(alias='role_access_report') }}

-- The DPO monitors compliance (Art. 39(1)(b) GDPR) and sees the whole governance mart.

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
