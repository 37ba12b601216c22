{{ config(alias='record_retention_statuses') }}

-- The DPO monitors compliance (Art. 39(1)(b) GDPR) and sees the whole governance mart.

with

record_retention_statuses as (

    select * from {{ ref('record_retention_statuses') }}

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
        data_subject_id,
        person_id,
        primary_purpose_id,
        processing_purpose_id,
        legal_basis_id,
        purpose_ids,
        retention_status,
        status_reason,
        rule_id,
        deadline,
        legal_reference,
        own_rule_id,
        own_deadline,
        is_statutory_hold,
        retention_event,
        retention_event_date,
        purpose_ended_date,
        held_by_record_key,
        legal_hold_id,
        erasure_request_id,
        restriction_request_id,
        deletion_due_date,
        as_of_date,
        source_system,
        export_id,
        source_file,
        loaded_at

    from record_retention_statuses

)

select * from final
