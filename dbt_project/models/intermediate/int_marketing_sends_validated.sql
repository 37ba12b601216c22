-- Whether each marketing send was covered, at the moment it was sent, by a valid consent of the
-- same subject for the same purpose and channel (REQUIREMENTS R5: no marketing send without
-- valid consent for that channel), and whether the person had already objected (Art. 21(3)).
-- A consent covers a send from its effective moment (double opt-in confirmation for e-mail)
-- until its withdrawal.

with

sends as (

    select * from {{ ref('stg_crm__marketing_sends') }}

),

consents as (

    select * from {{ ref('int_consents_validated') }}

),

subjects as (

    select * from {{ ref('int_data_subjects_unioned') }}

),

objections as (

    select * from {{ ref('int_objections_registered') }}

),

sends_resolved as (

    select
        sends.marketing_send_id,
        {{ dbt.concat(["sends.subject_type", "':'", "sends.subject_id"]) }} as data_subject_id,
        coalesce(
            subjects.person_id,
            {{ dbt.concat(["sends.subject_type", "':'", "sends.subject_id"]) }}
        ) as person_id,
        sends.subject_type,
        sends.subject_id,
        sends.campaign_id,
        sends.purpose_id,
        sends.channel,
        sends.sent_at

    from sends
    left join subjects
        on
            sends.subject_type = subjects.subject_type
            and sends.subject_id = subjects.subject_id

),

covering_consents as (

    select
        sends_resolved.marketing_send_id,
        min(consents.consent_id) as covering_consent_id

    from sends_resolved
    inner join consents
        on
            sends_resolved.data_subject_id = consents.data_subject_id
            and sends_resolved.purpose_id = consents.purpose_id
            and sends_resolved.channel = consents.channel
    where
        consents.effective_from_at <= sends_resolved.sent_at
        and (consents.withdrawn_at is null or sends_resolved.sent_at < consents.withdrawn_at)
    group by sends_resolved.marketing_send_id

),

final as (

    select
        sends_resolved.*,
        covering_consents.covering_consent_id,
        covering_consents.covering_consent_id is not null as has_valid_consent_at_send,
        coalesce(objections.first_objection_at <= sends_resolved.sent_at, false)
            as is_sent_after_objection

    from sends_resolved
    left join covering_consents
        on sends_resolved.marketing_send_id = covering_consents.marketing_send_id
    left join objections
        on sends_resolved.person_id = objections.person_id

)

select * from final
