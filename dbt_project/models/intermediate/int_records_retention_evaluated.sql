-- Retention status of every personal record as of var('as_of') (REQUIREMENTS R3):
--   legal_hold         an active legal hold on the record: never deleted, whatever else applies;
--   restricted         kept but not used (Art. 18 GDPR, §35 Abs. 3 BDSG): the business purpose
--                      ended but a statutory hold runs (paid invoice, withdrawn consent), a master
--                      record needed by held records of the same subject (the customer of an
--                      invoice), a restriction request (Art. 18(1)), or an erasure request for a
--                      record under a statutory hold (Art. 17(3)(b), (e));
--   erasure_requested  the person asked for erasure and nothing requires keeping the record;
--   expired            the retention period is over (as_of > deadline): delete;
--   active             in use for its purpose.
--
-- Rule choice (retention_rules seed): among the versions of the rules for the record type and
-- its retention event that are enacted at as_of (coalesce(enacted_on, valid_from) <= as_of), the
-- earliest version under which the record's period ends while the version is in force
-- (valid_to is null or deadline <= valid_to) governs; if none does (a replaced version whose
-- successor is not yet enacted), the latest enacted version. This is the BEG IV transitional
-- rule: the 8-year period for invoices applies to every voucher whose 10-year period had not
-- ended before 1 January 2025; a voucher whose 10 years ended by 31 December 2024 stays governed
-- by the old rule. A version cannot end a hold before it is in force: the deadline is at least
-- the day before valid_from (a 2015 invoice: 8 years end 31.12.2023, but §147 AO as it stood
-- kept it until 31.12.2024; due for deletion 01.01.2025).
--
-- Every deadline is the last day the record may lawfully be kept; deletion_due_date is the day
-- after. An expired master record released by its last held dependant (the customer of a 2015
-- invoice) is due when that hold ended, not at its own earlier deadline (rule_source
-- 'released_by_record'). An erasure request does not postpone a deletion that was due earlier:
-- a record whose retention ended before the request's deadline stays expired, with its own due
-- date.
--
-- A master record (customer, prospect, partner contact) whose own period is over stays active
-- while the subject has a valid consent, and restricted while another record of the same subject
-- is under a statutory hold (is_statutory_hold) that has not ended and that needs the master
-- record (holds_master_record: an invoice, an order, a consent proof); the record's rule,
-- deadline and legal reference are then those of the record that holds it (held_by_record_key).
-- A data-subject request never holds the master record (issue 14, defect 1): its evidence is a
-- minimal log, not the person's name, e-mail and addresses, so an erasure request of a customer
-- with nothing else under a hold is erasure_requested, due on the request's deadline; when an
-- invoice holds the customer, the invoice is named as the holding record, not the request.

with

records as (

    select * from {{ ref('int_records_collected') }}

),

rules as (

    select * from {{ ref('retention_rules') }}

),

legal_holds as (

    select * from {{ ref('stg_crm__legal_holds') }}

),

requests as (

    select * from {{ ref('int_data_subject_requests_resolved') }}

),

rule_versions as (

    select
        records.record_key,
        rules.rule_id,
        rules.valid_from,
        rules.valid_to,
        rules.is_statutory_hold,
        rules.holds_master_record,
        rules.legal_reference,
        {{ retention_deadline(
            'records.retention_event_date', 'rules.period_months', 'rules.runs_to_end_of_year'
        ) }} as period_end

    from records
    inner join rules
        on
            records.record_type = rules.record_type
            and records.retention_event = rules.counts_from_event
    where coalesce(rules.enacted_on, rules.valid_from) <= {{ as_of_date() }}

),

governing_versions as (

    select
        *,
        -- not before the day before the version is in force (NULL period_end stays NULL)
        case
            when period_end is not null
                then greatest(
                    period_end, cast({{ dbt.dateadd('day', -1, 'valid_from') }} as date)
                )
        end as deadline,
        row_number() over (
            partition by record_key
            order by
                case when valid_to is null or period_end <= valid_to then 0 else 1 end,
                case when valid_to is null or period_end <= valid_to then valid_from end asc,
                valid_from desc
        ) as version_rank

    from rule_versions

),

