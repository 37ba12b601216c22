-- Consent validity per consent record (Art. 6(1)(a), Art. 7, Art. 8 GDPR; §7 UWG), as of the
-- end of the as_of day. A consent is valid when it
--   * is for a known purpose and, for channel-specific purposes, for a channel listed for that
--     purpose in purpose_channels (postal advertising needs its own consent for post);
--   * is not bundled with a contract (coupling prohibition, Art. 7(4));
--   * has parental consent if the subject was under 16 on the day of consent (Art. 8(1)); the
--     16th birthday itself counts as 16 (§187 Abs. 2 BGB). Unknown birth date: wish-list senders
--     (a children's form) need parental consent, other subjects are taken as adults;
--   * is confirmed by double opt-in where purpose_channels requires it (e-mail);
--   * was granted, and not withdrawn, before the end of the as_of day (a withdrawal on the
--     as_of day ends it that day, Art. 7(3)).
-- The first failing check is the invalid_reason; every check is also a column of its own.

with

consents as (

    select * from {{ ref('stg_crm__consents') }}

),

subjects as (

    select * from {{ ref('int_data_subjects_unioned') }}

),

purposes as (

    select * from {{ ref('purposes') }}

),

purpose_channels as (

    select * from {{ ref('purpose_channels') }}

),

joined as (

    select
        consents.consent_id,
        {{ dbt.concat(["consents.subject_type", "':'", "consents.subject_id"]) }}
            as data_subject_id,
        consents.subject_type,
        consents.subject_id,
        coalesce(
            subjects.person_id,
            {{ dbt.concat(["consents.subject_type", "':'", "consents.subject_id"]) }}
        ) as person_id,
        consents.purpose_id,
        consents.channel,
        consents.granted_at,
        consents.confirmed_at,
        consents.withdrawn_at,
        consents.has_parental_consent,
        consents.is_bundled_with_contract,
        consents.consent_source,
        consents.consent_text_version,
        subjects.birth_date as subject_birth_date,
        purposes.purpose_id is not null as is_known_purpose,
        coalesce(purposes.is_channel_specific, false) as is_channel_specific,
        purpose_channels.purpose_id is not null as is_channel_listed,
        coalesce(purpose_channels.requires_double_opt_in, false) as requires_double_opt_in,
        consents.source_system,
        consents.export_id

    from consents
    left join subjects
        on
            consents.subject_type = subjects.subject_type
            and consents.subject_id = subjects.subject_id
    left join purposes
        on consents.purpose_id = purposes.purpose_id
    left join purpose_channels
        on
            consents.purpose_id = purpose_channels.purpose_id
            and consents.channel = purpose_channels.channel

),

checked as (

    select
        *,
        {{ age_reached_date('subject_birth_date', 16) }} as subject_sixteenth_birthday,
        case
            when subject_birth_date is null then subject_type = 'wishlist_sender'
            else {{ berlin_date('granted_at') }} < {{ age_reached_date('subject_birth_date', 16) }}
        end as is_under_16_at_consent,
        not is_channel_specific or is_channel_listed as is_channel_allowed,
        granted_at < {{ as_of_cutoff() }} as is_granted,
        coalesce(
            confirmed_at >= granted_at and confirmed_at < {{ as_of_cutoff() }}, false
        ) as is_double_opt_in_confirmed,
        coalesce(withdrawn_at < {{ as_of_cutoff() }}, false) as is_withdrawn,
        coalesce(withdrawn_at < granted_at, false) as has_implausible_timestamps

    from joined

),

reasoned as (

    select
        *,
        case
            when not is_known_purpose then 'unknown_purpose'
            when not is_channel_allowed then 'channel_not_allowed'
            when is_bundled_with_contract then 'bundled_with_contract'
            when has_implausible_timestamps then 'implausible_timestamps'
            when is_under_16_at_consent and not has_parental_consent
                then 'parental_consent_missing'
            when requires_double_opt_in and not is_double_opt_in_confirmed
                then 'double_opt_in_not_confirmed'
        end as defect_reason

    from checked

),

final as (

    select
        consent_id,
        data_subject_id,
        subject_type,
        subject_id,
        person_id,
        purpose_id,
        channel,
        granted_at,
        confirmed_at,
        withdrawn_at,
        has_parental_consent,
        is_bundled_with_contract,
        consent_source,
        consent_text_version,
        subject_birth_date,
        subject_sixteenth_birthday,
        is_under_16_at_consent,
        is_known_purpose,
        is_channel_allowed,
        requires_double_opt_in,
        is_double_opt_in_confirmed,
        is_granted,
        is_withdrawn,
        source_system,
        export_id,
        case
            when not is_granted then 'not_yet_granted'
            when defect_reason is not null then 'invalid'
            when is_withdrawn then 'withdrawn'
            else 'valid'
        end as consent_status,
        case
            when not is_granted then 'not_yet_granted'
            when defect_reason is not null then defect_reason
            when is_withdrawn then 'withdrawn'
        end as invalid_reason,
        is_granted and defect_reason is null and not is_withdrawn as is_valid,
        -- The moment from which the consent covered processing: for a double opt-in the
        -- confirmation, otherwise the grant. NULL if it never became valid.
        case
            when defect_reason is null and requires_double_opt_in then confirmed_at
            when defect_reason is null then granted_at
        end as effective_from_at,
        -- The day the consent ended (withdrawal; for a consent that never became valid, the
        -- day it was given). Its proof is kept from then (rule consent_evidence_3y).
        case
            when not is_granted then null
            when defect_reason is not null then {{ berlin_date('granted_at') }}
            when is_withdrawn then {{ berlin_date('withdrawn_at') }}
        end as consent_end_date

    from reasoned

)

select * from final
