{{ config(alias='marketing_eligibilities') }}

-- The DPO monitors compliance (Art. 39(1)(b) GDPR) and sees the whole governance mart.

with

marketing_eligibilities as (

    select * from {{ ref('marketing_eligibilities') }}

),

final as (

    select
        marketing_eligibility_key,
        data_subject_id,
        person_id,
        subject_type,
        purpose_id,
        channel,
        is_eligible,
        ineligibility_reason,
        consent_id,
        consent_status,
        consent_effective_from_at,
        has_valid_consent,
        has_objection,
        has_contact_data,
        subject_retention_status,
        as_of_date

    from marketing_eligibilities

)

select * from final
