-- Data-subject requests (Art. 15-21 GDPR) resolved to the person they concern, with their
-- Art. 12(3) deadline: one month from receipt, three months when extended (request_types seed).
-- A request counts from its receipt up to the end of the as_of day; it is open until completed.
-- Dates are the UTC calendar dates of the timestamps.

with

requests as (

    select * from {{ ref('stg_crm__data_subject_requests') }}

),

request_types as (

    select * from {{ ref('request_types') }}

),

subjects as (

    select * from {{ ref('int_data_subjects_unioned') }}

),

resolved as (

    select
        requests.request_id,
        {{ dbt.concat(["requests.subject_type", "':'", "requests.subject_id"]) }}
            as data_subject_id,
        requests.subject_type,
        requests.subject_id,
        coalesce(
            subjects.person_id,
            {{ dbt.concat(["requests.subject_type", "':'", "requests.subject_id"]) }}
        ) as person_id,
        subjects.data_subject_id is not null as is_subject_known,
        requests.request_type,
        request_types.gdpr_article,
        requests.request_status,
        requests.is_deadline_extended,
        requests.received_at,
        cast(requests.received_at as date) as received_date,
        {{ dsr_due_date(
            'cast(requests.received_at as date)',
            'case when requests.is_deadline_extended'
            ~ ' then request_types.extended_deadline_months'
            ~ ' else request_types.deadline_months end'
        ) }} as due_date,
        requests.completed_at,
        case
            when requests.completed_at < {{ as_of_cutoff() }}
                then cast(requests.completed_at as date)
        end as completed_date,
        requests.received_at < {{ as_of_cutoff() }} as is_received,
        coalesce(requests.completed_at < {{ as_of_cutoff() }}, false) as is_completed,
        lower(requests.request_status) = 'rejected' as is_rejected,
        requests.source_system,
        requests.export_id,
        {{ as_of_date() }} as as_of_date

    from requests
    left join request_types
        on requests.request_type = request_types.request_type
    left join subjects
        on
            requests.subject_type = subjects.subject_type
            and requests.subject_id = subjects.subject_id

),

final as (

    select
        *,
        is_received and not is_completed and not is_rejected as is_open,
        is_received and not is_completed and not is_rejected
        and {{ as_of_date() }} > due_date as is_overdue,
        coalesce(completed_date > due_date, false) as is_completed_late,
        {{ dbt.datediff('as_of_date', 'due_date', 'day') }} as days_until_due  -- noqa: LT05

    from resolved

)

select * from final
