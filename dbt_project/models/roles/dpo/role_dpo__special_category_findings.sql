{{ config(alias='special_category_findings') }}

-- The DPO monitors compliance (Art. 39(1)(b) GDPR) and sees the whole governance mart.

with

special_category_findings as (

    select * from {{ ref('special_category_findings') }}

),

final as (

    select
        special_category_finding_key,
        data_subject_id,
        person_id,
        subject_type,
        record_table,
        column_name,
        entity_type,
        gdpr_article,
        category_name_de,
        category_name_en,
        finding_count,
        record_count,
        max_score,
        first_found_at,
        last_found_at,
        scanner_versions,
        as_of_date

    from special_category_findings

)

select * from final
