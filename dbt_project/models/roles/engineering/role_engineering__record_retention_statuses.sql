{{ config(alias='record_retention_statuses') }}

-- Engineering runs the pipeline with keys only (pseudonymous, Art. 4 Nr. 5 GDPR): statuses,
-- rules and deadlines per record key; no names, contact data, free text or birth dates.

with

statuses as (

    select * from {{ ref('record_retention_statuses') }}

),

final as (

    select
        record_key,
        record_table,
        record_id,
        field_name,
        record_type,
        data_subject_id,
        retention_status,
        status_reason,
        rule_id,
        deadline,
        deletion_due_date,
        legal_hold_id,
        source_system,
        export_id,
        as_of_date

    from statuses

)

select * from final
