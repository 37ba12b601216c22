{{ config(alias='deletion_candidates') }}

-- The DPO monitors compliance (Art. 39(1)(b) GDPR) and sees the whole governance mart.

with

deletion_candidates as (

    select * from {{ ref('deletion_candidates') }}

),

final as (

    select
        record_key,
        record_table,
        record_id,
        field_name,
        record_type,
        subject_type,
        data_subject_id,
        person_id,
        action,
        retention_status,
        reason,
        rule_id,
        legal_reference,
        deadline,
        request_id,
        due_date,
        is_overdue,
        as_of_date

    from deletion_candidates

)

select * from final
