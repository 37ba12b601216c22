{{ config(alias='processing_activities') }}

-- Non-personal overview (aggregates and policy), open to engineering.

with

processing_activities as (

    select * from {{ ref('processing_activities') }}

),

final as (

    select
        purpose_id,
        purpose_name_de,
        purpose_name_en,
        description,
        legal_basis_id,
        legal_basis_article,
        legal_basis_name_de,
        legal_reference,
        is_advertising,
        requires_consent,
        data_subject_categories,
        personal_data_classes,
        may_contain_special_categories,
        record_types,
        source_tables,
        record_count,
        retention_rules,
        recipient_roles,
        as_of_date

    from processing_activities

)

select * from final
