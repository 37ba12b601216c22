-- What marketing may use, per data subject, advertising purpose and channel (purpose_channels
-- of purposes with is_advertising), as of the end of the as_of day, and nothing more: no
-- birth dates, no free text, no special categories, no contact data (the role view
-- role_marketing.marketing_audiences adds only the contact datum of the eligible channel).
-- Eligible when the subject's master record is active, the person has not objected
-- (Art. 21(3): an objection always wins, also after a consent), a valid consent for exactly this
-- purpose and channel exists (int_consents_validated: double opt-in, withdrawal, Art. 8, coupling),
-- and the contact datum for the channel is on file. An objection also counts when only the
-- suppression list still knows it (the subject's id, or for its own channel the e-mail or phone,
-- matches a listed objection, source suppression.suppression_matches): the request record may
-- be long deleted.

with

subjects as (

    select * from {{ ref('int_data_subjects_unioned') }}

),

records as (

    select * from {{ ref('int_records_retention_evaluated') }}

),

consents as (

    select * from {{ ref('int_consents_validated') }}

),

objections as (

    select * from {{ ref('int_objections_registered') }}

),

-- a listed objection matched by the subject's id blocks every channel; matched by an e-mail
-- address or a phone number (shared by families and households) only that channel

listed_objections as (

    select
        {{ dbt.concat(["subject_type", "':'", "subject_id"]) }} as data_subject_id,
        max(case when matched_on = 'subject_id' then 1 else 0 end) = 1 as blocks_every_channel,
        max(case when matched_on = 'email' then 1 else 0 end) = 1 as blocks_email,
        max(case when matched_on = 'phone' then 1 else 0 end) = 1 as blocks_phone
    from {{ source('suppression', 'suppression_matches') }}
    where kind = 'objection'
    group by subject_type, subject_id

),

purposes as (

    select * from {{ ref('purposes') }}

),

purpose_channels as (

    select * from {{ ref('purpose_channels') }}

),

advertising_channels as (

    select
        purpose_channels.purpose_id,
        purpose_channels.channel

    from purpose_channels
    inner join purposes
        on purpose_channels.purpose_id = purposes.purpose_id
    where purposes.is_advertising

),

master_records as (

    select
        data_subject_id,
        retention_status

    from records
    where record_type in (
        'customer', 'prospect', 'partner_contact',
        'wishlist_submission', 'wishlist_submission_ordered'
    )

),

ranked_consents as (

    select
        data_subject_id,
        purpose_id,
        channel,
        consent_id,
        is_valid,
        consent_status,
        invalid_reason,
        effective_from_at,
        row_number() over (
            partition by data_subject_id, purpose_id, channel
            order by case when is_valid then 0 else 1 end, granted_at desc, consent_id asc
        ) as consent_rank

    from consents

),

best_consents as (

    select * from ranked_consents
    where consent_rank = 1

),

grid as (

    select
        subjects.data_subject_id,
        subjects.person_id,
        subjects.subject_type,
        advertising_channels.purpose_id,
        advertising_channels.channel,
        case advertising_channels.channel
            when 'email' then coalesce(trim(subjects.email) != '', false)
            when 'phone' then coalesce(trim(subjects.phone) != '', false)
            when 'post'
                then coalesce(trim(subjects.street) != '' and trim(subjects.city) != '', false)
            else false
        end as has_contact_data

    from subjects
    cross join advertising_channels

),

joined as (

    select
        grid.*,
        best_consents.consent_id,
        best_consents.consent_status,
        best_consents.invalid_reason as consent_invalid_reason,
        coalesce(master_records.retention_status, 'unknown') as subject_retention_status,
        (
            objections.person_id is not null
            or coalesce(
                listed_objections.blocks_every_channel
                or (grid.channel = 'email' and listed_objections.blocks_email)
                or (grid.channel = 'phone' and listed_objections.blocks_phone),
                false
            )
        ) as has_objection,
        coalesce(best_consents.is_valid, false) as has_valid_consent,
        case when best_consents.is_valid then best_consents.effective_from_at end
            as consent_effective_from_at

    from grid
    left join master_records
        on grid.data_subject_id = master_records.data_subject_id
    left join objections
        on grid.person_id = objections.person_id
    left join listed_objections
        on grid.data_subject_id = listed_objections.data_subject_id
    left join best_consents
        on
            grid.data_subject_id = best_consents.data_subject_id
            and grid.purpose_id = best_consents.purpose_id
            and grid.channel = best_consents.channel

),

reasoned as (

    select
        *,
        case
            when subject_retention_status != 'active'
                then {{ dbt.concat(["'subject_'", "subject_retention_status"]) }}
            when has_objection then 'objection'
            when consent_id is null then 'no_consent'
            when
                not has_valid_consent
                then {{ dbt.concat(["'consent_'", "consent_invalid_reason"]) }}
            when not has_contact_data then 'no_contact_data'
        end as ineligibility_reason

    from joined

),

final as (

    select
        {{ dbt.concat(["data_subject_id", "'|'", "purpose_id", "'|'", "channel"]) }}
            as marketing_eligibility_key,
        data_subject_id,
        person_id,
        subject_type,
        purpose_id,
        channel,
        ineligibility_reason is null as is_eligible,
        ineligibility_reason,
        consent_id,
        consent_status,
        consent_effective_from_at,
        has_valid_consent,
        has_objection,
        has_contact_data,
        subject_retention_status,
        {{ as_of_date() }} as as_of_date

    from reasoned

)

select * from final
