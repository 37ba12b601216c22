{{ config(alias='data_subject_requests') }}

-- Open data-subject requests with their Art. 12(3) deadline, for the agents who answer them.

with

requests as (

    select * from {{ ref('data_subject_requests') }}

),

final as (

    select
        request_id,
        data_subject_id,
        subject_type,
        subject_id,
        request_type,
        gdpr_article,
        request_status,
        received_date,
        is_deadline_extended,
        due_date,
        is_overdue,
        days_until_due

    from requests
    where is_open

)

select * from final
