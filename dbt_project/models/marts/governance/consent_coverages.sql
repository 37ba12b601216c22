-- Consent coverage per consent purpose, channel and kind of data subject (REQUIREMENTS R6:
-- consent coverage by purpose/channel): how many subjects have a consent record, a valid consent,
-- and may be contacted; why consents are invalid; and how many marketing sends had no valid
-- consent at the moment they went out (REQUIREMENTS R5). Purposes that are not channel-specific
-- (customer photos) appear once with channel 'any'. Counts only, no personal data.

with

consents as (

    select * from {{ ref('int_consents_validated') }}

),

subjects as (

    select * from {{ ref('int_data_subjects_unioned') }}

),

eligibilities as (

    select * from {{ ref('marketing_eligibilities') }}

),

sends as (

    select * from {{ ref('int_marketing_sends_validated') }}

),

purposes as (

    select * from {{ ref('purposes') }}

),

purpose_channels as (

    select * from {{ ref('purpose_channels') }}

),

record_types as (

    select * from {{ ref('record_types') }}

),

consent_channels as (

    select
        purpose_id,
        channel

    from purpose_channels

    union all

    select
        purpose_id,
        'any' as channel

    from purposes
    where
        requires_consent
        and not is_channel_specific

),

subject_types as (

    select distinct subject_type
    from record_types
    where subject_type is not null

),

grid as (

    select
        consent_channels.purpose_id,
        consent_channels.channel,
        subject_types.subject_type

    from consent_channels
    cross join subject_types

),

consents_scoped as (

    select
        consents.*,
        case
            when purposes.is_channel_specific then consents.channel
            else 'any'
        end as coverage_channel

    from consents
    inner join purposes
        on consents.purpose_id = purposes.purpose_id
    where consents.is_granted

),

consent_counts as (

    select
        purpose_id,
        coverage_channel as channel,
        subject_type,
        count(*) as consents_total,
        count(case when is_valid then 1 end) as consents_valid,
        count(case when invalid_reason = 'withdrawn' then 1 end) as consents_withdrawn,
        count(case when invalid_reason = 'double_opt_in_not_confirmed' then 1 end)
            as consents_without_double_opt_in,
        count(case when invalid_reason = 'parental_consent_missing' then 1 end)
            as consents_without_parental_consent,
        count(case when invalid_reason = 'bundled_with_contract' then 1 end)
            as consents_bundled_with_contract,
        count(case when invalid_reason = 'channel_not_allowed' then 1 end)
            as consents_for_wrong_channel,
        count(
            case
                when
                    invalid_reason in ('unknown_purpose', 'implausible_timestamps')
                    then 1
            end
        ) as consents_otherwise_invalid,
        count(distinct data_subject_id) as subjects_with_consent_record,
        count(distinct case when is_valid then data_subject_id end)
            as subjects_with_valid_consent

    from consents_scoped
    group by purpose_id, coverage_channel, subject_type

),

subject_counts as (

    select
        subject_type,
        count(*) as subjects_total

    from subjects
    group by subject_type

),

eligibility_counts as (

    select
        purpose_id,
        channel,
        subject_type,
        count(case when is_eligible then 1 end) as subjects_eligible,
        count(case when has_objection then 1 end) as subjects_with_objection

    from eligibilities
    group by purpose_id, channel, subject_type

),

send_counts as (

    select
        purpose_id,
        channel,
        subject_type,
        count(*) as sends_total,
        count(case when not has_valid_consent_at_send then 1 end)
            as sends_without_valid_consent,
        count(case when is_sent_after_objection then 1 end) as sends_after_objection

    from sends
    where sent_at < {{ as_of_cutoff() }}
    group by purpose_id, channel, subject_type

),

final as (

    select
        {{ dbt.concat(["grid.purpose_id", "'|'", "grid.channel", "'|'", "grid.subject_type"]) }}
            as consent_coverage_key,
        grid.purpose_id,
        grid.channel,
        grid.subject_type,
        coalesce(subject_counts.subjects_total, 0) as subjects_total,
        coalesce(consent_counts.subjects_with_consent_record, 0) as subjects_with_consent_record,
        coalesce(consent_counts.subjects_with_valid_consent, 0) as subjects_with_valid_consent,
        eligibility_counts.subjects_eligible,
        eligibility_counts.subjects_with_objection,
        case
            when coalesce(subject_counts.subjects_total, 0) > 0
                then
                    cast(
                        coalesce(consent_counts.subjects_with_valid_consent, 0) as double precision
                    )
                    / subject_counts.subjects_total
        end as valid_consent_share,
        coalesce(consent_counts.consents_total, 0) as consents_total,
        coalesce(consent_counts.consents_valid, 0) as consents_valid,
        coalesce(consent_counts.consents_withdrawn, 0) as consents_withdrawn,
        coalesce(consent_counts.consents_without_double_opt_in, 0)
            as consents_without_double_opt_in,
        coalesce(consent_counts.consents_without_parental_consent, 0)
            as consents_without_parental_consent,
        coalesce(consent_counts.consents_bundled_with_contract, 0)
            as consents_bundled_with_contract,
        coalesce(consent_counts.consents_for_wrong_channel, 0) as consents_for_wrong_channel,
        coalesce(consent_counts.consents_otherwise_invalid, 0) as consents_otherwise_invalid,
        coalesce(send_counts.sends_total, 0) as sends_total,
        coalesce(send_counts.sends_without_valid_consent, 0) as sends_without_valid_consent,
        coalesce(send_counts.sends_after_objection, 0) as sends_after_objection,
        {{ as_of_date() }} as as_of_date

    from grid
    left join subject_counts
        on grid.subject_type = subject_counts.subject_type
    left join consent_counts
        on
            grid.purpose_id = consent_counts.purpose_id
            and grid.channel = consent_counts.channel
            and grid.subject_type = consent_counts.subject_type
    left join eligibility_counts
        on
            grid.purpose_id = eligibility_counts.purpose_id
            and grid.channel = eligibility_counts.channel
            and grid.subject_type = eligibility_counts.subject_type
    left join send_counts
        on
            grid.purpose_id = send_counts.purpose_id
            and grid.channel = send_counts.channel
            and grid.subject_type = send_counts.subject_type

)

select * from final
