{{ config(alias='data_subject_requests') }}

-- The DPO monitors compliance (Art. 39(1)(b) GDPR) and sees the whole governance mart.

with

data_subject_requests as (

    select * from {{ ref('data_subject_requests') }}

),

final as (

    select
        request_id,
        data_subject_id,
        person_id,
        subject_type,
        subject_id,
        is_subject_known,
        request_type,
        gdpr_article,
        request_status,
        received_at,
        received_date,
        is_deadline_extended,
        nominal_due_date,
        due_date,
        completed_at,
        completed_date,
        is_open,
        is_overdue,
        is_completed_late,
        days_until_due,
        days_overdue,
        source_system,
        export_id,
        as_of_date

    from data_subject_requests

)

select * from final