records_with_rule as (

    select
        records.*,
        governing_versions.rule_id as own_rule_id,
        governing_versions.deadline as own_deadline,
        governing_versions.legal_reference as own_legal_reference,
        coalesce(governing_versions.is_statutory_hold, false) as is_statutory_hold,
        -- a statutory hold keeps the subject's master record unless its rule says it does not
        coalesce(governing_versions.holds_master_record, true) as holds_master_record,
        coalesce({{ as_of_date() }} > governing_versions.deadline, false) as is_own_period_over

    from records
    left join governing_versions
        on
            records.record_key = governing_versions.record_key
            and governing_versions.version_rank = 1

),

-- the longest-running statutory hold among a subject's non-master records that need the master
-- record (NULL deadline = open-ended, e.g. a valid consent, ranks first); a data-subject request
-- is not among them

dependent_holds as (

    select
        data_subject_id,
        record_key as held_by_record_key,
        own_rule_id as held_by_rule_id,
        own_deadline as held_by_deadline,
        own_legal_reference as held_by_legal_reference,
        row_number() over (
            partition by data_subject_id
            order by
                case when own_deadline is null then 0 else 1 end,
                own_deadline desc,
                record_key asc
        ) as hold_rank

    from records_with_rule
    where
        not is_master_record
        and is_statutory_hold
        and holds_master_record
        and not is_own_period_over
        and data_subject_id is not null

),

-- the statutory hold of a subject's non-master records that ended last: a master record kept
-- for it may be deleted only from the day after

released_holds as (

    select
        data_subject_id,
        record_key as released_by_record_key,
        own_rule_id as released_by_rule_id,
        own_deadline as released_by_deadline,
        own_legal_reference as released_by_legal_reference,
        row_number() over (
            partition by data_subject_id
            order by own_deadline desc, record_key asc
        ) as release_rank

    from records_with_rule
    where
        not is_master_record
        and is_statutory_hold
        and holds_master_record
        and is_own_period_over
        and data_subject_id is not null

),

valid_consents as (

    select
        data_subject_id,
        record_key as consent_record_key,
        own_rule_id as consent_rule_id,
        own_legal_reference as consent_legal_reference,
        row_number() over (partition by data_subject_id order by record_key) as consent_rank

    from records_with_rule
    where is_active_consent

),

active_legal_holds as (

    select
        record_table,
        record_id,
        min(legal_hold_id) as legal_hold_id

    from legal_holds
    where
        placed_at < {{ as_of_cutoff() }}
        and (released_at is null or released_at >= {{ as_of_cutoff() }})
    group by record_table, record_id

),

erasure_requests as (

    select
        person_id,
        min(request_id) as erasure_request_id,
        min(due_date) as erasure_due_date

    from requests
    where
        request_type = 'erasure'
        and is_received
        and not is_rejected
    group by person_id

),

restriction_requests as (

    select
        person_id,
        min(request_id) as restriction_request_id

    from requests
    where
        request_type = 'restriction'
        and is_received
        and not is_rejected
    group by person_id

),

joined as (

    select
        records_with_rule.*,
        dependent_holds.held_by_record_key,
        dependent_holds.held_by_rule_id,
        dependent_holds.held_by_deadline,
        dependent_holds.held_by_legal_reference,
        released_holds.released_by_record_key,
        released_holds.released_by_rule_id,
        released_holds.released_by_deadline,
        released_holds.released_by_legal_reference,
        valid_consents.consent_record_key,
        valid_consents.consent_rule_id,
        valid_consents.consent_legal_reference,
        active_legal_holds.legal_hold_id,
        erasure_requests.erasure_request_id,
        erasure_requests.erasure_due_date,
        restriction_requests.restriction_request_id,
        coalesce(
            records_with_rule.purpose_ended_date <= {{ as_of_date() }}, false
        ) as is_purpose_ended

    from records_with_rule
    left join dependent_holds
        on
            records_with_rule.is_master_record
            and records_with_rule.data_subject_id = dependent_holds.data_subject_id
            and dependent_holds.hold_rank = 1
    left join released_holds
        on
            records_with_rule.is_master_record
            and records_with_rule.data_subject_id = released_holds.data_subject_id
            and released_holds.release_rank = 1
            and records_with_rule.own_deadline < released_holds.released_by_deadline
    left join valid_consents
        on
            records_with_rule.is_master_record
            and records_with_rule.data_subject_id = valid_consents.data_subject_id
            and valid_consents.consent_rank = 1
    left join active_legal_holds
        on
            records_with_rule.record_table = active_legal_holds.record_table
            and records_with_rule.record_id = active_legal_holds.record_id
    left join erasure_requests
        on records_with_rule.person_id = erasure_requests.person_id
    left join restriction_requests
        on records_with_rule.person_id = restriction_requests.person_id

),

