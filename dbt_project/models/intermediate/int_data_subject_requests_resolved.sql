-- Data-subject requests (Art. 15-21 GDPR) resolved to the person they concern, with their
-- Art. 12(3) deadline: one month from receipt, three months when extended (request_types seed).
-- A request counts from its receipt up to the end of the as_of day; it is open until completed.
-- Dates are the Europe/Berlin calendar dates of the UTC timestamps (macro berlin_date).
-- nominal_due_date is the end of the period by the calendar; due_date, the deadline that counts,
-- moves a nominal date that falls on a Saturday, Sunday or public holiday (public_holidays seed:
-- nationwide and those of the state in dbt var public_holiday_region) to the next working day
-- (Regulation 1182/71, Art. 3(4)). is_overdue and is_completed_late use due_date.

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

holidays as (

    select holiday_date from {{ ref('public_holidays') }}
    where region in ('DE', '{{ var("public_holiday_region", "BE") }}')

),

-- a nominal deadline and the days after it: the first working day among them is the effective
-- one (the longest run of non-working days in Germany is 4 days, Good Friday to Easter Monday)

day_offsets as (

    {% for offset in range(8) -%}
    select {{ offset }} as day_offset
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

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
        {{ berlin_date('requests.received_at') }} as received_date,
        {{ dsr_due_date(
            berlin_date('requests.received_at'),
            'case when requests.is_deadline_extended'
            ~ ' then request_types.extended_deadline_months'
            ~ ' else request_types.deadline_months end'
        ) }} as nominal_due_date,
        requests.completed_at,
        case
            when requests.completed_at < {{ as_of_cutoff() }}
                then {{ berlin_date('requests.completed_at') }}
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

due_candidates as (

    select
        resolved.request_id,
        cast(
            {{ dbt.dateadd('day', 'day_offsets.day_offset', 'resolved.nominal_due_date') }} as date
        ) as candidate_date

    from resolved
    cross join day_offsets
    where resolved.nominal_due_date is not null

),

effective_due_dates as (

    select
        due_candidates.request_id,
        min(due_candidates.candidate_date) as due_date

    from due_candidates
    left join holidays
        on due_candidates.candidate_date = holidays.holiday_date
    where
        -- ISO day of week: 6 = Saturday, 7 = Sunday
        extract(isodow from due_candidates.candidate_date) not in (6, 7)
        and holidays.holiday_date is null
    group by due_candidates.request_id

),

with_due_date as (

    select
        resolved.*,
        effective_due_dates.due_date

    from resolved
    left join effective_due_dates
        on resolved.request_id = effective_due_dates.request_id

),

final as (

    select
        *,
        is_received and not is_completed and not is_rejected as is_open,
        is_received and not is_completed and not is_rejected
        and {{ as_of_date() }} > due_date as is_overdue,
        coalesce(completed_date > due_date, false) as is_completed_late,
        {{ dbt.datediff('as_of_date', 'due_date', 'day') }} as days_until_due  -- noqa: LT05

    from with_due_date

)

select * from final
