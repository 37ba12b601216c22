{{ config(alias='consent_coverages') }}

-- Consent coverage counts per purpose, channel and kind of subject; no personal data.

with

consent_coverages as (

    select * from {{ ref('consent_coverages') }}

),

final as (

    select
        consent_coverage_key,
        purpose_id,
        channel,
        subject_type,
        subjects_total,
        subjects_with_consent_record,
        subjects_with_valid_consent,
        subjects_eligible,
        subjects_with_objection,
        valid_consent_share,
        consents_total,
        consents_valid,
        consents_withdrawn,
        consents_without_double_opt_in,
        consents_without_parental_consent,
        consents_bundled_with_contract,
        consents_for_wrong_channel,
        consents_otherwise_invalid,
        sends_total,
        sends_without_valid_consent,
        sends_after_objection,
        as_of_date

    from consent_coverages

)

select * from final
