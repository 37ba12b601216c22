{{ config(alias='deletion_candidates') }}

-- The keys engineering needs to execute a deletion manifest: record, action, reason, due date.

with

candidates as (

    select * from {{ ref('deletion_candidates') }}

),

final as (

    select
        record_key,
        record_table,
        record_id,
        field_name,
        record_type,
        data_subject_id,
        action,
        reason,
        rule_id,
        due_date,
        is_overdue,
        as_of_date

    from candidates

)

select * from final