-- the status from retention alone, before holds and requests

base_evaluated as (

    select
        *,
        case
            when not is_own_period_over and is_purpose_ended then 'purpose_ended_statutory_hold'
            when not is_own_period_over then 'retention_period_running'
            when consent_record_key is not null then 'valid_consent'
            when held_by_record_key is not null then 'statutory_hold_of_dependent_records'
            else 'retention_period_expired'
        end as base_reason,
        -- an erasure request cannot delete a record whose own statutory hold runs, nor a master
        -- record that held records of the same subject still need
        (is_statutory_hold and not is_own_period_over)
        or held_by_record_key is not null as is_erasure_blocked,
        -- the day after the last day the record may be kept once its retention ended: its own
        -- deadline, or the later one of the held record that released it
        cast({{ dbt.dateadd(
            'day', 1, 'coalesce(released_by_deadline, own_deadline)'
        ) }} as date) as expired_due_date

    from joined

),

evaluated as (

    select
        *,
        case
            when legal_hold_id is not null then 'legal_hold'
            when restriction_request_id is not null then 'restriction_request'
            when erasure_request_id is not null and is_erasure_blocked
                then 'erasure_request_statutory_hold'
            -- a deletion already due before the request's deadline is not postponed by it
            when
                erasure_request_id is not null
                and base_reason = 'retention_period_expired'
                and expired_due_date <= erasure_due_date
                then base_reason
            when erasure_request_id is not null then 'erasure_request'
            else base_reason
        end as status_reason

    from base_evaluated

),

-- whose rule decides how long the record is kept: its own, that of the subject's valid consent
-- (a master record kept active for it), or that of the record that holds it (the invoice that
-- needs the customer's name)

sourced as (

    select
        *,
        case
            when
                base_reason = 'valid_consent'
                and status_reason not in ('erasure_request_statutory_hold', 'erasure_request')
                then 'consent'
            when is_own_period_over and held_by_record_key is not null then 'holding_record'
            when
                status_reason = 'retention_period_expired'
                and released_by_record_key is not null
                then 'released_by_record'
            when
                status_reason = 'erasure_request_statutory_hold'
                and not (is_statutory_hold and not is_own_period_over)
                then 'holding_record'
            else 'own'
        end as rule_source

    from evaluated

),

final as (

    select
        record_key,
        record_table,
        record_id,
        field_name,
        record_type,
        is_master_record,
        subject_type,
        subject_id,
        data_subject_id,
        person_id,
        record_purpose_id,
        retention_event,
        retention_event_date,
        purpose_ended_date,
        own_rule_id,
        own_deadline,
        is_statutory_hold,
        case status_reason
            when 'legal_hold' then 'legal_hold'
            when 'restriction_request' then 'restricted'
            when 'erasure_request_statutory_hold' then 'restricted'
            when 'erasure_request' then 'erasure_requested'
            when 'purpose_ended_statutory_hold' then 'restricted'
            when 'retention_period_running' then 'active'
            when 'valid_consent' then 'active'
            when 'statutory_hold_of_dependent_records' then 'restricted'
            when 'retention_period_expired' then 'expired'
        end as retention_status,
        status_reason,
        rule_source,
        case rule_source
            when 'consent' then consent_rule_id
            when 'holding_record' then held_by_rule_id
            when 'released_by_record' then released_by_rule_id
            else own_rule_id
        end as rule_id,
        case rule_source
            when 'consent' then cast(null as date)
            when 'holding_record' then held_by_deadline
            when 'released_by_record' then released_by_deadline
            else own_deadline
        end as deadline,
        case rule_source
            when 'consent' then consent_legal_reference
            when 'holding_record' then held_by_legal_reference
            when 'released_by_record' then released_by_legal_reference
            else own_legal_reference
        end as legal_reference,
        case rule_source
            when 'consent' then consent_record_key
            when 'holding_record' then held_by_record_key
            when 'released_by_record' then released_by_record_key
        end as held_by_record_key,
        legal_hold_id,
        erasure_request_id,
        restriction_request_id,
        case
            when status_reason = 'erasure_request' then erasure_due_date
            when status_reason = 'retention_period_expired' then expired_due_date
        end as deletion_due_date,
        {{ as_of_date() }} as as_of_date,
        source_system,
        export_id,
        source_file,
        loaded_at

    from sourced

)

select * from final
