{{ config(alias='data_subjects') }}

-- The DPO monitors compliance (Art. 39(1)(b) GDPR) and sees the whole governance mart.

with

data_subjects as (

    select * from {{ ref('data_subjects') }}

),

final as (

    select
        data_subject_id,
        subject_type,
        subject_id,
        person_id,
        linked_customer_id,
        salutation,
        first_name,
        last_name,
        email,
        phone,
        company_name,
        birth_date,
        is_under_16,
        street,
        postcode,
        city,
        country,
        preferred_language,
        source_channel,
        source_system,
        export_id,
        source_file,
        first_seen_at,
        last_changed_at,
        loaded_at,
        master_record_key,
        retention_status,
        status_reason,
        rule_id,
        deadline,
        has_marketing_objection,
        is_excluded_from_profiling,
        first_objection_at,
        open_request_count,
        overdue_request_count,
        special_category_finding_count,
        as_of_date

    from data_subjects

)

select * from final
