-- What must be deleted or restricted as of var('as_of'), one row per record (or field):
--   delete    expired records (due the day after the deadline) and records whose erasure was
--             requested and that nothing requires keeping (due on the request's Art. 12(3)
--             deadline);
--   restrict  records the person asked to erase or restrict but that a statutory hold keeps
--             (Art. 17(3)(b), Art. 18, §35 Abs. 3 BDSG): block them from use, never delete.
-- Records under a legal hold never appear. The deletion manifest of REQUIREMENTS R4 is built
-- from this model.

with

records as (

    select * from {{ ref('record_retention_statuses') }}

),

requests as (

    select * from {{ ref('int_data_subject_requests_resolved') }}

),

candidates as (

    select
        *,
        case
            when retention_status in ('expired', 'erasure_requested') then 'delete'
            when status_reason in ('erasure_request_statutory_hold', 'restriction_request')
                then 'restrict'
        end as action,  -- noqa: RF04
        case
            when status_reason = 'restriction_request' then restriction_request_id
            when status_reason in ('erasure_request', 'erasure_request_statutory_hold')
                then erasure_request_id
        end as request_id

    from records

),

final as (

    select
        candidates.record_key,
        candidates.record_table,
        candidates.record_id,
        candidates.field_name,
        candidates.record_type,
        candidates.subject_type,
        candidates.data_subject_id,
        candidates.person_id,
        candidates.action,
        candidates.retention_status,
        candidates.status_reason as reason,
        candidates.rule_id,
        candidates.legal_reference,
        candidates.deadline,
        candidates.request_id,
        coalesce(candidates.deletion_due_date, requests.due_date) as due_date,
        coalesce(
            {{ as_of_date() }} > coalesce(candidates.deletion_due_date, requests.due_date), false
        ) as is_overdue,
        candidates.as_of_date

    from candidates
    left join requests
        on candidates.request_id = requests.request_id
    where candidates.action is not null

)

select * from final
