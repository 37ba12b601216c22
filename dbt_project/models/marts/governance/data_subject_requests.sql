-- Data-subject requests (Art. 15-21 GDPR) received by the end of the as_of day, with their
-- Art. 12(3) deadline (one month from receipt; three months when extended), whether they are open,
-- overdue, or were completed late. nominal_due_date is the calendar end of the period; due_date is
-- the deadline that counts (moved to the next working day from a weekend or public holiday,
-- Regulation 1182/71, Art. 3(4)).

with

requests as (

    select * from {{ ref('int_data_subject_requests_resolved') }}

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
        source_system,
        export_id,
        as_of_date,
        case when is_overdue then -days_until_due else 0 end as days_overdue

    from requests
    where is_received

)

select * from final
