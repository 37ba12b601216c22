{{ config(meta={'dagster': {'ref': {'name': 'deletion_candidates'}}}) }}

-- REQUIREMENTS R4: a record under a statutory hold is restricted, never deleted ("unless other
-- legal rules require storage", Art. 17(3)(b)); a record under an active legal hold never
-- appears among the deletion candidates; and no master record is deleted while another record
-- of the same subject still holds it.

with

candidates as (

    select * from {{ ref('deletion_candidates') }}

),

statuses as (

    select * from {{ ref('record_retention_statuses') }}

),

final as (

    select
        candidates.record_key,
        candidates.action,
        case
            when
                statuses.retention_status = 'legal_hold'
                then 'legal hold among deletion candidates'
            when
                statuses.held_by_record_key is not null
                and (statuses.deadline is null or statuses.deadline >= statuses.as_of_date)
                then 'held master record to be deleted'
            else 'statutory hold to be deleted'
        end as problem

    from candidates
    inner join statuses
        on candidates.record_key = statuses.record_key
    where
        statuses.retention_status = 'legal_hold'
        or (
            candidates.action = 'delete'
            and (
                -- held by a record whose hold has not ended (a master record released by a
                -- record whose hold ended names it too, with that record's past deadline)
                (
                    statuses.held_by_record_key is not null
                    and (statuses.deadline is null or statuses.deadline >= statuses.as_of_date)
                )
                or (
                    statuses.is_statutory_hold
                    and (
                        statuses.own_deadline is null
                        or statuses.own_deadline >= statuses.as_of_date
                    )
                )
            )
        )

)

select * from final
