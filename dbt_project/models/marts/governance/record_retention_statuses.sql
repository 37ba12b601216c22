-- Retention status of every personal record as of var('as_of'): active, restricted, expired,
-- erasure_requested or legal_hold, with the rule that decides it, its deadline (the last day the
-- record may be kept) and legal reference, why (status_reason), and the purposes and legal basis
-- it is processed under. While a record is only kept for a hold, its processing purpose is that
-- hold (statutory retention, or legal claims for a legal hold) and so is its legal basis.

with

records as (

    select * from {{ ref('int_records_retention_evaluated') }}

),

tags as (

    select * from {{ ref('int_records_tagged') }}

),

purposes as (

    select * from {{ ref('purposes') }}

),

primary_tags as (

    select
        record_key,
        purpose_id as primary_purpose_id

    from tags
    where is_primary

),

purpose_lists as (

    select
        record_key,
        {{ dbt.listagg('purpose_id', "','", 'order by purpose_id') }} as purpose_ids

    from tags
    group by record_key

),

with_purposes as (

    select
        records.*,
        primary_tags.primary_purpose_id,
        purpose_lists.purpose_ids,
        case
            when records.retention_status = 'legal_hold' then 'legal_claims'
            when
                records.status_reason in (
                    'purpose_ended_statutory_hold',
                    'statutory_hold_of_dependent_records',
                    'erasure_request_statutory_hold'
                )
                and primary_tags.primary_purpose_id != 'data_protection_compliance'
                then 'statutory_retention'
            else primary_tags.primary_purpose_id
        end as processing_purpose_id

    from records
    left join primary_tags
        on records.record_key = primary_tags.record_key
    left join purpose_lists
        on records.record_key = purpose_lists.record_key

),

final as (

    select
        with_purposes.record_key,
        with_purposes.record_table,
        with_purposes.record_id,
        with_purposes.field_name,
        with_purposes.record_type,
        with_purposes.is_master_record,
        with_purposes.subject_type,
        with_purposes.data_subject_id,
        with_purposes.person_id,
        with_purposes.primary_purpose_id,
        with_purposes.processing_purpose_id,
        purposes.legal_basis_id,
        with_purposes.purpose_ids,
        with_purposes.retention_status,
        with_purposes.status_reason,
        with_purposes.rule_id,
        with_purposes.deadline,
        with_purposes.legal_reference,
        with_purposes.own_rule_id,
        with_purposes.own_deadline,
        with_purposes.is_statutory_hold,
        with_purposes.retention_event,
        with_purposes.retention_event_date,
        with_purposes.purpose_ended_date,
        with_purposes.held_by_record_key,
        with_purposes.legal_hold_id,
        with_purposes.erasure_request_id,
        with_purposes.restriction_request_id,
        with_purposes.deletion_due_date,
        with_purposes.as_of_date,
        with_purposes.source_system,
        with_purposes.export_id,
        with_purposes.source_file,
        with_purposes.loaded_at

    from with_purposes
    left join purposes
        on with_purposes.processing_purpose_id = purposes.purpose_id

)

select * from final
